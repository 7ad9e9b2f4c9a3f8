using System;
using Rivet;

namespace CounterSample;

/// <summary>
/// The counter from RivetKit's examples, with the same contract (actor <c>counter</c>, actions
/// <c>increment(amount) → number</c>, <c>getCount() → number</c>, event <c>newCount</c>), so clients in any
/// language can call it and listen to it.
/// </summary>
[Actor]
public partial class Counter : Actor<CounterState>
{
    /// <summary>Adds <paramref name="amount"/> to the count and returns the new count.</summary>
    [Action]
    public int Increment(int amount = 1)
    {
        State.Count += amount;
        NewCount(State.Count);
        return State.Count;
    }

    /// <summary>Sent to every connection subscribed to <c>newCount</c> after each increment.</summary>
    [Event]
    partial void NewCount(int count);

    /// <summary>Returns the current count.</summary>
    [Action]
    public int GetCount() => State.Count;

    /// <summary>Schedules <see cref="Increment"/> by <paramref name="amount"/> to run <paramref name="seconds"/> from now (durable across sleep and restarts); returns the event id.</summary>
    [Action]
    public string IncrementLater(int amount, int seconds) => Schedule.After(TimeSpan.FromSeconds(seconds)).Increment(amount).Id;
}

/// <summary>The counter's durable state.</summary>
public sealed class CounterState
{
    /// <summary>The current count.</summary>
    public int Count { get; set; }
}
