using System;

namespace Rivet.LoadTest;

/// <summary>State of <see cref="LoadCounter"/>.</summary>
public sealed class LoadCounterState
{
    /// <summary>The current count.</summary>
    public int Count { get; set; }
}

/// <summary>
/// The .NET side of the comparison: RivetKit's counter contract (actor <c>counter</c>, <c>increment(amount)</c>,
/// <c>getCount()</c>), the same as <c>tests/interop/ts-actor.mjs</c>, so both answer the same calls.
/// </summary>
[Actor("counter")]
public partial class LoadCounter : Actor<LoadCounterState>
{
    /// <summary>Set by the <c>dotnet-throttled</c> target (<c>serve-runner</c> with <c>RIVET_LOAD_SAVE_INTERVAL_MS</c>):
    /// RivetKit's default of saving once a second instead of before every reply.</summary>
    internal static TimeSpan? SaveInterval { get; set; }

    /// <inheritdoc />
    protected override TimeSpan? StateSaveInterval => SaveInterval;

    /// <summary>Adds <paramref name="amount"/> and returns the new count (a state change: saved before the reply).</summary>
    [Action]
    public int Increment(int amount = 1)
    {
        State.Count += amount;
        return State.Count;
    }

    /// <summary>Returns the current count.</summary>
    [Action]
    public int GetCount() => State.Count;
}
