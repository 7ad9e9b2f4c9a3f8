using System.Threading;
using Microsoft.Extensions.Logging;

namespace Rivet;

/// <summary>What a running actor knows about itself: identity, logging, and a client to reach other actors.</summary>
public sealed class ActorContext
{
    internal ActorContext(string actorId, string name, ActorKey key, ILogger logger, RivetClient client, CancellationToken stopping)
    {
        ActorId = actorId;
        Name = name;
        Key = key;
        Logger = logger;
        Client = client;
        Stopping = stopping;
    }

    /// <summary>The actor's unique id.</summary>
    public string ActorId { get; }

    /// <summary>The actor name (e.g. <c>counter</c>).</summary>
    public string Name { get; }

    /// <summary>The key this instance was created with.</summary>
    public ActorKey Key { get; }

    /// <summary>A logger scoped to this actor.</summary>
    public ILogger Logger { get; }

    /// <summary>A client for calling other actors (<c>Context.Client.Counter.Get("x")</c>).</summary>
    public RivetClient Client { get; }

    /// <summary>The actor's durable schedule (list and cancel; schedule with the generated <c>Schedule</c> property).</summary>
    public ActorSchedule Schedule => _schedule ?? throw new System.InvalidOperationException($"Actor '{Name}' has no schedule yet.");

    private ActorSchedule? _schedule;

    internal void AttachSchedule(ActorSchedule schedule) => _schedule = schedule;

    /// <summary>
    /// The actor's own SQLite database (RivetKit's <c>c.db</c>): run by the engine on the runner and serverless hosts,
    /// a local SQLite file per actor when embedded. See <see cref="ActorDatabase"/>.
    /// </summary>
    public ActorDatabase Db => _database ?? throw new System.InvalidOperationException($"Actor '{Name}' has no database on this host.");

    private ActorDatabase? _database;

    internal void AttachDatabase(ActorDatabase? database) => _database = database;

    /// <summary>Cancelled when the actor is being stopped.</summary>
    public CancellationToken Stopping { get; }
}
