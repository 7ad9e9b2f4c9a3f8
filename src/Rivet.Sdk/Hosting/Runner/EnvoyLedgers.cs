using System;
using System.Collections.Generic;
using System.Linq;
using Rivet.Protocol.Envoy;

namespace Rivet.Hosting.Runner;

/// <summary>
/// Which engine commands were already handled, per actor generation. The engine re-sends every command it has
/// not seen acknowledged after each reconnect; those must not start or stop an actor twice.
/// </summary>
internal sealed class CommandLedger
{
    private readonly Dictionary<(string ActorId, uint Generation), long> _last = new();

    /// <summary>Records the command; false when it (or a later one of that generation) was handled already.</summary>
    public bool TryAccept(ActorCheckpoint checkpoint)
    {
        var key = (checkpoint.ActorId, checkpoint.Generation);
        if (_last.TryGetValue(key, out var last) && checkpoint.Index <= last)
        {
            return false;
        }
        _last[key] = checkpoint.Index;
        return true;
    }
}

/// <summary>
/// The runner's outgoing actor events: numbered from 0 per actor generation, kept until the engine acknowledges
/// them, and re-sent in order after a reconnect (the engine ignores duplicates). The engine acknowledges only in
/// batches (every 250 events of a generation), so a generation's events are also dropped once it has been
/// stopped for <see cref="StoppedRetention"/>: long enough to survive a reconnect, short enough not to grow.
/// </summary>
internal sealed class EventJournal(TimeProvider? time = null)
{
    public static readonly TimeSpan StoppedRetention = TimeSpan.FromSeconds(60);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Dictionary<(string ActorId, uint Generation), long> _nextIndex = new();
    private readonly Dictionary<(string ActorId, uint Generation), DateTimeOffset> _stoppedAt = new();
    private readonly List<EventWrapper> _unacknowledged = new();

    public int PendingCount => _unacknowledged.Count;

    /// <summary>Numbers and keeps the event; a generation without events so far starts at <paramref name="firstIndex"/>.</summary>
    public EventWrapper Append(string actorId, uint generation, IEvent inner, long firstIndex = 0)
    {
        Prune();
        var key = (actorId, generation);
        if (!_nextIndex.TryGetValue(key, out var index))
        {
            index = firstIndex;
        }
        _nextIndex[key] = index + 1;
        var wrapper = new EventWrapper { Checkpoint = new ActorCheckpoint { ActorId = actorId, Generation = generation, Index = index }, Inner = inner };
        _unacknowledged.Add(wrapper);
        if (inner is EventActorStateUpdate { State: ActorStateStopped })
        {
            _stoppedAt[key] = _time.GetUtcNow();
        }
        return wrapper;
    }

    /// <summary>Drops the events and counters of generations stopped longer than <see cref="StoppedRetention"/>.</summary>
    public void Prune()
    {
        if (_stoppedAt.Count == 0)
        {
            return;
        }
        var cutoff = _time.GetUtcNow() - StoppedRetention;
        foreach (var (key, stoppedAt) in _stoppedAt.ToArray())
        {
            if (stoppedAt <= cutoff)
            {
                _unacknowledged.RemoveAll(e => e.Checkpoint.ActorId == key.ActorId && e.Checkpoint.Generation == key.Generation);
                _nextIndex.Remove(key);
                _stoppedAt.Remove(key);
            }
        }
    }

    /// <summary>Drops every event at or below each acknowledged checkpoint.</summary>
    public void Acknowledge(IEnumerable<ActorCheckpoint> checkpoints)
    {
        foreach (var ack in checkpoints)
        {
            _unacknowledged.RemoveAll(e => e.Checkpoint.ActorId == ack.ActorId && e.Checkpoint.Generation == ack.Generation && e.Checkpoint.Index <= ack.Index);
        }
    }

    public EventWrapper[] Unacknowledged() => _unacknowledged.ToArray();
}
