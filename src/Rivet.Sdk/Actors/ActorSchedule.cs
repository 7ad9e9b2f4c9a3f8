using System;
using System.Collections.Generic;
using System.ComponentModel;
using Rivet.Runtime;

namespace Rivet;

/// <summary>A call to one of the actor's own actions, saved to run at a given time.</summary>
/// <param name="Id">The event id (a UUID); pass it to <see cref="ActorSchedule.Cancel"/>.</param>
/// <param name="At">When it runs.</param>
/// <param name="Action">The action's wire name.</param>
/// <param name="ArgumentsJson">The action's arguments as a UTF-8 JSON array.</param>
public sealed record ScheduledEvent(string Id, DateTimeOffset At, string Action, ReadOnlyMemory<byte> ArgumentsJson)
{
    /// <summary>The span that scheduled the event (its run links to it); kept in memory only, so an event loaded
    /// after a restart has none.</summary>
    internal System.Diagnostics.ActivityContext ScheduledBy { get; init; }
}

/// <summary>
/// The actor's durable schedule: calls to its own actions that run later, even if the actor sleeps or its process
/// restarts in between (the host wakes it). Use the generated typed scheduler —
/// <c>Schedule.After(TimeSpan.FromMinutes(5)).Increment(3)</c> — to schedule; this class lists and cancels.
/// </summary>
/// <remarks>Events added inside an action are saved with the state when the action completes, and dropped if it
/// throws. A scheduled action that throws is logged and not retried, as in RivetKit.</remarks>
public sealed partial class ActorSchedule
{
    /// <summary>The pending events, earliest first.</summary>
    public IReadOnlyList<ScheduledEvent> List() => ListCore();

    /// <summary>The pending event with id <paramref name="eventId"/>, or <see langword="null"/> (RivetKit's <c>schedule.get</c>).</summary>
    public ScheduledEvent? Get(string eventId)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventId);
        foreach (var scheduled in List())
        {
            if (scheduled.Id == eventId)
            {
                return scheduled;
            }
        }
        return null;
    }

    /// <summary>Cancels a pending event.</summary>
    /// <returns>Whether the event was pending.</returns>
    public bool Cancel(string eventId) => CancelCore(eventId);

    /// <summary>The time <paramref name="delay"/> from now on the actor's clock (<see cref="ActorContext.TimeProvider"/>). Used by the generated typed scheduler.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public DateTimeOffset DueAfter(TimeSpan delay) => _time.GetUtcNow() + delay;

    /// <summary>Schedules a call to the action <paramref name="action"/>. Used by the generated typed scheduler.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public ScheduledEvent Add(DateTimeOffset at, string action, ActionArguments arguments)
    {
        ArgumentException.ThrowIfNullOrEmpty(action);
        ArgumentNullException.ThrowIfNull(arguments);
        return AddCore(at, action, arguments.Complete());
    }

    /// <summary>Schedules a call to the action named <paramref name="action"/> with raw JSON arguments.</summary>
    /// <param name="at">When to run it; a time in the past runs it as soon as possible.</param>
    /// <param name="action">The action's wire name.</param>
    /// <param name="argumentsJson">The arguments as a UTF-8 JSON array.</param>
    public ScheduledEvent AddRaw(DateTimeOffset at, string action, ReadOnlyMemory<byte> argumentsJson)
    {
        ArgumentException.ThrowIfNullOrEmpty(action);
        return AddCore(at, action, argumentsJson);
    }
}
