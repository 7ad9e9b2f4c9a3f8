using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Codecs.Cbor;
using Rivet.Storage;
using Rivet.Storage.Persistence;

namespace Rivet.Runtime;

/// <summary>What the runtime keeps for an actor, in the runtime's JSON form.</summary>
internal sealed class PersistedActorState
{
    /// <summary>The creation input as Rivet JSON, or empty.</summary>
    public ReadOnlyMemory<byte> Input { get; init; }

    /// <summary>Whether the create hooks ran to completion.</summary>
    public bool HasInitialized { get; init; }

    /// <summary>The state as Rivet JSON (<c>null</c> for stateless actors).</summary>
    public ReadOnlyMemory<byte> State { get; init; }

    /// <summary>The pending scheduled events, arguments as Rivet JSON arrays.</summary>
    public IReadOnlyList<ScheduledEvent> ScheduledEvents { get; init; } = [];

    /// <summary>The remembered idempotency keys (<see cref="Idempotency"/>), oldest first; written only when not empty.</summary>
    public System.Collections.Immutable.ImmutableList<IdempotencyEntry> Idempotency { get; init; } = [];
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
        var record = new PersistedActor
        {
            HasInitialized = state.HasInitialized,
            Input = state.Input.IsEmpty ? null : CborJson.JsonToCbor(state.Input.Span),
            State = state.State.IsEmpty ? [] : CborJson.JsonToCbor(state.State.Span),
        };
        foreach (var scheduled in state.ScheduledEvents)
        {
            record.ScheduledEvents.Add(new PersistedScheduleEvent
            {
                EventId = scheduled.Id,
                Timestamp = scheduled.At.ToUnixTimeMilliseconds(),
                Action = scheduled.Action,
                Args = CborJson.JsonToCbor(scheduled.ArgumentsJson.Span),
            });
        }
        var actorEntry = new KvEntry(s_persistKey, PersistedActorCodec.Encode(record));
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
                ? Kv.PutAsync([actorEntry], cancellationToken)
                : Kv.PutAsync([actorEntry, new KvEntry(s_idempotencyKey, Runtime.Idempotency.Encode(state.Idempotency))], cancellationToken);
        }
        return Diagnostics.RivetMetrics.StateSaveDuration.Enabled ? TimedAsync(put, System.Diagnostics.Stopwatch.GetTimestamp()) : put;
    }

    /// <summary>Records how long the storage took to make the state durable (only when someone listens).</summary>
    private static async ValueTask TimedAsync(ValueTask put, long started)
    {
        await put.ConfigureAwait(false);
        Diagnostics.RivetMetrics.StateSaveDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
    }
}
