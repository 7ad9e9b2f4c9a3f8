using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Client.Connections;
using Rivet.Runtime;
using Rivet.Runtime.Lifecycle;
using Rivet.Storage;

namespace Rivet.Hosting.Embedded;

// What the test host (Rivet.Sdk.Testing) drives on the embedded system: forced sleep, wake and destroy through the
// same stop and start paths idle sleep and Destroy() take, dropped connections, the events actors send, and
// whether every actor has settled. Production hosts never call these.
internal sealed partial class EmbeddedActorSystem
{
    private readonly ConcurrentDictionary<EmbeddedConnectionChannel, string> _channels = new();
    private int _alarmWakes;

    /// <summary>Called for every event an actor broadcasts (the test host records them).</summary>
    internal Action<ActorInstance, string, ReadOnlyMemory<byte>>? EventObserver { get; set; }

    /// <summary>Whether open connections are remembered so <see cref="DropConnectionsAsync"/> can drop them.</summary>
    internal bool TrackConnections { get; set; }

    /// <summary>The storage the actors and the directory live in.</summary>
    internal IActorStorage Storage => _storage;

    void IActorHostControl.EventSent(ActorInstance actor, string eventName, ReadOnlyMemory<byte> argumentsJson) =>
        EventObserver?.Invoke(actor, eventName, argumentsJson);

    private void TrackConnection(string actorId, IActorConnectionChannel channel)
    {
        if (TrackConnections && channel is EmbeddedConnectionChannel embedded)
        {
            foreach (var closed in _channels.Keys.Where(c => c.IsClosed))
            {
                _channels.TryRemove(closed, out _);
            }
            _channels[embedded] = actorId;
        }
    }

    /// <summary>Drops every open connection to the actor as a network failure would; returns how many there were.</summary>
    internal async Task<int> DropConnectionsAsync(string actorId)
    {
        var dropped = 0;
        foreach (var (channel, id) in _channels.ToArray())
        {
            if (id != actorId || !_channels.TryRemove(channel, out _) || channel.IsClosed)
            {
                continue;
            }
            await channel.DropAsync().ConfigureAwait(false);
            dropped++;
        }
        return dropped;
    }

    /// <summary>The actor's record, or <see langword="null"/> when no actor has this name and key.</summary>
    internal ValueTask<EmbeddedActorRecord?> FindAsync(string name, ActorKey key, CancellationToken cancellationToken)
    {
        RequireDefinition(name);
        return _directory.FindAsync(name, key, cancellationToken);
    }

    /// <summary>Creates the actor's record (no start, no hooks) unless it exists.</summary>
    internal ValueTask<EmbeddedActorRecord> CreateRecordAsync(string name, ActorKey key, CancellationToken cancellationToken) =>
        _directory.CreateAsync(RequireDefinition(name).Name, key, ReadOnlyMemory<byte>.Empty, failIfExists: false, cancellationToken);

    /// <summary>Whether the actor runs (awake) now.</summary>
    internal bool IsAwake(string actorId) => TryGetRunning(actorId, out _);

    /// <summary>Starts the actor if it sleeps (its wake hooks and due schedule run, as for a call).</summary>
    internal Task<ActorInstance> WakeAsync(EmbeddedActorRecord record, CancellationToken cancellationToken) =>
        StartOrJoinAsync(record, cancellationToken);

    /// <summary>Stops the actor as idle sleep (or <c>Destroy()</c>) would, and waits for the stop to finish.</summary>
    internal async Task StopAsync(EmbeddedActorRecord record, bool destroy, CancellationToken cancellationToken)
    {
        ActorInstance instance;
        if (TryGetRunning(record.ActorId, out var running))
        {
            instance = running;
        }
        else if (destroy)
        {
            instance = await StartOrJoinAsync(record, cancellationToken).ConfigureAwait(false); // OnDestroy runs on an awake actor
        }
        else
        {
            await WaitForStopAsync(record.ActorId).WaitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }
        BeginStop(instance, destroy ? ActorStopReason.Destroy : ActorStopReason.Sleep);
        await WaitForStopAsync(record.ActorId).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// No actor has work in hand: no stop, alarm wake or start is in flight, and every running actor is quiet
    /// (<see cref="ActorInstance.IsQuiet"/>; with <paramref name="includeTurns"/>, no action runs or waits either).
    /// </summary>
    internal bool IsQuiet(bool includeTurns)
    {
        if (!_stops.IsEmpty || Volatile.Read(ref _alarmWakes) != 0)
        {
            return false;
        }
        foreach (var lazy in _running.Values)
        {
            if (!lazy.IsValueCreated || !lazy.Value.IsCompleted || (lazy.Value.IsCompletedSuccessfully && !lazy.Value.Result.IsQuiet(includeTurns)))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The ids of the running actors.</summary>
    internal IReadOnlyList<string> RunningActorIds => _running.Keys.Where(id => TryGetRunning(id, out _)).ToArray();
}
