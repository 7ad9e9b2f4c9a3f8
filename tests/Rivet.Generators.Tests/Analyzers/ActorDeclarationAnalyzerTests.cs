using System.Linq;
using System.Threading.Tasks;
using Rivet.Generators.Analyzers;
using Verify = Rivet.Generators.Tests.Analyzers.AnalyzerVerifier<Rivet.Generators.Analyzers.ActorDeclarationAnalyzer>;

namespace Rivet.Generators.Tests.Analyzers;

public sealed class ActorDeclarationAnalyzerTests
{
    private const string State = "public sealed class CounterState { public int Count { get; set; } }\n";

    [Fact]
    public async Task A_valid_actor_reports_nothing()
    {
        await Verify.VerifyAsync("""
            namespace App;

            public sealed class CounterState { public int Count { get; set; } }

            [Rivet.Actor]
            public partial class Counter : Rivet.Actor<CounterState>
            {
                [Rivet.Action]
                public int Increment(int amount = 1) => State.Count += amount;
            }

            [Rivet.Actor("chat")]
            internal sealed partial class ChatRoom : Rivet.Actor { }

            [Rivet.Actor]
            public partial class WithInput : Rivet.Actor<CounterState, string> { }
            """);
    }

    [Fact]
    public async Task Classes_without_Actor_attribute_are_ignored()
    {
        await Verify.VerifyAsync("""
            public class Outer { public class Inner<T> { } }
            public class NotAnActor : System.Attribute { }
            [NotAnActor] public class Plain { }
            """);
    }

    [Fact]
    public async Task Actor_class_without_partial_reports_RIVET001_on_its_identifier()
    {
        var diagnostics = await Verify.VerifyAsync("""
            using Rivet;

            public sealed class CounterState { public int Count { get; set; } }

            [Actor]
            public sealed class {|RIVET001:Counter|} : Actor<CounterState> { }
            """);

        Assert.Contains("'Counter'", Assert.Single(diagnostics).GetMessage());
    }

    [Fact]
    public async Task Actor_class_declared_twice_without_partial_reports_RIVET001_once_with_both_locations()
    {
        var diagnostics = await Verify.VerifyWithCompilerErrorsAsync(
            ["[Rivet.Actor] public class {|RIVET001:Counter|} : Rivet.Actor { }",
             "public class Counter { public void Extra() { } }"],
            "CS0101");

        var diagnostic = Assert.Single(diagnostics);
        var additional = Assert.Single(diagnostic.AdditionalLocations);
        Assert.Equal("Source1.cs", additional.SourceTree!.FilePath);
        Assert.Equal("Counter", additional.SourceTree.GetText().ToString(additional.SourceSpan));
    }

    [Fact]
    public async Task Actor_class_without_Actor_base_reports_RIVET002()
    {
        var diagnostics = await Verify.VerifyAsync("""
            [Rivet.Actor]
            public partial class {|RIVET002:Counter|} { }
            """);

        Assert.Contains("'Counter'", Assert.Single(diagnostics).GetMessage());
    }

    [Fact]
    public async Task Actor_deriving_from_Actor_through_a_user_base_class_reports_nothing()
    {
        await Verify.VerifyAsync(State + """
            public abstract class CounterBase : Rivet.Actor<CounterState> { }

            [Rivet.Actor]
            public partial class Counter : CounterBase { }
            """);
    }

    [Fact]
    public async Task Actor_deriving_from_a_lookalike_Actor_outside_the_Rivet_namespace_reports_RIVET002()
    {
        await Verify.VerifyAsync("""
            namespace Other { public abstract class Actor { } }

            [Rivet.Actor]
            public partial class {|RIVET002:Counter|} : Other.Actor { }
            """);
    }

    [Fact]
    public async Task Nested_actor_class_reports_RIVET003_naming_its_container()
    {
        var diagnostics = await Verify.VerifyAsync("""
            public static partial class Actors
            {
                [Rivet.Actor]
                public partial class {|RIVET003:Counter|} : Rivet.Actor { }
            }
            """);

        var message = Assert.Single(diagnostics).GetMessage();
        Assert.Contains("'Counter'", message);
        Assert.Contains("'Actors'", message);
    }

    [Fact]
    public async Task Top_level_actor_in_a_namespace_does_not_report_RIVET003()
    {
        await Verify.VerifyAsync("""
            namespace App.Actors.Chat;

            [Rivet.Actor]
            public partial class Room : Rivet.Actor { }
            """);
    }

    [Fact]
    public async Task Generic_actor_class_reports_RIVET004()
    {
        var diagnostics = await Verify.VerifyAsync("""
            [Rivet.Actor]
            public partial class {|RIVET004:Box|}<T> : Rivet.Actor<T> where T : class { }
            """);

        Assert.Contains("'Box'", Assert.Single(diagnostics).GetMessage());
    }

    [Fact]
    public async Task Actor_deriving_from_a_closed_generic_base_does_not_report_RIVET004()
    {
        await Verify.VerifyAsync("""
            public abstract class Box<T> : Rivet.Actor<T> where T : class { }

            [Rivet.Actor]
            public partial class StringBox : Box<string> { }
            """);
    }

    [Fact]
    public async Task Every_broken_rule_of_one_class_is_reported()
    {
        var diagnostics = await Verify.VerifyAsync("""
            public class Outer
            {
                [Rivet.Actor]
                public class {|RIVET001:{|RIVET002:{|RIVET003:{|RIVET004:Broken|}|}|}|}<T> { }
            }
            """);

        Assert.Equal(new[] { "RIVET001", "RIVET002", "RIVET003", "RIVET004" }, diagnostics.Select(d => d.Id).OrderBy(id => id));
    }

    [Fact]
    public async Task Diagnostics_are_reported_on_the_declaration_that_carries_the_attribute()
    {
        await Verify.VerifyAsync(
            "public partial class Counter { public void Extra() { } }",
            "[Rivet.Actor] public partial class {|RIVET002:Counter|} { }");
    }

    [Fact]
    public async Task Generated_code_is_not_analyzed()
    {
        await Verify.VerifyAsync("""
            // <auto-generated/>
            [Rivet.Actor]
            public class Counter { }
            """);
    }

    [Fact]
    public void The_analyzer_supports_exactly_the_actor_declaration_rules()
    {
        Assert.Equal(
            new[] { "RIVET001", "RIVET002", "RIVET003", "RIVET004" },
            new ActorDeclarationAnalyzer().SupportedDiagnostics.Select(d => d.Id));
    }
}
