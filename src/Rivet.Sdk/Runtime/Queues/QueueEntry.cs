namespace Rivet.Runtime.Queues;

/// <summary>One queued message of a running actor (its durable copy is a KV entry, <see cref="QueueStorage"/>).</summary>
internal sealed class QueueEntry(ulong id, string name, byte[] body, long createdAtMs)
{
    public ulong Id { get; } = id;

    public string Name { get; } = name;

    /// <summary>The body as Rivet JSON.</summary>
    public byte[] Body { get; } = body;

    public long CreatedAtMs { get; } = createdAtMs;

    /// <summary>Handed to the run loop in the open receive turn.</summary>
    public bool InFlight { get; set; }

    public bool Completed { get; set; }

    /// <summary>The completion response (Rivet JSON), if any.</summary>
    public byte[]? Response { get; set; }
}
