namespace Rivet.Sdk.Tests.Inspector;

/// <summary>The state the inspector tests read and patch.</summary>
public sealed class InspectedCounterState
{
    /// <summary>The count.</summary>
    public int Count { get; set; }

    /// <summary>A label, to see a patch replace the whole state.</summary>
    public string Label { get; set; } = "new";
}

/// <summary>A small stateful actor the inspector tests (and the dashboard test) look into.</summary>
[Actor("inspectedCounter")]
public partial class InspectedCounter : Actor<InspectedCounterState>
{
    [Event] partial void Changed(int count);

    /// <summary>Adds <paramref name="amount"/> and broadcasts the new count.</summary>
    [Action]
    public int Increment(int amount)
    {
        State.Count += amount;
        Changed(State.Count);
        return State.Count;
    }

    /// <summary>The count.</summary>
    [Action]
    public int GetCount() => State.Count;
}
