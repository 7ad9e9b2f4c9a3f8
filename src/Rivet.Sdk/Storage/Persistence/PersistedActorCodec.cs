using System;
using System.Collections.Generic;
using System.Buffers;
using Rivet.Codecs.Bare;

namespace Rivet.Storage.Persistence;

/// <summary>
/// Encodes and decodes <see cref="PersistedActor"/> exactly as RivetKit's <c>ACTOR_VERSIONED</c> handler does
/// (<c>rivetkit/src/common/actor-persist-versioned.ts</c>): a 2-byte little-endian version, then the BARE record.
/// Writes version 4; reads versions 1 to 4 (v1/v2 connections and hibernatable WebSockets are dropped, as
/// RivetKit's v2→v3 migration does; v3 and v4 are identical).
/// </summary>
/// <remarks>
/// v3/v4: <c>Actor{input: optional&lt;data&gt;, hasInitialized: bool, state: data, scheduledEvents:
/// list&lt;ScheduleEvent{eventId: str, timestamp: i64, action: str, args: optional&lt;data&gt;}&gt;}</c>.
/// v1/v2: <c>PersistedActor{input, hasInitialized, state, connections: list&lt;PersistedConnection&gt;,
/// scheduledEvents: list&lt;{eventId, timestamp, kind: union{Generic{action, args}}}&gt;,
/// hibernatableWebSockets (v2 only)}</c>.
/// </remarks>
internal static class PersistedActorCodec
{
    /// <summary>The version written by <see cref="Encode(PersistedActor)"/>.</summary>
    public const ushort CurrentVersion = BareVersions.ActorPersist;

    private const ushort OldestVersion = 1;

    /// <summary>Encodes the record with its <c>04 00</c> version prefix.</summary>
    public static byte[] Encode(PersistedActor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var buffer = new ArrayBufferWriter<byte>(64 + (actor.State?.Length ?? 0));
        Encode(actor, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Encodes the record with its <c>04 00</c> version prefix into <paramref name="output"/>.</summary>
    public static void Encode(PersistedActor actor, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(actor.State);
        Encode(actor.Input, actor.HasInitialized, actor.State, actor.ScheduledEvents, output);
    }

    /// <summary>Encodes a record from its parts (the state's CBOR from any buffer), with its <c>04 00</c> version
    /// prefix, into <paramref name="output"/>: the state save builds no <see cref="PersistedActor"/>.</summary>
    public static void Encode(byte[]? input, bool hasInitialized, ReadOnlySpan<byte> state, IReadOnlyList<PersistedScheduleEvent> scheduledEvents, IBufferWriter<byte> output)
    {
        EncodeHead(input, hasInitialized, output);
        var writer = new BareWriter(output);
        writer.WriteData(state);
        EncodeSchedule(scheduledEvents, output);
    }

    /// <summary>The record's bytes before the state: version prefix, input and <c>hasInitialized</c>. A record is
    /// head + state as BARE <c>data</c> + schedule (<see cref="EncodeSchedule"/>); the state save keeps head and schedule
    /// while they do not change.</summary>
    public static void EncodeHead(byte[]? input, bool hasInitialized, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var writer = new BareWriter(output);
        writer.WriteVersion(CurrentVersion);
        WriteOptionalData(ref writer, input);
        writer.WriteBool(hasInitialized);
    }

    /// <summary>The record's bytes after the state: the scheduled events.</summary>
    public static void EncodeSchedule(IReadOnlyList<PersistedScheduleEvent> scheduledEvents, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(scheduledEvents);
        ArgumentNullException.ThrowIfNull(output);
        var writer = new BareWriter(output);
        writer.WriteListCount(scheduledEvents.Count);
        for (var i = 0; i < scheduledEvents.Count; i++)
        {
            var scheduled = scheduledEvents[i];
            ArgumentNullException.ThrowIfNull(scheduled);
            writer.WriteString(scheduled.EventId);
            writer.WriteI64(scheduled.Timestamp);
            writer.WriteString(scheduled.Action);
            WriteOptionalData(ref writer, scheduled.Args);
        }
    }

    /// <summary>Decodes a record stored by RivetKit (versions 1 to 4) or by <see cref="Encode(PersistedActor)"/>.</summary>
    /// <exception cref="BareFormatException">Unknown version, truncated or malformed record, or trailing bytes.</exception>
    public static PersistedActor Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new BareReader(bytes);
        var version = reader.ReadVersion(OldestVersion, CurrentVersion, "actor-persist");
        var actor = new PersistedActor
        {
            Input = ReadOptionalData(ref reader),
            HasInitialized = reader.ReadBool(),
            State = reader.ReadDataArray(),
        };
        if (version >= 3)
        {
            var count = reader.ReadListCount();
            actor.ScheduledEvents.Capacity = count;
            for (var i = 0; i < count; i++)
            {
                actor.ScheduledEvents.Add(new PersistedScheduleEvent
                {
                    EventId = reader.ReadString(),
                    Timestamp = reader.ReadI64(),
                    Action = reader.ReadString(),
                    Args = ReadOptionalData(ref reader),
                });
            }
        }
        else
        {
            SkipLegacyConnections(ref reader, version);
            var count = reader.ReadListCount();
            for (var i = 0; i < count; i++)
            {
                var eventId = reader.ReadString();
                var timestamp = reader.ReadI64(); // u64 in v1: same 8 bytes
                var tagOffset = reader.Offset;
                var tag = reader.ReadUnionTag();
                if (tag != 0)
                {
                    reader.ThrowUnknownTag("PersistedScheduleEventKind", tag, tagOffset);
                }
                actor.ScheduledEvents.Add(new PersistedScheduleEvent
                {
                    EventId = eventId,
                    Timestamp = timestamp,
                    Action = reader.ReadString(),
                    Args = ReadOptionalData(ref reader),
                });
            }
            if (version == 2)
            {
                var sockets = reader.ReadListCount();
                for (var i = 0; i < sockets; i++)
                {
                    reader.ReadData(); // requestId
                    reader.ReadI64(); // lastSeenTimestamp
                    reader.ReadI64(); // msgIndex
                }
            }
        }
        reader.EnsureEnd();
        return actor;
    }

    private static void SkipLegacyConnections(ref BareReader reader, ushort version)
    {
        var count = reader.ReadListCount();
        for (var i = 0; i < count; i++)
        {
            reader.ReadStringUtf8(); // id
            reader.ReadStringUtf8(); // token
            reader.ReadData(); // parameters
            reader.ReadData(); // state
            var subscriptions = reader.ReadListCount();
            for (var s = 0; s < subscriptions; s++)
            {
                reader.ReadStringUtf8(); // eventName
            }
            reader.ReadI64(); // lastSeen
            if (version == 2 && reader.ReadOptional())
            {
                reader.ReadData(); // hibernatableRequestId
            }
        }
    }

    private static void WriteOptionalData(ref BareWriter writer, byte[]? value)
    {
        writer.WriteOptional(value is not null);
        if (value is not null)
        {
            writer.WriteData(value);
        }
    }

    private static byte[]? ReadOptionalData(ref BareReader reader) =>
        reader.ReadOptional() ? reader.ReadDataArray() : null;
}
