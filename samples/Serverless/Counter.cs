using Rivet;

namespace ServerlessSample;

/// <summary>RivetKit's example counter (actor <c>counter</c>: <c>increment(amount)</c>, <c>getCount()</c>).</summary>
[Actor]
public partial class Counter : Actor<CounterState>
{
    /// <summary>Adds <paramref name="amount"/> to the count and returns the new count.</summary>
    [Action]
    public int Increment(int amount = 1) => State.Count += amount;

    /// <summary>Returns the current count.</summary>
    [Action]
    public int GetCount() => State.Count;
}

/// <summary>The counter's durable state (kept in the engine between function invocations).</summary>
public sealed class CounterState
{
    /// <summary>The current count.</summary>
    public int Count { get; set; }
}
