using System;
using System.Collections.Generic;

namespace Rivet.Storage;

/// <summary>Orders and compares KV keys bytewise, as the engine does.</summary>
internal sealed class KeyComparer : IComparer<byte[]>, IEqualityComparer<byte[]>
{
    public static KeyComparer Instance { get; } = new();

    public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y.AsSpan());

    public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y.AsSpan());

    public int GetHashCode(byte[] obj)
    {
        var hash = new HashCode();
        hash.AddBytes(obj);
        return hash.ToHashCode();
    }

    /// <summary>The smallest key greater than every key starting with <paramref name="prefix"/>, or null if none exists.</summary>
    public static byte[]? PrefixEnd(ReadOnlySpan<byte> prefix)
    {
        var end = prefix.ToArray();
        for (var i = end.Length - 1; i >= 0; i--)
        {
            if (end[i] != 0xFF)
            {
                end[i]++;
                return end.AsSpan(0, i + 1).ToArray();
            }
        }
        return null;
    }
}
