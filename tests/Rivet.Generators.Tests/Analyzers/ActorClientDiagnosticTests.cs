using Microsoft.CodeAnalysis.CSharp;
using static Rivet.Generators.Tests.Analyzers.GeneratorDiagnosticVerifier;

namespace Rivet.Generators.Tests.Analyzers;

/// <summary>
/// Diagnostics of [ActorClient] interfaces: their own (RIVET019-022) and the action rules they share with actors
/// (RIVET007, 008, 010, 011, 012, 014, 015). Each fires at the right place on broken code, and the nearest valid
/// code is generated without a word.
/// </summary>
public sealed class ActorClientDiagnosticTests
{
    private const string Usings = "using System;\nusing System.Threading;\nusing System.Threading.Tasks;\nusing Rivet;\n\n";

    private static void AssertGenerated(GeneratorDiagnostics result, string interfaceHintPrefix) =>
        Assert.Contains(interfaceHintPrefix + ".ActorClient.g.cs", result.HintNames);

    private static void AssertNotGenerated(GeneratorDiagnostics result, string interfaceHintPrefix) =>
        Assert.DoesNotContain(interfaceHintPrefix + ".ActorClient.g.cs", result.HintNames);

    [Fact]
    public void RIVET019_fires_for_a_nested_or_generic_interface()
    {
        var result = Verify(Usings + """
            public static class Remote
            {
                [ActorClient("counter")] public interface {|RIVET019:ICounter|} { Task<int> Increment(int amount); }
            }

            [ActorClient("store")] public interface {|RIVET019:IStore|}<T> { Task<int> Count(); }
            """);
        Assert.Contains("nested inside 'Remote'", result.Diagnostics[0].GetMessage());
        Assert.Contains("generic", result.Diagnostics[1].GetMessage());
        Assert.DoesNotContain("RivetJsonContext.g.cs", result.HintNames);
    }

    [Fact]
    public void RIVET019_is_silent_for_a_top_level_interface_partial_or_not()
    {
        var result = Verify(Usings + """
            [ActorClient("counter")] public interface ICounter { Task<int> Increment(int amount); }
            namespace Games { [ActorClient("score")] internal partial interface IScore { Task<int> Get(); } }
            """);
        AssertGenerated(result, "ICounter");
        AssertGenerated(result, "Games.IScore");
    }

    [Fact]
    public void RIVET020_fires_for_properties_indexers_events_and_static_abstract_members()
    {
        var result = Verify(Usings + """
            [ActorClient("counter")]
            public interface ICounter
            {
                Task<int> Increment(int amount);
                int {|RIVET020:Count|} { get; }
                int {|RIVET020:this|}[int index] { get; }
                event EventHandler {|RIVET020:Changed|};
                static abstract Task<int> {|RIVET020:Zero|}();
            }
            """);
        Assert.Contains("'Count'", result.Diagnostics[0].GetMessage());
        Assert.Contains("a property", result.Diagnostics[0].GetMessage());
        Assert.Contains("an indexer", result.Diagnostics[1].GetMessage());
        Assert.Contains("an event", result.Diagnostics[2].GetMessage());
        Assert.Contains("static abstract", result.Diagnostics[3].GetMessage());
        AssertNotGenerated(result, "ICounter");
    }

    [Fact]
    public void RIVET020_is_silent_for_default_implementations_and_static_helpers()
    {
        AssertGenerated(Verify(Usings + """
            [ActorClient("counter")]
            public interface ICounter
            {
                Task<int> Increment(int amount);
                string Description => "a counter";
                Task<int> IncrementTwice() => Increment(2);
                static int Zero() => 0;
                const int Max = 10;
            }
            """), "ICounter");
    }

    [Fact]
    public void RIVET021_fires_for_a_synchronous_return_and_for_two_cancellation_tokens()
    {
        var result = Verify(Usings + """
            [ActorClient("counter")]
            public interface ICounter
            {
                {|RIVET021:int|} Increment(int amount);
                {|RIVET021:void|} Reset();
                Task {|RIVET021:Wait|}(CancellationToken first, CancellationToken second);
            }
            """);
        Assert.Contains("returns 'int'", result.Diagnostics[0].GetMessage());
        Assert.Contains("'ICounter'", result.Diagnostics[0].GetMessage());
        Assert.Contains("returns 'void'", result.Diagnostics[1].GetMessage());
        Assert.Contains("more than one CancellationToken", result.Diagnostics[2].GetMessage());
        AssertNotGenerated(result, "ICounter");
    }

    [Fact]
    public void RIVET021_is_silent_for_every_task_shape_and_one_token_anywhere()
    {
        AssertGenerated(Verify(Usings + """
            [ActorClient("counter")]
            public interface ICounter
            {
                Task<int> Increment(int amount);
                Task Reset(CancellationToken cancellationToken = default);
                ValueTask<int> Get();
                ValueTask Ping(CancellationToken cancellationToken, int times);
            }
            """), "ICounter");
    }

    [Fact]
    public void RIVET022_fires_when_an_actor_or_an_earlier_interface_takes_the_generated_names()
    {
        var result = Verify(Usings + """
            namespace Demo
            {
                [Actor] public partial class Counter : Actor { [Action] public int Increment(int amount) => amount; }
                [ActorClient("counter")] public interface {|RIVET022:ICounter|} { Task<int> Increment(int amount); }

                [ActorClient("room")] public interface IRoom { Task<int> Count(); }
                [ActorClient("room")] public interface {|RIVET022:Room|} { Task<int> Count(); }
            }
            """);
        var actorClash = result.Diagnostics[0].GetMessage();
        Assert.Contains("'CounterHandle'", actorClash);
        Assert.Contains("actor 'Demo.Counter'", actorClash);
        Assert.Contains("actor client interface 'Demo.IRoom'", result.Diagnostics[1].GetMessage());
        Assert.Contains("Demo.Counter.Client.g.cs", result.HintNames);
        AssertGenerated(result, "Demo.IRoom");
        AssertNotGenerated(result, "Demo.ICounter");
        AssertNotGenerated(result, "Demo.Room");
    }

    [Fact]
    public void RIVET022_is_silent_for_another_name_or_another_namespace()
    {
        var result = Verify(Usings + """
            namespace Demo
            {
                [Actor] public partial class {|RIVET056:Counter|} : Actor { [Action] public int Increment(int amount) => amount; }
                [ActorClient("counter")] public interface IRemoteCounter { Task<int> Increment(int amount); }
            }
            namespace Remote
            {
                // Another namespace: its own client, but client.Counter is no longer unique (RIVET056).
                [ActorClient("counter")] public interface {|RIVET056:ICounter|} { Task<int> Increment(int amount); }
            }
            """);
        AssertGenerated(result, "Demo.IRemoteCounter");
        AssertGenerated(result, "Remote.ICounter");
    }

    [Fact]
    public void Shared_action_rules_fire_for_interface_methods()
    {
        var result = Verify(Usings + """
            [ActorClient("calculator")]
            public interface ICalculator
            {
                Task<string> {|RIVET007:Send|}<T>(string value);
                Task Bump({|RIVET008:ref int value|});
                Task<int> Apply({|RIVET010:Func<int, int> change|});
                {|RIVET010:Task<Action>|} Make();
                Task<int> Add(int amount);
                [Action("add")] Task<int> {|RIVET012:Plus|}(int amount);
                [{|RIVET014:Action("")|}] Task Clear();
            }
            """);
        Assert.Contains("'Add' and 'Plus'", result.Diagnostics[4].GetMessage());
        Assert.Contains("'ICalculator'", result.Diagnostics[4].GetMessage());
        AssertNotGenerated(result, "ICalculator");
    }

    [Fact]
    public void RIVET011_and_RIVET014_fire_for_an_unserializable_input_and_an_empty_actor_name()
    {
        var result = Verify(Usings + """
            [{|RIVET011:ActorClient("greeter", InputType = typeof(Func<string>))|}] public interface IGreeter { Task<string> Hello(); }
            [{|RIVET014:ActorClient(" ")|}] public interface IEmpty { Task Ping(); }
            """);
        Assert.Contains("input", result.Diagnostics[0].GetMessage());
        Assert.Contains("'IGreeter'", result.Diagnostics[0].GetMessage());
        AssertNotGenerated(result, "IGreeter");
        AssertNotGenerated(result, "IEmpty");
    }

    [Fact]
    public void RIVET011_is_silent_for_a_serializable_input_type()
    {
        AssertGenerated(Verify(Usings + """
            public sealed record GreeterInput(string Language, int Volume);
            [ActorClient("greeter", InputType = typeof(GreeterInput))] public interface IGreeter { Task<string> Hello(); }
            """), "IGreeter");
    }

    [Fact]
    public void RIVET015_fires_once_below_CSharp_14_for_clients_alone()
    {
        var result = Verify(LanguageVersion.CSharp13, [Usings + """
            [ActorClient("counter")] public interface ICounter { Task<int> Increment(int amount); }
            [ActorClient("timer")] public interface ITimer { Task Start(); }
            """], "RIVET015");
        AssertGenerated(result, "ICounter");
    }

    [Fact]
    public void An_ActorClient_attribute_on_a_class_or_with_broken_types_generates_nothing_and_does_not_crash()
    {
        // The attribute's usage is the compiler's business (CS0592); a missing type is too (CS0246).
        var compilation = Infrastructure.TestCompilation.Create(Usings + """
            [ActorClient("counter")] public class NotAnInterface { }
            [ActorClient("broken", InputType = typeof(Missing))] public interface IBroken { Task<Missing> Get(Missing value); }
            [ActorClient("half")] public interface IHalf { Task<int> Get(Missing value); Task Ok(); }
            """);
        var (_, diagnostics, result) = Infrastructure.TestCompilation.RunGenerator(compilation);
        Assert.All(result.Results, r => Assert.Null(r.Exception));
        Assert.Empty(diagnostics);
        Assert.DoesNotContain(result.Results[0].GeneratedSources, s => s.HintName.EndsWith(".ActorClient.g.cs", System.StringComparison.Ordinal));
    }
}
