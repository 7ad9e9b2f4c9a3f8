using System.Threading.Tasks;
using Rivet.Generators.CodeFixes;

namespace Rivet.Generators.Tests.Analyzers;

/// <summary>
/// Code fixes for diagnostics the generator reports (RIVET005, RIVET009), applied to diagnostics written as markup
/// at the method name.
/// </summary>
public sealed class ActionCodeFixTests
{
    private const string Header = """
        using System.Threading.Tasks;
        using Rivet;

        public sealed class CounterState { public int Count { get; set; } }

        """;

    [Fact]
    public async Task Private_action_becomes_public()
    {
        await CodeFixWorkspace.VerifyMarkupFixAsync<MakeActionPublicCodeFix>(Header + """
            [Actor]
            public partial class Counter : Actor<CounterState>
            {
                [Action]
                private int {|RIVET005:Increment|}(int amount = 1) => State.Count += amount;
            }
            """, Header + """
            [Actor]
            public partial class Counter : Actor<CounterState>
            {
                [Action]
                public int Increment(int amount = 1) => State.Count += amount;
            }
            """);
    }

    [Fact]
    public async Task Action_without_modifiers_and_protected_internal_action_become_public()
    {
        await CodeFixWorkspace.VerifyMarkupFixAsync<MakeActionPublicCodeFix>(Header + """
            [Actor]
            public partial class Counter : Actor<CounterState>
            {
                [Action]
                int {|RIVET005:Get|}() => State.Count;

                [Action] protected internal virtual void {|RIVET005:Reset|}() => State.Count = 0;
            }
            """, Header + """
            [Actor]
            public partial class Counter : Actor<CounterState>
            {
                [Action]
                public int Get() => State.Count;

                [Action] public virtual void Reset() => State.Count = 0;
            }
            """);
    }

    [Fact]
    public async Task Async_void_action_returns_Task()
    {
        await CodeFixWorkspace.VerifyMarkupFixAsync<ReturnTaskFromAsyncVoidActionCodeFix>(Header + """
            [Actor]
            public partial class Counter : Actor<CounterState>
            {
                [Action]
                public async void {|RIVET009:Reset|}()
                {
                    await Task.Delay(1);
                    State.Count = 0;
                }
            }
            """, Header + """
            [Actor]
            public partial class Counter : Actor<CounterState>
            {
                [Action]
                public async Task Reset()
                {
                    await Task.Delay(1);
                    State.Count = 0;
                }
            }
            """);
    }

    [Fact]
    public async Task Async_void_action_returns_Task_and_gains_the_using_it_needs()
    {
        await CodeFixWorkspace.VerifyMarkupFixAsync<ReturnTaskFromAsyncVoidActionCodeFix>("""
            [Rivet.Actor]
            public partial class Chat : Rivet.Actor
            {
                [Rivet.Action]
                public async void {|RIVET009:Ping|}() => await System.Threading.Tasks.Task.Yield();
            }
            """, """
            using System.Threading.Tasks;

            [Rivet.Actor]
            public partial class Chat : Rivet.Actor
            {
                [Rivet.Action]
                public async Task Ping() => await System.Threading.Tasks.Task.Yield();
            }
            """);
    }

    [Fact]
    public async Task Fixes_apply_to_the_diagnostics_the_generator_reports()
    {
        const string Before = Header + """
            [Actor]
            public partial class Counter : Actor<CounterState>
            {
                protected override CounterState CreateState() => new();

                [Action] internal void Touch() { }
                [Action] public async void Reset() => await Task.Yield();
            }
            """;
        const string Public = Header + """
            [Actor]
            public partial class Counter : Actor<CounterState>
            {
                protected override CounterState CreateState() => new();

                [Action] public void Touch() { }
                [Action] public async void Reset() => await Task.Yield();
            }
            """;
        await CodeFixWorkspace.VerifyGeneratorFixAsync<MakeActionPublicCodeFix>(Before, Public);
        await CodeFixWorkspace.VerifyGeneratorFixAsync<ReturnTaskFromAsyncVoidActionCodeFix>(Public, Public.Replace("public async void", "public async Task"));
    }
}
