using System;
using System.Threading;
using System.Threading.Tasks;
using Rivet;

namespace Rivet.TestRunner;

/// <summary>
/// The counter fault tests call (actor <c>counter</c>, the contract of RivetKit's example counter) plus what faults
/// need to observe: a slow increment that is in flight while the process is killed or frozen, and a count of the
/// times the actor went through its sleep path.
/// </summary>
[Actor]
public partial class Counter : Actor<CounterState>
{
    /// <summary>Adds <paramref name="amount"/> and returns the new count; broadcasts <c>newCount</c>.</summary>
    [Action]
    public int Increment(int amount = 1)
    {
        State.Count += amount;
        NewCount(State.Count);
        return State.Count;
    }

    /// <summary>Waits <paramref name="delayMs"/> milliseconds, then increments like <see cref="Increment"/>.</summary>
    [Action]
    public async Task<int> SlowIncrement(int amount, int delayMs, CancellationToken cancellationToken)
    {
        await Task.Delay(TimeSpan.FromMilliseconds(delayMs), Context.TimeProvider, cancellationToken);
        return Increment(amount);
    }

    /// <summary>The current count.</summary>
    [Action]
    public int GetCount() => State.Count;

    /// <summary>How many times the actor's sleep path ran and its state was saved after it.</summary>
    [Action]
    public int GetSleepCount() => State.Sleeps;

    /// <summary>Sent to every connection subscribed to <c>newCount</c> after each increment.</summary>
    [Event]
    partial void NewCount(int count);

    /// <inheritdoc />
    protected override ValueTask OnSleepAsync(CancellationToken cancellationToken)
    {
        State.Sleeps++;
        return default;
    }
}

/// <summary>The counter's durable state.</summary>
public sealed class CounterState
{
    /// <summary>The current count.</summary>
    public int Count { get; set; }

    /// <summary>How many times the sleep hook ran (saved with the state right after it).</summary>
    public int Sleeps { get; set; }
}
