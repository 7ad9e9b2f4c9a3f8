using System;
using System.Collections.Generic;
using System.Numerics;

namespace Rivet.Fuzz;

public enum FuzzColor { Red, Green, Blue }

[Flags]
public enum FuzzAccess { None = 0, Read = 1, Write = 2 }

public sealed record FuzzItem(string Name, int Count, FuzzColor Color, byte[]? Blob = null, List<FuzzItem>? Children = null);

/// <summary>
/// An actor whose actions take every kind of argument the generator supports, so the action-arguments target drives
/// the generated dispatch and serializers (<see cref="Runtime.ActionArgumentReader"/>) with hostile JSON.
/// </summary>
[Actor("fuzzTarget")]
public partial class FuzzTarget : Actor<FuzzTargetState>
{
    [Action] public int Numbers(int a, long b, double c, decimal d, ulong e = 0) => a;

    [Action] public string Texts(string text, char letter, Guid id, DateTimeOffset at, TimeSpan span) => text;

    [Action] public int Items(FuzzItem item, List<FuzzItem> items, Dictionary<string, int> counts, Dictionary<FuzzColor, string>? names = null) => items.Count;

    [Action] public string Enums(FuzzColor color, FuzzAccess access, FuzzColor? maybe = null) => color.ToString();

    [Action] public string Big(BigInteger big, Int128 wide, byte[] bytes, HashSet<string> tags) => big.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Action] public int Store(FuzzItem item)
    {
        State.Items.Add(item);
        if (State.Items.Count > 16)
        {
            State.Items.RemoveAt(0);
        }
        return State.Items.Count;
    }
}

public sealed class FuzzTargetState
{
    public List<FuzzItem> Items { get; set; } = [];
}
