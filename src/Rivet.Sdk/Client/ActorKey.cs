using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Text;

namespace Rivet;

/// <summary>
/// The key that names one actor instance among those with the same actor name: a list of strings.
/// A single string converts implicitly (<c>Get("room-1")</c>), and so does a <c>string[]</c> or a collection
/// expression (<c>Get(["tenant", "room-1"])</c>) for compound keys.
/// </summary>
[CollectionBuilder(typeof(ActorKey), nameof(Create))]
public readonly struct ActorKey : IEquatable<ActorKey>, IReadOnlyList<string>
{
    private readonly ImmutableArray<string> _parts;

    /// <summary>Creates a key from its parts. No part may be <see langword="null"/>.</summary>
    public ActorKey(params IEnumerable<string> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var builder = ImmutableArray.CreateBuilder<string>();
        var index = 0;
        foreach (var part in parts)
        {
            if (part is null)
            {
                throw new ArgumentException($"Actor key part {index} is null; key parts must be strings.", nameof(parts));
            }
            builder.Add(part);
            index++;
        }
        _parts = builder.ToImmutable();
    }

    /// <summary>Creates a key from a span of parts (used by collection expressions).</summary>
    public static ActorKey Create(ReadOnlySpan<string> parts) => new(parts.ToArray());

    /// <summary>The empty key (no parts), serialized as <c>/</c>.</summary>
    public static ActorKey Empty => new(Array.Empty<string>());

    /// <summary>The key's parts.</summary>
    public ImmutableArray<string> Parts => _parts.IsDefault ? ImmutableArray<string>.Empty : _parts;

    /// <inheritdoc />
    public int Count => Parts.Length;

    /// <inheritdoc />
    public string this[int index] => Parts[index];

    /// <summary>A single-part key.</summary>
    public static implicit operator ActorKey(string key) => new(key ?? throw new ArgumentNullException(nameof(key)));

    /// <summary>A compound key.</summary>
    public static implicit operator ActorKey(string[] parts) => new(parts);

    /// <summary>
    /// The engine's string form of the key: parts joined by <c>/</c>, with <c>\</c> → <c>\\</c>, <c>/</c> → <c>\/</c>,
    /// an empty part → <c>\0</c>, and the empty key → <c>/</c> (RivetKit's <c>serializeActorKey</c>).
    /// </summary>
    public string Serialize()
    {
        var parts = Parts;
        if (parts.Length == 0)
        {
            return "/";
        }
        var sb = new StringBuilder();
        for (var i = 0; i < parts.Length; i++)
        {
            if (i > 0)
            {
                sb.Append('/');
            }
            var part = parts[i];
            if (part.Length == 0)
            {
                sb.Append("\\0");
                continue;
            }
            foreach (var c in part)
            {
                if (c == '\\' || c == '/')
                {
                    sb.Append('\\');
                }
                sb.Append(c);
            }
        }
        return sb.ToString();
    }

    /// <summary>Parses the engine's string form produced by <see cref="Serialize"/>.</summary>
    /// <exception cref="FormatException">The string is not a valid serialized key.</exception>
    public static ActorKey Parse(string serialized)
    {
        ArgumentNullException.ThrowIfNull(serialized);
        if (serialized == "/")
        {
            return Empty;
        }
        var parts = new List<string>();
        var current = new StringBuilder();
        var emptyMarker = false;
        for (var i = 0; i < serialized.Length; i++)
        {
            var c = serialized[i];
            if (c == '\\')
            {
                if (i + 1 >= serialized.Length)
                {
                    throw new FormatException($"Serialized actor key '{serialized}' ends with a lone escape character.");
                }
                var next = serialized[++i];
                if (next == '0')
                {
                    emptyMarker = true;
                }
                else
                {
                    current.Append(next);
                }
            }
            else if (c == '/')
            {
                parts.Add(emptyMarker && current.Length == 0 ? string.Empty : current.ToString());
                current.Clear();
                emptyMarker = false;
            }
            else
            {
                current.Append(c);
            }
        }
        parts.Add(current.ToString());
        return new ActorKey(parts);
    }

    /// <inheritdoc />
    public bool Equals(ActorKey other) => Parts.AsSpan().SequenceEqual(other.Parts.AsSpan());

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ActorKey other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var part in Parts)
        {
            hash.Add(part, StringComparer.Ordinal);
        }
        return hash.ToHashCode();
    }

    /// <summary>Compares two keys part by part.</summary>
    public static bool operator ==(ActorKey left, ActorKey right) => left.Equals(right);

    /// <summary>Compares two keys part by part.</summary>
    public static bool operator !=(ActorKey left, ActorKey right) => !left.Equals(right);

    /// <inheritdoc />
    public IEnumerator<string> GetEnumerator() => ((IEnumerable<string>)Parts).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The key as <c>[part, part]</c>, for logs and messages.</summary>
    public override string ToString() => "[" + string.Join(", ", Parts) + "]";
}
