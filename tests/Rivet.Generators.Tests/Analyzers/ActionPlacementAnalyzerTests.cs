using System.Threading.Tasks;
using Verify = Rivet.Generators.Tests.Analyzers.AnalyzerVerifier<Rivet.Generators.Analyzers.MemberPlacementAnalyzer>;

namespace Rivet.Generators.Tests.Analyzers;

public sealed class ActionPlacementAnalyzerTests
{
    [Fact]
    public async Task Action_in_a_class_without_Actor_reports_RIVET013_on_the_method_name()
    {
        var diagnostics = await Verify.VerifyAsync("""
            using Rivet;

            public partial class Counter : Actor
            {
                [Action]
                public int {|RIVET013:Increment|}(int amount) => amount;

                public int NotAnAction() => 0;
            }
            """);

        var diagnostic = Assert.Single(diagnostics);
        Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Warning, diagnostic.Severity);
        Assert.Contains("'Increment'", diagnostic.GetMessage());
        Assert.Contains("'Counter'", diagnostic.GetMessage());
    }

    [Fact]
    public async Task Action_in_a_plain_class_reports_RIVET013_per_method()
    {
        await Verify.VerifyAsync("""
            public class Helpers
            {
                [Rivet.Action("ping")] public void {|RIVET013:Ping|}() { }
                [Rivet.Action] public static void {|RIVET013:Pong|}() { }
            }
            """);
    }

    [Fact]
    public async Task Actions_in_an_actor_report_nothing()
    {
        await Verify.VerifyAsync("""
            using System.Threading.Tasks;
            using Rivet;

            public sealed class CounterState { public int Count { get; set; } }

            [Actor]
            public partial class Counter : Actor<CounterState>
            {
                [Action] public int Increment(int amount = 1) => State.Count += amount;
                [Action("get")] public Task<int> GetAsync() => Task.FromResult(State.Count);
            }
            """);
    }

    [Fact]
    public async Task Actions_in_an_ActorClient_interface_report_nothing()
    {
        await Verify.VerifyAsync("""
            using System.Threading.Tasks;
            using Rivet;

            [ActorClient("counter")]
            public interface ICounter
            {
                [Action("reset")] Task Clear();
            }

            public interface IPlain
            {
                [Action] Task {|RIVET013:Clear|}();
            }
            """);
    }

    [Fact]
    public async Task Actor_declared_in_two_parts_with_the_attribute_on_the_other_part_reports_nothing()
    {
        await Verify.VerifyAsync(
            "[Rivet.Actor] public partial class Counter : Rivet.Actor { }",
            "public partial class Counter { [Rivet.Action] public int Ping() => 1; }");
    }

    [Fact]
    public async Task A_lookalike_Action_attribute_from_another_namespace_is_ignored()
    {
        await Verify.VerifyAsync("""
            namespace Other { public sealed class ActionAttribute : System.Attribute { } }

            public class Plain { [Other.Action] public void Run() { } }
            """);
    }
}
