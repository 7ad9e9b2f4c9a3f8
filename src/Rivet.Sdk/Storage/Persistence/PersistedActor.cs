using System.Collections.Generic;

namespace Rivet.Storage.Persistence;

/// <summary>
/// The persisted actor record of RivetKit's KV layout (actor-persist v4 <c>Actor</c>, stored at
/// <see cref="KvKeys.PersistedActor"/>). State, input and schedule arguments are CBOR, as RivetKit writes them.
/// </summary>
internal sealed class PersistedActor
{
    /// <summary>CBOR of the actor's creation input, or <see langword="null"/> when none was given.</summary>
    public byte[]? Input { get; set; }

    /// <summary>Whether the first-start hooks (create state, <c>onCreate</c>) have completed.</summary>
    public bool HasInitialized { get; set; }

    /// <summary>CBOR of the actor's state.</summary>
    public byte[] State { get; set; } = [];

    /// <summary>Scheduled actions, in stored order.</summary>
    public List<PersistedScheduleEvent> ScheduledEvents { get; init; } = [];
}

/// <summary>One scheduled action (actor-persist v4 <c>ScheduleEvent</c>).</summary>
internal sealed class PersistedScheduleEvent
{
    /// <summary>The event's id (RivetKit uses a UUID).</summary>
    public required string EventId { get; set; }

    /// <summary>When to run it, in milliseconds since the Unix epoch.</summary>
    public long Timestamp { get; set; }

    /// <summary>The action to call.</summary>
    public required string Action { get; set; }

    /// <summary>CBOR of the argument array, or <see langword="null"/>.</summary>
    public byte[]? Args { get; set; }
}
