using System;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Sdk.Tests.Lifecycle;

namespace Rivet.Sdk.Tests.Surface;

/// <summary>Hands background work to the runtime with KeepAwake / WaitUntil; journals when it ends and when it sleeps.</summary>
[Actor]
public partial class BackgroundProbe : Actor
{
    private string JournalKey => Context.Key.Parts[0];

    protected override TimeSpan SleepTimeout => TimeSpan.FromMilliseconds(100);

    protected override ValueTask OnSleepAsync(CancellationToken cancellationToken)
    {
        Journal.Add(JournalKey, "sleep");
        return default;
    }

    /// <summary>Work that outlasts the 100 ms sleep timeout several times over.</summary>
    [Action] public void StartKeptAwake(int ms) => KeepAwake(Work(ms, "kept-awake-done"));

    [Action] public void StartWaitedFor(int ms) => WaitUntil(Work(ms, "waited-for-done"));

    [Action] public void GoToSleep() => Sleep();

    private async Task Work(int ms, string done)
    {
        var key = JournalKey;
        await Task.Delay(TimeSpan.FromMilliseconds(ms), Context.TimeProvider);
        Journal.Add(key, done);
    }
}
