using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Sdk.Tests.Runtime;

namespace Rivet.Sdk.Tests.Runner;

/// <summary>What a <see cref="SlowWakeActor"/> with one key did, and the gate its start waits on.</summary>
public sealed class SlowWakeProbe
{
    private static readonly ConcurrentDictionary<string, SlowWakeProbe> s_probes = new(StringComparer.Ordinal);

    /// <summary>The probe of the actor with key <paramref name="key"/>.</summary>
    public static SlowWakeProbe For(string key) => s_probes.GetOrAdd(key, _ => new SlowWakeProbe());

    /// <summary>Set when <c>OnWakeAsync</c> began: the actor's start is in progress.</summary>
    public TaskCompletionSource Waking { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Set by the test to let the start finish.</summary>
    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Set when <c>OnSleepAsync</c> ran: the actor was stopped with its sleep path.</summary>
    public TaskCompletionSource Slept { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>An actor whose start (<c>OnWakeAsync</c>) waits for the test, so a test can stop or lose the runner meanwhile.</summary>
[Actor]
public partial class SlowWakeActor : Actor<CounterState>
{
    protected override async ValueTask OnWakeAsync(CancellationToken cancellationToken)
    {
        var probe = SlowWakeProbe.For(Context.Key[0]);
        probe.Waking.TrySetResult();
        await probe.Release.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
    }

    protected override ValueTask OnSleepAsync(CancellationToken cancellationToken)
    {
        SlowWakeProbe.For(Context.Key[0]).Slept.TrySetResult();
        return default;
    }

    [Action] public int Increment() => ++State.Count;
}
