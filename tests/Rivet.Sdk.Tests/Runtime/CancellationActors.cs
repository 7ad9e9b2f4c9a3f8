using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;

namespace Rivet.Sdk.Tests.Runtime;

/// <summary>Signals of <see cref="WaitingActor"/> and <see cref="ImpatientActor"/>, by actor key: the action started; its token fired.</summary>
public static class CancellationProbe
{
    private static readonly ConcurrentDictionary<string, TaskCompletionSource> s_started = new();
    private static readonly ConcurrentDictionary<string, TaskCompletionSource> s_cancelled = new();

    public static Task Started(string key) => Signal(s_started, key).Task;

    public static Task Cancelled(string key) => Signal(s_cancelled, key).Task;

    internal static Task SignalStartedAsync(string key)
    {
        Signal(s_started, key).TrySetResult();
        return Task.CompletedTask;
    }

    internal static async Task<int> WaitForCancellationAsync(string key, CancellationToken cancellationToken)
    {
        Signal(s_started, key).TrySetResult();
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }
        catch (OperationCanceledException)
        {
            Signal(s_cancelled, key).TrySetResult();
            throw;
        }
    }

    private static TaskCompletionSource Signal(ConcurrentDictionary<string, TaskCompletionSource> signals, string key) =>
        signals.GetOrAdd(key, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}

/// <summary>An action that waits until its token fires (no action timeout): the caller's cancellation or the actor stopping.</summary>
[Actor("waitingActor")]
public partial class WaitingActor : Actor<CounterState>
{
    protected override TimeSpan ActionTimeout => Timeout.InfiniteTimeSpan;

    [Action]
    public Task<int> WaitForCancellation(CancellationToken cancellationToken)
    {
        State.Count++;
        return CancellationProbe.WaitForCancellationAsync(Context.Key[0], cancellationToken);
    }

    [Action] public int GetCount() => State.Count;
}

/// <summary>As <see cref="WaitingActor"/> with a 1 s action timeout.</summary>
[Actor("impatientActor")]
public partial class ImpatientActor : Actor<CounterState>
{
    protected override TimeSpan ActionTimeout => TimeSpan.FromSeconds(1);

    [Action]
    public Task<int> WaitForCancellation(CancellationToken cancellationToken)
    {
        State.Count++;
        return CancellationProbe.WaitForCancellationAsync(Context.Key[0], cancellationToken);
    }

    /// <summary>As <see cref="WaitForCancellation"/>, signalling under <paramref name="probe"/> instead of the key.</summary>
    [Action]
    public Task<int> WaitAs(string probe, CancellationToken cancellationToken) => CancellationProbe.WaitForCancellationAsync(probe, cancellationToken);

    /// <summary>Whether this action's token has fired already (it never should at the start of an action).</summary>
    [Action] public bool TokenFired(CancellationToken cancellationToken) => cancellationToken.IsCancellationRequested;

    [Action] public int GetCount() => State.Count;
}

/// <summary>An action that ignores its token: it holds the actor's turn until the test releases it (at most 60 s).</summary>
[Actor("stubbornActor")]
public partial class StubbornActor : Actor<CounterState>
{
    private static readonly ConcurrentDictionary<string, TaskCompletionSource> s_release = new();

    /// <summary>Lets the held action of the actor with key <paramref name="key"/> return.</summary>
    public static void Release(string key) => Gate(key).TrySetResult();

    private static TaskCompletionSource Gate(string key) => s_release.GetOrAdd(key, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    protected override TimeSpan ActionTimeout => Timeout.InfiniteTimeSpan;

    [Action]
    public async Task<int> Hold()
    {
        State.Count++;
        await CancellationProbe.SignalStartedAsync(Context.Key[0]);
        await Gate(Context.Key[0]).Task.WaitAsync(TimeSpan.FromSeconds(60));
        return State.Count;
    }
}
