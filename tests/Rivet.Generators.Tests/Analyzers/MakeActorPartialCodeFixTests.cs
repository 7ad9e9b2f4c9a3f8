using System.Threading.Tasks;
using Rivet.Generators.Analyzers;
using Rivet.Generators.CodeFixes;

namespace Rivet.Generators.Tests.Analyzers;

public sealed class MakeActorPartialCodeFixTests
{
    private static Task VerifyAsync(string source, string expected) =>
        CodeFixVerifier<ActorDeclarationAnalyzer, MakeActorPartialCodeFix>.VerifyFixAsync([source], [expected]);

    [Fact]
    public async Task Partial_is_inserted_after_the_existing_modifiers()
    {
        await VerifyAsync("""
            using Rivet;

            namespace App;

            public sealed class CounterState { public int Count { get; set; } }

            [Actor]
            public sealed class Counter : Actor<CounterState>
            {
                [Action]
                public int Increment(int amount = 1) => State.Count += amount;
            }
            """, """
            using Rivet;

            namespace App;

            public sealed class CounterState { public int Count { get; set; } }

            [Actor]
            public sealed partial class Counter : Actor<CounterState>
            {
                [Action]
                public int Increment(int amount = 1) => State.Count += amount;
            }
            """);
    }

    [Fact]
    public async Task Partial_keeps_the_indentation_and_comments_of_a_class_without_modifiers()
    {
        await VerifyAsync("""
            namespace App
            {
                /// <summary>Counts.</summary>
                [Rivet.Actor] // the actor
                class  Counter : Rivet.Actor { }
            }
            """, """
            namespace App
            {
                /// <summary>Counts.</summary>
                [Rivet.Actor] // the actor
                partial class  Counter : Rivet.Actor { }
            }
            """);
    }

    [Fact]
    public async Task Partial_goes_before_class_when_the_class_has_no_attribute_list_on_that_line()
    {
        await VerifyAsync("""
            /// <summary>Counts.</summary>
            [Rivet.Actor] class Counter : Rivet.Actor { }
            """, """
            /// <summary>Counts.</summary>
            [Rivet.Actor] partial class Counter : Rivet.Actor { }
            """);
    }

    [Fact]
    public async Task Every_declaration_of_the_class_becomes_partial_across_files()
    {
        await CodeFixVerifier<ActorDeclarationAnalyzer, MakeActorPartialCodeFix>.VerifyFixAsync(
            [
                "[Rivet.Actor]\npublic class Counter : Rivet.Actor\n{\n}\n",
                "public class Counter\n{\n    [Rivet.Action] public int Ping() => 1;\n}\n",
            ],
            [
                "[Rivet.Actor]\npublic partial class Counter : Rivet.Actor\n{\n}\n",
                "public partial class Counter\n{\n    [Rivet.Action] public int Ping() => 1;\n}\n",
            ],
            "CS0101");
    }

    [Fact]
    public async Task Declarations_that_are_already_partial_are_left_alone()
    {
        await CodeFixVerifier<ActorDeclarationAnalyzer, MakeActorPartialCodeFix>.VerifyFixAsync(
            [
                "[Rivet.Actor] public class Counter : Rivet.Actor { }",
                "public partial class Counter { }",
            ],
            [
                "[Rivet.Actor] public partial class Counter : Rivet.Actor { }",
                "public partial class Counter { }",
            ],
            "CS0260");
    }

    [Fact]
    public async Task Fix_all_makes_every_actor_in_the_solution_partial()
    {
        await CodeFixVerifier<ActorDeclarationAnalyzer, MakeActorPartialCodeFix>.VerifyFixAllAsync(
            [
                "[Rivet.Actor] public class Counter : Rivet.Actor { }\n[Rivet.Actor] internal sealed class Timer : Rivet.Actor { }\n",
                "[Rivet.Actor] public class Chat : Rivet.Actor { }\n",
            ],
            [
                "[Rivet.Actor] public partial class Counter : Rivet.Actor { }\n[Rivet.Actor] internal sealed partial class Timer : Rivet.Actor { }\n",
                "[Rivet.Actor] public partial class Chat : Rivet.Actor { }\n",
            ]);
    }
}
