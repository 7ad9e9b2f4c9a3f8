using System;
using System.Buffers;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Codecs.Cbor;
using Rivet.Storage;
using Rivet.Storage.Persistence;

namespace Rivet.Runtime;

/// <summary>What the runtime keeps for an actor, in the runtime's JSON form (a struct: one is staged per state save).</summary>
internal readonly struct PersistedActorState
{
    private readonly IReadOnlyList<ScheduledEvent>? _scheduledEvents;
    private readonly System.Collections.Immutable.ImmutableList<IdempotencyEntry>? _idempotency;

    public PersistedActorState()
    {
    }

    /// <summary>The creation input as Rivet JSON, or empty.</summary>
    public ReadOnlyMemory<byte> Input { get; init; }

    /// <summary>Whether the create hooks ran to completion.</summary>
    public bool HasInitialized { get; init; }

    /// <summary>The state as Rivet JSON (<c>null</c> for stateless actors).</summary>
    public ReadOnlyMemory<byte> State { get; init; }

    /// <summary>The pending scheduled events, arguments as Rivet JSON arrays.</summary>
    public IReadOnlyList<ScheduledEvent> ScheduledEvents { get => _scheduledEvents ?? []; init => _scheduledEvents = value; }

    /// <summary>The remembered idempotency keys (<see cref="Idempotency"/>), oldest first; written only when not empty.</summary>
    public System.Collections.Immutable.ImmutableList<IdempotencyEntry> Idempotency { get => _idempotency ?? []; init => _idempotency = value; }
}

/// <summary>
/// Loads and saves an actor's record through its KV store, the same on every host: RivetKit's legacy layout, the
/// actor-persist v4 record (BARE, <c>04 00</c> prefix) at key <c>[1]</c> with input, state and schedule arguments as CBOR, so the data
/// stays readable by RivetKit tools.
/// </summary>
internal sealed class ActorStateStore(IActorKv kv)
{
    private static readonly byte[] s_persistKey = KvKeys.PersistedActor.ToArray();
    private static readonly byte[] s_idempotencyKey = KvKeys.Idempotency.ToArray();

    /// <summary>Per-thread buffers of <see cref="Encode"/> larger than this are dropped after a save.</summary>
    private const int MaxKeptBuffer = 64 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_stateCbor;

    [ThreadStatic]
    private static KvEntry[]? t_oneEntry;

    // The state's CBOR written by the generated writer (PreEncode) and the state JSON array it belongs to.
    [ThreadStatic]
    private static StateCborWriter? t_preEncoded;

    [ThreadStatic]
    private static byte[]? t_preEncodedFor;

    /// <summary>An empty schedule: a BARE list of no events.</summary>
    private static readonly byte[] s_emptySchedule = [0];

    private HeadCache? _head;
    private TailCache? _tail;

    public IActorKv Kv { get; } = kv;

    public async ValueTask<PersistedActorState?> LoadAsync(CancellationToken cancellationToken)
    {
        var values = await Kv.GetAsync([s_persistKey, s_idempotencyKey], cancellationToken).ConfigureAwait(false);
        if (values[0] is not { } bytes)
        {
            return null;
        }
        var record = PersistedActorCodec.Decode(bytes);
        return new PersistedActorState
        {
            HasInitialized = record.HasInitialized,
            Input = record.Input is { Length: > 0 } input ? CborJson.CborToJson(input) : ReadOnlyMemory<byte>.Empty,
            State = record.State.Length > 0 ? CborJson.CborToJson(record.State) : ReadOnlyMemory<byte>.Empty,
            ScheduledEvents = record.ScheduledEvents.ConvertAll(e => new ScheduledEvent(
                e.EventId,
                DateTimeOffset.FromUnixTimeMilliseconds(e.Timestamp),
                e.Action,
                e.Args is { Length: > 0 } args ? CborJson.CborToJson(args) : "[]"u8.ToArray())),
            Idempotency = values[1] is { } remembered ? Runtime.Idempotency.Decode(remembered) : [],
        };
    }

    /// <summary>Writes the actor's record (and its remembered idempotency keys) in one batch put, with
    /// <paramref name="alongside"/> (connection records whose message index advanced) in the same put.</summary>
    public ValueTask SaveAsync(PersistedActorState state, CancellationToken cancellationToken, IReadOnlyList<KvEntry>? alongside = null)
    {
        var actorEntry = new KvEntry(s_persistKey, Encode(state));
        // The remembered idempotency keys go in the same batch put as the state they answer for.
        ValueTask put;
        if (alongside is { Count: > 0 })
        {
            var entries = new List<KvEntry>(alongside.Count + 2) { actorEntry };
            if (!state.Idempotency.IsEmpty)
            {
                entries.Add(new KvEntry(s_idempotencyKey, Runtime.Idempotency.Encode(state.Idempotency)));
            }
            entries.AddRange(alongside);
            put = Kv.PutAsync(entries, cancellationToken);
        }
        else
        {
            put = state.Idempotency.IsEmpty
                ? PutOne(actorEntry, cancellationToken)
                : Kv.PutAsync([actorEntry, new KvEntry(s_idempotencyKey, Runtime.Idempotency.Encode(state.Idempotency))], cancellationToken);
        }
        return Diagnostics.RivetMetrics.StateSaveDuration.Enabled ? TimedAsync(put, System.Diagnostics.Stopwatch.GetTimestamp()) : put;
    }

    /// <summary>Puts one entry through a per-thread one-entry list, kept for the next save once the put completed (the
    /// storage is done with the list by then).</summary>
    private ValueTask PutOne(KvEntry entry, CancellationToken cancellationToken)
    {
        var entries = t_oneEntry ?? new KvEntry[1];
        t_oneEntry = null;
        entries[0] = entry;
        var put = Kv.PutAsync(entries, cancellationToken);
        if (put.IsCompleted)
        {
            entries[0] = default;
            t_oneEntry = entries;
        }
        return put;
    }

    /// <summary>
    /// Writes the state's CBOR with the generated writer (<see cref="ActorDefinition.TryWriteStateCbor"/>), for the
    /// next <see cref="SaveAsync"/> on this thread of a record whose state is <paramref name="stateJson"/>: that save
    /// takes it instead of transcoding the JSON. Call it right after the JSON was written from the same state, before
    /// any other code runs on it. A save of another record (a staged one written later, another actor) transcodes as before.
    /// </summary>
    internal static void PreEncode(byte[] stateJson, ActorDefinition definition, Actor actor)
    {
        var writer = t_preEncoded ??= new StateCborWriter();
        writer.Reset();
        try
        {
            t_preEncodedFor = definition.TryWriteStateCbor(actor, writer) ? stateJson : null;
        }
        catch (Exception)
        {
            // A getter that threw now and not for the JSON: the save transcodes the JSON, as without the writer.
            t_preEncodedFor = null;
        }
    }

    /// <summary>The record's bytes before the state (<see cref="PersistedActorCodec.EncodeHead"/>) for an input (Rivet
    /// JSON) and <c>hasInitialized</c>: the input never changes once the actor exists.</summary>
    private sealed record HeadCache(ReadOnlyMemory<byte> InputJson, bool HasInitialized, byte[] Bytes);

    /// <summary>The record's bytes after the state (<see cref="PersistedActorCodec.EncodeSchedule"/>) for a schedule:
    /// the schedule hands out the same immutable list until it changes.</summary>
    private sealed record TailCache(IReadOnlyList<ScheduledEvent> Schedule, byte[] Bytes);

    /// <summary>
    /// The record's bytes: the state's CBOR (written into a per-thread buffer) between the head and the schedule,
    /// both kept while they stay the same, so a save encodes only the state and allocates only the value it hands to
    /// the storage (which may keep it). The bytes are those of <see cref="PersistedActorCodec.Encode(byte[], bool, ReadOnlySpan{byte}, IReadOnlyList{PersistedScheduleEvent}, IBufferWriter{byte})"/>.
    /// </summary>
    private byte[] Encode(PersistedActorState state)
    {
        var stateCbor = t_stateCbor ?? new ArrayBufferWriter<byte>(256);
        t_stateCbor = null;
        try
        {
            ReadOnlySpan<byte> cbor;
            if (t_preEncodedFor is { } preEncodedFor && System.Runtime.InteropServices.MemoryMarshal.TryGetArray(state.State, out var json)
                && json.Array == preEncodedFor && json.Offset == 0 && json.Count == preEncodedFor.Length)
            {
                cbor = t_preEncoded!.Written;
            }
            else
            {
                if (!state.State.IsEmpty)
                {
                    CborJson.JsonToCbor(state.State.Span, stateCbor);
                }
                cbor = stateCbor.WrittenSpan;
            }
            var head = Head(state.Input, state.HasInitialized);
            var tail = Tail(state.ScheduledEvents);
            // The state as BARE data: its length (unsigned LEB128), then its bytes.
            Span<byte> length = stackalloc byte[5];
            var lengthSize = 0;
            for (var remaining = (uint)cbor.Length; ; remaining >>= 7)
            {
                if (remaining < 0x80)
                {
                    length[lengthSize++] = (byte)remaining;
                    break;
                }
                length[lengthSize++] = (byte)(remaining | 0x80);
            }
            var value = new byte[head.Length + lengthSize + cbor.Length + tail.Length];
            var span = value.AsSpan();
            head.CopyTo(span);
            span = span[head.Length..];
            length[..lengthSize].CopyTo(span);
            span = span[lengthSize..];
            cbor.CopyTo(span);
            tail.CopyTo(span[cbor.Length..]);
            return value;
        }
        finally
        {
            // Kept for the next save on this thread unless a large state made it large.
            t_stateCbor = Recycle(stateCbor);
            t_preEncodedFor = null;
            if (t_preEncoded is { Capacity: > MaxKeptBuffer })
            {
                t_preEncoded = null;
            }
        }
    }

    private static ArrayBufferWriter<byte>? Recycle(ArrayBufferWriter<byte> buffer)
    {
        if (buffer.Capacity > MaxKeptBuffer)
        {
            return null;
        }
        buffer.ResetWrittenCount();
        return buffer;
    }

    private byte[] Head(ReadOnlyMemory<byte> input, bool hasInitialized)
    {
        if (_head is { } cached && cached.InputJson.Equals(input) && cached.HasInitialized == hasInitialized)
        {
            return cached.Bytes;
        }
        var bytes = new ArrayBufferWriter<byte>(16 + input.Length);
        PersistedActorCodec.EncodeHead(input.IsEmpty ? null : CborJson.JsonToCbor(input.Span), hasInitialized, bytes);
        _head = new HeadCache(input, hasInitialized, bytes.WrittenSpan.ToArray());
        return _head.Bytes;
    }

    private byte[] Tail(IReadOnlyList<ScheduledEvent> schedule)
    {
        if (schedule.Count == 0)
        {
            return s_emptySchedule;
        }
        if (_tail is { } cached && ReferenceEquals(cached.Schedule, schedule))
        {
            return cached.Bytes;
        }
        var bytes = new ArrayBufferWriter<byte>(64);
        PersistedActorCodec.EncodeSchedule(Scheduled(schedule), bytes);
        _tail = new TailCache(schedule, bytes.WrittenSpan.ToArray());
        return _tail.Bytes;
    }

    private static IReadOnlyList<PersistedScheduleEvent> Scheduled(IReadOnlyList<ScheduledEvent> events)
    {
        if (events.Count == 0)
        {
            return [];
        }
        var persisted = new PersistedScheduleEvent[events.Count];
        for (var i = 0; i < persisted.Length; i++)
        {
            var scheduled = events[i];
            persisted[i] = new PersistedScheduleEvent
            {
                EventId = scheduled.Id,
                Timestamp = scheduled.At.ToUnixTimeMilliseconds(),
                Action = scheduled.Action,
                Args = CborJson.JsonToCbor(scheduled.ArgumentsJson.Span),
            };
        }
        return persisted;
    }

    /// <summary>Records how long the storage took to make the state durable (only when someone listens).</summary>
    private static async ValueTask TimedAsync(ValueTask put, long started)
    {
        await put.ConfigureAwait(false);
        Diagnostics.RivetMetrics.StateSaveDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
    }
}
