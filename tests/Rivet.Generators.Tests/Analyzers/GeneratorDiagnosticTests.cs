using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using static Rivet.Generators.Tests.Analyzers.GeneratorDiagnosticVerifier;

namespace Rivet.Generators.Tests.Analyzers;

/// <summary>
/// The diagnostics the generator reports itself (RIVET005-012, 014-018): each fires at the right place on broken
/// code and stays silent on the nearest valid code, which is then generated.
/// </summary>
public sealed class GeneratorDiagnosticTests
{
    private const string Usings = "using System;\nusing System.Threading;\nusing System.Threading.Tasks;\nusing Rivet;\n\n";

    [Fact]
    public void RIVET005_fires_for_a_non_public_action()
    {
        var result = Verify(Usings + """
            [Actor]
            public partial class Counter : Actor
            {
                [Action] private int {|RIVET005:Get|}() => 1;
                [Action] internal void {|RIVET005:Reset|}() { }
            }
            """);
        Assert.Contains("'Get'", result.Diagnostics[0].GetMessage());
    }

    [Fact]
    public void RIVET005_is_silent_for_public_actions_and_private_helpers()
    {
        Verify(Usings + """
            [Actor]
            public partial class Counter : Actor
            {
                [Action] public int Get() => Helper();
                private int Helper() => 1;
            }
            """).AssertGenerated("Counter");
    }

    [Fact]
    public void RIVET006_fires_for_a_static_action()
    {
        var result = Verify(Usings + """
            [Actor]
            public partial class Counter : Actor
            {
                [Action] public static int {|RIVET006:Zero|}() => 0;
            }
            """);
        Assert.Contains("'Zero'", result.SingleMessage());
    }

    [Fact]
    public void RIVET006_is_silent_for_instance_actions_and_static_helpers()
    {
        Verify(Usings + """
            [Actor]
            public partial class Counter : Actor
            {
                [Action] public int Zero() => Helper();
                public static int Helper() => 0;
            }
            """).AssertGenerated("Counter");
    }

    [Fact]
    public void RIVET007_fires_for_a_generic_action()
    {
        // The type parameter is kept out of the signature: a 'T' parameter would also report RIVET010.
        var result = Verify(Usings + """
            [Actor]
            public partial class Echo : Actor
            {
                [Action] public string {|RIVET007:Send|}<T>(string value) => value + typeof(T).Name;
            }
            """);
        Assert.Contains("'Send'", result.SingleMessage());
    }

    [Fact]
    public void RIVET007_is_silent_for_concrete_actions_and_generic_helpers()
    {
        Verify(Usings + """
            [Actor]
            public partial class Echo : Actor
            {
                [Action] public string Send(string value) => Same(value);
                public T Same<T>(T value) => value;
            }
            """).AssertGenerated("Echo");
    }

    [Fact]
    public void RIVET008_fires_for_each_by_reference_parameter()
    {
        var result = Verify(Usings + """
            [Actor]
            public partial class Store : Actor
            {
                [Action] public bool TryGet(string key, {|RIVET008:out int value|}) { value = 0; return false; }
                [Action] public void Bump({|RIVET008:ref int value|}, {|RIVET008:in int by|}) => value += by;
            }
            """);
        var message = result.Diagnostics[0].GetMessage();
        Assert.Contains("'value'", message);
        Assert.Contains("'TryGet'", message);
        Assert.Contains("'out'", message);
        Assert.Contains("'in'", result.Diagnostics[2].GetMessage());
    }

    [Fact]
    public void RIVET008_is_silent_for_parameters_passed_by_value_and_a_trailing_cancellation_token()
    {
        Verify(Usings + """
            [Actor]
            public partial class Store : Actor
            {
                [Action] public Task<bool> TryGet(string key, int fallback, CancellationToken cancellationToken) => Task.FromResult(false);
            }
            """).AssertGenerated("Store");
    }

    [Fact]
    public void RIVET009_fires_for_an_async_void_action()
    {
        var result = Verify(Usings + """
            [Actor]
            public partial class Counter : Actor
            {
                [Action] public async void {|RIVET009:Reset|}() => await Task.Yield();
            }
            """);
        Assert.Contains("'Reset'", result.SingleMessage());
    }

    [Fact]
    public void RIVET009_is_silent_for_async_Task_and_plain_void_actions()
    {
        Verify(Usings + """
            [Actor]
            public partial class Counter : Actor
            {
                [Action] public async Task Reset() => await Task.Yield();
                [Action] public async ValueTask<int> Get() { await Task.Yield(); return 1; }
                [Action] public void Touch() { }
            }
            """).AssertGenerated("Counter");
    }

    [Fact]
    public void RIVET010_fires_for_a_parameter_or_result_that_cannot_be_serialized()
    {
        var result = Verify(Usings + """
            [Actor]
            public partial class Calculator : Actor
            {
                [Action] public int Apply({|RIVET010:Func<int, int> change|}) => change(1);
                [Action] public {|RIVET010:Task<Action>|} Make() => Task.FromResult<Action>(() => { });
            }
            """);
        var parameter = result.Diagnostics[0].GetMessage();
        Assert.Contains("'change'", parameter);
        Assert.Contains("'Apply'", parameter);
        Assert.Contains("System.Func<int, int>", parameter);
        // Says "cannot be serialized" once, with the reason (the format and the reason both said it).
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(parameter, "cannot be serialized"));
        Assert.Contains("delegates are not supported", parameter);
        Assert.Contains("'Make'", result.Diagnostics[1].GetMessage());
    }

    [Fact]
    public void RIVET010_is_silent_for_serializable_parameters_and_results()
    {
        Verify(Usings + """
            [Actor]
            public partial class Calculator : Actor
            {
                [Action] public double Apply(int value, string name, bool flag, double factor) => value * factor;
                [Action] public Task<string> Describe() => Task.FromResult("calculator");
            }
            """).AssertGenerated("Calculator");
    }

    [Fact]
    public void RIVET011_fires_for_a_state_type_that_cannot_be_serialized()
    {
        var result = Verify(Usings + """
            [Actor]
            public partial class Callbacks : {|RIVET011:Actor<Action>|}
            {
                protected override Action CreateState() => () => { };
            }
            """);
        var message = result.SingleMessage();
        Assert.Contains("'System.Action'", message);
        Assert.Contains("'Callbacks'", message);
    }

    [Fact]
    public void RIVET011_fires_for_an_input_type_that_cannot_be_serialized()
    {
        var result = Verify(Usings + """
            [Actor]
            public partial class Greeter : {|RIVET011:Actor<string, Func<string>>|}
            {
                protected override string CreateState() => "";
            }
            """);
        Assert.Contains("input", result.SingleMessage());
    }

    [Fact]
    public void RIVET011_is_silent_for_serializable_state_and_input_types()
    {
        Verify(Usings + """
            [Actor]
            public partial class Greeter : Actor<string, int>
            {
                protected override string CreateState() => "";
            }
            """).AssertGenerated("Greeter");
    }

    [Fact]
    public void RIVET012_fires_for_two_actions_with_the_same_wire_name()
    {
        var result = Verify(Usings + """
            [Actor]
            public partial class Counter : Actor
            {
                [Action] public int Add(int amount) => amount;
                [Action] public int {|RIVET012:Add|}(int amount, int times) => amount * times;
                [Action("add")] public int {|RIVET012:Plus|}(int amount) => amount;
            }
            """);
        var messages = result.Diagnostics.Select(d => d.GetMessage()).ToArray();
        Assert.All(messages, m => Assert.Contains("'Counter'", m));
        Assert.All(messages, m => Assert.Contains("'add'", m));
        // Overloads are told apart by their parameters, not "'Add' and 'Add'".
        Assert.Contains(messages, m => m.Contains("'Add(int)' and 'Add(int, int)'", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("'Add' and 'Plus'", StringComparison.Ordinal));
    }

    [Fact]
    public void RIVET012_is_silent_when_an_explicit_name_separates_overloads()
    {
        Verify(Usings + """
            [Actor]
            public partial class Counter : Actor
            {
                [Action] public int Add(int amount) => amount;
                [Action("addTimes")] public int Add(int amount, int times) => amount * times;
            }
            """).AssertGenerated("Counter");
    }

    [Fact]
    public void RIVET014_fires_for_an_empty_actor_name()
    {
        var result = Verify(Usings + """
            [{|RIVET014:Actor(" ")|}]
            public partial class Room : Actor { }
            """);
        Assert.Contains("actor", result.SingleMessage());
    }

    [Fact]
    public void RIVET014_fires_for_an_empty_action_name()
    {
        var result = Verify(Usings + """
            [Actor]
            public partial class Room : Actor
            {
                [{|RIVET014:Action("")|}] public void Send(string text) { }
            }
            """);
        Assert.Contains("action", result.SingleMessage());
    }

    [Fact]
    public void RIVET014_is_silent_for_explicit_valid_names()
    {
        Verify(Usings + """
            [Actor("chatRoom")]
            public partial class Room : Actor
            {
                [Action("post")] public void Send(string text) { }
            }
            """).AssertGenerated("Room");
    }

    [Fact]
    public void RIVET015_fires_once_without_a_location_below_CSharp_14()
    {
        var result = Verify(LanguageVersion.CSharp13, [Usings + """
            [Actor] public partial class Counter : Actor { [Action] public int Get() => 1; }
            [Actor] public partial class Timer : Actor { }
            """], "RIVET015");
        Assert.Contains("C# 14", result.SingleMessage());
    }

    [Fact]
    public void RIVET015_is_silent_with_CSharp_14_and_without_actors()
    {
        Verify(LanguageVersion.CSharp14, [Usings + "[Actor] public partial class Counter : Actor { }"]).AssertGenerated("Counter");
        Verify(LanguageVersion.CSharp13, ["public class Plain { }"]);
    }

    [Fact]
    public void RIVET016_fires_for_two_actors_with_the_same_name()
    {
        var result = Verify(
            "namespace App.Chat { [Rivet.Actor] public partial class Room : Rivet.Actor { } }",
            "namespace App.Games { [Rivet.Actor] public partial class {|RIVET016:Room|} : Rivet.Actor { } }");
        var message = result.SingleMessage();
        Assert.Contains("App.Chat.Room", message);
        Assert.Contains("App.Games.Room", message);
        Assert.Contains("'room'", message);
    }

    [Fact]
    public void RIVET016_is_silent_when_explicit_names_differ()
    {
        var result = Verify(
            "namespace App.Chat { [Rivet.Actor(\"chatRoom\")] public partial class {|RIVET056:Room|} : Rivet.Actor { } }",
            "namespace App.Games { [Rivet.Actor(\"gameRoom\")] public partial class {|RIVET056:Room|} : Rivet.Actor { } }");
        result.AssertGenerated("App.Chat.Room");
        result.AssertGenerated("App.Games.Room");
    }

    [Fact]
    public void RIVET017_warns_for_a_state_type_without_a_public_parameterless_constructor()
    {
        var result = Verify(Usings + """
            [Actor]
            public partial class Greeter : {|RIVET017:Actor<string>|} { }
            """);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
        Assert.Contains("'string'", diagnostic.GetMessage());
        Assert.Contains("'Greeter'", diagnostic.GetMessage());
        result.AssertGenerated("Greeter");
    }

    [Fact]
    public void RIVET017_is_silent_when_CreateState_is_overridden()
    {
        Verify(Usings + """
            [Actor]
            public partial class Greeter : Actor<string>
            {
                protected override string CreateState() => "hello";
            }

            public abstract class WithInput<TInput> : Actor<string, TInput>
            {
                protected override string CreateState(TInput? input) => "";
            }

            [Actor]
            public partial class Welcomer : WithInput<int> { }
            """).AssertGenerated("Welcomer");
    }

    [Fact]
    public void RIVET018_fires_for_an_actor_without_a_parameterless_constructor()
    {
        var result = Verify(Usings + """
            [Actor]
            public partial class {|RIVET018:Counter|} : Actor
            {
                public Counter(int start) { }
            }

            [Actor]
            public abstract partial class {|RIVET018:Base|} : Actor { }

            [Actor]
            public partial class {|RIVET018:Hidden|} : Actor
            {
                private Hidden() { }
            }
            """);
        Assert.Contains("'Counter'", result.Diagnostics[0].GetMessage());
    }

    [Fact]
    public void RIVET018_is_silent_for_public_internal_and_optional_parameter_constructors()
    {
        var result = Verify(Usings + """
            [Actor]
            public partial class Counter : Actor
            {
                public Counter() { }
                public Counter(int start) { }
            }

            [Actor]
            internal partial class Timer : Actor
            {
                internal Timer() { }
            }

            [Actor]
            public partial class Clock : Actor
            {
                public Clock(int offset = 0) { }
            }
            """);
        result.AssertGenerated("Counter");
        result.AssertGenerated("Timer");
        result.AssertGenerated("Clock");
    }
}
