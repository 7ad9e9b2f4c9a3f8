using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Text.Json;
using Rivet.Storage;

namespace Rivet.Runtime.Queues;

/// <summary>
/// The durable form of queue messages in the actor's KV: key <c>[0x80, 2]</c> + message id (u64 big-endian, so a
/// prefix list returns them in send order), value <c>{"name":…,"createdAt":ms,"body":…}</c>. Outside RivetKit's key
/// map (1–7; its own queue keys <c>[5, 1, …]</c> hold its own format), so RivetKit ignores it.
/// </summary>
internal static class QueueStorage
{
    public static byte[] Prefix => [0x80, 2];

    public static byte[] Key(ulong id)
    {
        var key = new byte[10];
        key[0] = 0x80;
        key[1] = 2;
        BinaryPrimitives.WriteUInt64BigEndian(key.AsSpan(2), id);
        return key;
    }

    public static byte[] Encode(QueueEntry entry)
    {
        var buffer = new ArrayBufferWriter<byte>(entry.Body.Length + entry.Name.Length + 48);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("name", entry.Name);
            writer.WriteNumber("createdAt", entry.CreatedAtMs);
            writer.WritePropertyName("body");
            writer.WriteRawValue(entry.Body, skipInputValidation: true);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads the stored messages (a prefix list), in id order.</summary>
    /// <exception cref="FormatException">An entry is not a queue message this SDK wrote.</exception>
    public static List<QueueEntry> Decode(IReadOnlyList<KvEntry> entries)
    {
        var result = new List<QueueEntry>(entries.Count);
        foreach (var (key, value) in entries)
        {
            if (key.Length != 10)
            {
                throw new FormatException($"Queue key of {key.Length} bytes is not [0x80, 2] + u64.");
            }
            using var document = JsonDocument.Parse(value);
            var root = document.RootElement;
            result.Add(new QueueEntry(
                BinaryPrimitives.ReadUInt64BigEndian(key.AsSpan(2)),
                root.GetProperty("name").GetString() ?? throw new FormatException("Queue message without a name."),
                System.Text.Encoding.UTF8.GetBytes(root.GetProperty("body").GetRawText()),
                root.GetProperty("createdAt").GetInt64()));
        }
        result.Sort(static (a, b) => a.Id.CompareTo(b.Id));
        return result;
    }
}
