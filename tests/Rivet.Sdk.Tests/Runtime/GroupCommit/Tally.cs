using System.Collections.Concurrent;

namespace Rivet.Sdk.Tests.Runtime;

/// <summary>A counter that records, per probe name, how many of its actions have run (tests watch turns that wait for a save).</summary>
[Actor]
public partial class Tally : Actor<TallyState>
{
    public static readonly ConcurrentDictionary<string, int> Ran = new();

    [Action]
    public int Add(string probe, int amount)
    {
        Ran.AddOrUpdate(probe, 1, static (_, n) => n + 1);
        return State.Total += amount;
    }

    [Action]
    public int Read(string probe)
    {
        Ran.AddOrUpdate(probe, 1, static (_, n) => n + 1);
        return State.Total;
    }

    [Action] public void Nap() => Sleep();

    public static int RanCount(string probe) => Ran.TryGetValue(probe, out var n) ? n : 0;
}

public sealed class TallyState
{
    public int Total { get; set; }
}
