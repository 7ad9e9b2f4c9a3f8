using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using Rivet.Runtime;

namespace Rivet;

// Runtime side of ActorSchedule: the saved events, and the working copy of the current turn. A turn that completes
// commits its changes with the state; a turn that throws drops them (the working copy is discarded).
public sealed partial class ActorSchedule
{
    private readonly Lock _gate = new();
    private readonly ActorDefinition? _definition;
    private ScheduledEvent[] _saved = [];
    private List<ScheduledEvent>? _working;
    private readonly TimeProvider _time = TimeProvider.System;

    internal ActorSchedule() { }

    internal ActorSchedule(ActorDefinition definition, IEnumerable<ScheduledEvent> saved, TimeProvider time)
    {
        _definition = definition;
        _time = time;
        _saved = Sorted(saved);
    }

    /// <summary>Whether the current turn changed the schedule (it must be saved with the state).</summary>
    // One reference read needs no lock (checked after every action, so kept cheap); it is as current as a read under the lock.
    internal bool HasChanges => Volatile.Read(ref _working) is not null;

    /// <summary>The events the current turn sees (saved events plus its own changes), earliest first.</summary>
    internal IReadOnlyList<ScheduledEvent> Current
    {
        get
        {
            lock (_gate)
            {
                return _working is null ? _saved : Sorted(_working);
            }
        }
    }

    /// <summary>The earliest saved event's time, or <see langword="null"/> when none is pending.</summary>
    internal DateTimeOffset? EarliestSaved
    {
        get
        {
            lock (_gate)
            {
                return _saved.Length == 0 ? null : _saved[0].At;
            }
        }
    }

    /// <summary>The earliest saved event due at <paramref name="now"/>, or <see langword="null"/>.</summary>
    internal ScheduledEvent? FirstDue(DateTimeOffset now)
    {
        lock (_gate)
        {
            return _saved.Length > 0 && _saved[0].At <= now ? _saved[0] : null;
        }
    }

    /// <summary>The current turn's changes were saved: they become the saved schedule.</summary>
    internal void Commit()
    {
        if (Volatile.Read(ref _working) is null)
        {
            return;
        }
        lock (_gate)
        {
            if (_working is not null)
            {
                _saved = Sorted(_working);
                _working = null;
            }
        }
    }

    /// <summary>Replaces the saved events with <paramref name="saved"/> (the last durable ones, after a failed save) and drops the turn's changes.</summary>
    internal void Restore(IReadOnlyList<ScheduledEvent> saved)
    {
        lock (_gate)
        {
            _saved = Sorted(saved);
            _working = null;
        }
    }

    /// <summary>Drops the current turn's changes.</summary>
    internal void Rollback()
    {
        lock (_gate)
        {
            _working = null;
        }
    }

    /// <summary>Drops the current turn's changes except the removal of <paramref name="eventId"/> (a fired event is never retried).</summary>
    internal void RollbackKeepingRemoval(string eventId)
    {
        lock (_gate)
        {
            _working = _saved.Where(e => e.Id != eventId).ToList();
        }
    }

    /// <summary>Adds (or replaces, by id) an event in the current turn's working copy: a cron job's next fire keeps its id.</summary>
    internal void Put(ScheduledEvent scheduled)
    {
        lock (_gate)
        {
            var working = _working ??= [.. _saved];
            working.RemoveAll(e => e.Id == scheduled.Id);
            working.Add(scheduled);
        }
    }

    /// <summary>Checks that the actor has an action named <paramref name="action"/> and that its arguments are one JSON array; returns the arguments.</summary>
    internal byte[] Validate(string action, ReadOnlyMemory<byte> argumentsJson)
    {
        if (_definition is { } definition && !definition.ActionNames.Contains(action, StringComparer.Ordinal))
        {
            throw new ArgumentException(
                $"Actor '{definition.Name}' has no action '{action}' to schedule (actions: {string.Join(", ", definition.ActionNames)}).", nameof(action));
        }
        var arguments = argumentsJson.IsEmpty ? "[]"u8.ToArray() : argumentsJson.ToArray();
        RequireJsonArray(arguments, action);
        return arguments;
    }

    private IReadOnlyList<ScheduledEvent> ListCore() => Current;

    private bool CancelCore(string eventId)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventId);
        lock (_gate)
        {
            var working = _working ??= [.. _saved];
            return working.RemoveAll(e => e.Id == eventId) > 0;
        }
    }

    private ScheduledEvent AddCore(DateTimeOffset at, string action, ReadOnlyMemory<byte> argumentsJson)
    {
        var arguments = Validate(action, argumentsJson);
        // Millisecond precision: what the persisted record keeps, so List() reads the same before and after a restart.
        var scheduled = new ScheduledEvent(Guid.NewGuid().ToString(), DateTimeOffset.FromUnixTimeMilliseconds(at.ToUnixTimeMilliseconds()), action, arguments)
        {
            ScheduledBy = System.Diagnostics.Activity.Current?.Context ?? default,
        };
        lock (_gate)
        {
            (_working ??= [.. _saved]).Add(scheduled);
        }
        return scheduled;
    }

    private static void RequireJsonArray(byte[] json, string action)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray || !reader.TrySkip() || reader.Read())
            {
                throw new ArgumentException($"The arguments of scheduled action '{action}' must be one JSON array.", "argumentsJson");
            }
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"The arguments of scheduled action '{action}' are not valid JSON: {ex.Message}", "argumentsJson", ex);
        }
    }

    // Stable by time: events at the same time keep the order they were added in.
    private static ScheduledEvent[] Sorted(IEnumerable<ScheduledEvent> events) => events.OrderBy(e => e.At).ToArray();
}
