using System.Threading.Tasks;
using Rivet.Generators.Analyzers;
using Rivet.Generators.CodeFixes;
using Fix = Rivet.Generators.Tests.Analyzers.CodeFixVerifier<Rivet.Generators.Analyzers.WallClockAnalyzer, Rivet.Generators.CodeFixes.UseActorClockCodeFix>;
using Verify = Rivet.Generators.Tests.Analyzers.AnalyzerVerifier<Rivet.Generators.Analyzers.WallClockAnalyzer>;

namespace Rivet.Generators.Tests.Analyzers;

/// <summary>RIVET055: actor code that reads the wall clock or waits in real time, and its code fix.</summary>
public sealed class WallClockAnalyzerTests
{
    private const string Header = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using Rivet;

        public sealed class JobState { public DateTimeOffset At { get; set; } public DateTime Local { get; set; } }

        """;

    [Fact]
    public async Task Clock_reads_and_real_waits_in_an_actor_report_RIVET055()
    {
        var diagnostics = await Verify.VerifyAsync(Header + """
            [Actor]
            public partial class Job : Actor<JobState>
            {
                [Action]
                public async Task Run(CancellationToken cancellationToken)
                {
                    State.At = {|RIVET055:DateTimeOffset.UtcNow|};
                    State.At = {|RIVET055:DateTimeOffset.Now|};
                    State.Local = {|RIVET055:DateTime.Now|} + ({|RIVET055:DateTime.UtcNow|} - State.Local);
                    await {|RIVET055:Task.Delay(100)|};
                    await {|RIVET055:Task.Delay(TimeSpan.FromSeconds(1), cancellationToken)|};
                    {|RIVET055:Thread.Sleep(10)|};
                    Func<DateTimeOffset> later = () => {|RIVET055:DateTimeOffset.UtcNow|};
                }
            }
            """);
        Assert.Contains("'DateTimeOffset.UtcNow' in actor 'Job'", diagnostics[0].GetMessage());
        Assert.Contains("Context.TimeProvider.GetUtcNow()", diagnostics[0].GetMessage());
        Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Warning, diagnostics[0].Severity);
    }

    [Fact]
    public async Task The_actor_clock_and_code_outside_actors_report_nothing()
    {
        await Verify.VerifyAsync(Header + """
            [Actor]
            public partial class Job : Actor<JobState>
            {
                [Action]
                public async Task Run(CancellationToken cancellationToken)
                {
                    State.At = Context.TimeProvider.GetUtcNow();
                    await Task.Delay(TimeSpan.FromSeconds(1), Context.TimeProvider, cancellationToken);
                    var stamp = DateTimeOffset.FromUnixTimeSeconds(0);
                }
            }

            public static class Outside
            {
                public static DateTimeOffset Now() => DateTimeOffset.UtcNow;
                public static Task Wait() => Task.Delay(1);
            }
            """);
    }

    [Fact]
    public async Task UtcNow_becomes_the_context_clock()
    {
        await Fix.VerifyFixAsync(
            [Header + """
            [Actor]
            public partial class Job : Actor<JobState>
            {
                [Action] public void Stamp() => State.At = DateTimeOffset.UtcNow;
            }
            """],
            [Header + """
            [Actor]
            public partial class Job : Actor<JobState>
            {
                [Action] public void Stamp() => State.At = Context.TimeProvider.GetUtcNow();
            }
            """]);
    }

    [Fact]
    public async Task Every_clock_read_and_delay_is_fixed_at_once()
    {
        await Fix.VerifyFixAllAsync(
            [Header + """
            [Actor]
            public partial class Job : Actor<JobState>
            {
                [Action]
                public async Task Run(CancellationToken cancellationToken)
                {
                    State.Local = DateTime.UtcNow;
                    State.Local = DateTime.Now;
                    State.At = DateTimeOffset.Now;
                    await Task.Delay(250);
                    await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                }
            }
            """],
            [Header + """
            [Actor]
            public partial class Job : Actor<JobState>
            {
                [Action]
                public async Task Run(CancellationToken cancellationToken)
                {
                    State.Local = Context.TimeProvider.GetUtcNow().UtcDateTime;
                    State.Local = Context.TimeProvider.GetLocalNow().DateTime;
                    State.At = Context.TimeProvider.GetLocalNow();
                    await Task.Delay(System.TimeSpan.FromMilliseconds(250), Context.TimeProvider);
                    await Task.Delay(TimeSpan.FromSeconds(1), Context.TimeProvider, cancellationToken);
                }
            }
            """]);
    }

    [Fact]
    public async Task Thread_Sleep_and_static_members_get_no_automatic_fix()
    {
        var diagnostics = await Verify.VerifyAsync(Header + """
            [Actor]
            public partial class Job : Actor<JobState>
            {
                [Action] public void Nap() => {|RIVET055:Thread.Sleep(10)|};
                private static DateTimeOffset Now() => {|RIVET055:DateTimeOffset.UtcNow|};
            }
            """);
        Assert.All(diagnostics, d => Assert.False(d.Properties.ContainsKey(WallClockAnalyzer.Fix)));
        Assert.Contains("async action", diagnostics[0].GetMessage());
    }
}
