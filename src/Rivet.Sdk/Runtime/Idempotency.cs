using System;
using System.Buffers;
using System.Collections.Immutable;
using System.Text.Json;
using System.Threading;

namespace Rivet.Runtime;

/// <summary>
/// Idempotent calls: a call that carries an idempotency key runs its action once per actor and key; a repeat with the
/// same key answers the remembered result without running the action again. The actor remembers the last
/// <see cref="Capacity"/> keys (oldest evicted first) in the same KV write as its state.
/// </summary>
internal static class Idempotency
{
    /// <summary>The HTTP header carrying the key of one call through the engine's gateway.</summary>
    public const string Header = "x-rivet-idempotency-key";

    /// <summary>How many keys an actor remembers (the oldest is forgotten when a new one arrives).</summary>
    public const int Capacity = 64;

    /// <summary>The longest key, in characters.</summary>
    public const int MaxKeyLength = 128;

    /// <summary>The largest result (UTF-8 JSON bytes) remembered; a larger result remembers the key only.</summary>
    public const int MaxResultSize = 1024;

    /// <summary>Error code of a key reused for another action.</summary>
    public const string KeyConflictCode = "idempotency_key_conflict";

    /// <summary>Error code of a repeat whose (first) result was too large to remember.</summary>
    public const string ResultNotKeptCode = "idempotent_result_not_kept";

    private static readonly AsyncLocal<string?> s_current = new();

    /// <summary>The key of the call being sent on this async flow (set by <see cref="Client.ActorHandle"/>).</summary>
    public static string? Current
    {
        get => s_current.Value;
        set => s_current.Value = value;
    }

    /// <summary>Checks a key a caller supplied.</summary>
    /// <exception cref="ArgumentException">The key is empty, longer than <see cref="MaxKeyLength"/> or not printable ASCII.</exception>
    public static void Validate(string key, string paramName)
    {
        ArgumentException.ThrowIfNullOrEmpty(key, paramName);
        if (key.Length > MaxKeyLength)
        {
            throw new ArgumentException($"An idempotency key has at most {MaxKeyLength} characters; this one has {key.Length}.", paramName);
        }
        foreach (var c in key)
        {
            if (c is < (char)0x21 or > (char)0x7E)
            {
                throw new ArgumentException("An idempotency key is printable ASCII without spaces (it travels as an HTTP header).", paramName);
            }
        }
    }

    /// <summary>Reads a key received from a transport: null when absent; invalid keys are refused with <c>actor.invalid_request</c>.</summary>
    public static string? FromHeader(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        try
        {
            Validate(value, "key");
        }
        catch (ArgumentException e)
        {
            throw new RivetException(RivetErrors.ActorGroup, RivetErrors.InvalidRequest, $"Header {Header}: {e.Message}");
        }
        return value;
    }

    /// <summary>Adds <paramref name="entry"/>, evicting the oldest entries beyond <see cref="Capacity"/>.</summary>
    public static ImmutableList<IdempotencyEntry> Remember(ImmutableList<IdempotencyEntry> entries, IdempotencyEntry entry)
    {
        entries = entries.Add(entry);
        return entries.Count > Capacity ? entries.RemoveRange(0, entries.Count - Capacity) : entries;
    }

    /// <summary>The entry of <paramref name="key"/>, or null.</summary>
    public static IdempotencyEntry? Find(ImmutableList<IdempotencyEntry> entries, string key)
    {
        for (var i = entries.Count - 1; i >= 0; i--)
        {
            if (string.Equals(entries[i].Key, key, StringComparison.Ordinal))
            {
                return entries[i];
            }
        }
        return null;
    }

    /// <summary>Encodes the remembered keys (JSON, version 1: <c>{"v":1,"e":[{"k":key,"a":action,"r":base64 of the JSON result}]}</c>; <c>r</c> absent when not kept).</summary>
    public static byte[] Encode(ImmutableList<IdempotencyEntry> entries)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("v", 1);
            writer.WriteStartArray("e");
            foreach (var entry in entries)
            {
                writer.WriteStartObject();
                writer.WriteString("k", entry.Key);
                writer.WriteString("a", entry.Action);
                if (entry.Result is { } result)
                {
                    writer.WriteBase64String("r", result);
                }
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Decodes what <see cref="Encode"/> wrote.</summary>
    /// <exception cref="InvalidOperationException">The record is not a version this SDK reads.</exception>
    public static ImmutableList<IdempotencyEntry> Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new Utf8JsonReader(bytes);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        if (!root.TryGetProperty("v", out var version) || version.GetInt32() != 1)
        {
            throw new InvalidOperationException("The actor's idempotency record has an unknown version.");
        }
        var builder = ImmutableList.CreateBuilder<IdempotencyEntry>();
        foreach (var item in root.GetProperty("e").EnumerateArray())
        {
            byte[]? result = null;
            if (item.TryGetProperty("r", out var r))
            {
                result = r.GetBytesFromBase64();
            }
            builder.Add(new IdempotencyEntry(item.GetProperty("k").GetString()!, item.GetProperty("a").GetString()!, result));
        }
        return builder.ToImmutable();
    }
}

/// <summary>One remembered call: its key, action and JSON result (null when it was larger than <see cref="Idempotency.MaxResultSize"/>).</summary>
internal sealed record IdempotencyEntry(string Key, string Action, byte[]? Result);
