using System.Threading;
using Microsoft.Extensions.Logging;

namespace Rivet;

/// <summary>What a running actor knows about itself: identity, logging, and a client to reach other actors.</summary>
public sealed class ActorContext
{
    internal ActorContext(string actorId, string name, ActorKey key, ILogger logger, RivetClient client, CancellationToken stopping, System.TimeProvider timeProvider)
    {
        TimeProvider = timeProvider;
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
    /// The actor's queues, untyped: receive (in <see cref="Actor.RunAsync"/>) by name filter and in batches. The
    /// generated <c>Queues</c> property of an actor with <see cref="QueueAttribute{TMessage}"/> queues is the typed way.
    /// </summary>
    public ActorQueues Queues => _queues ?? throw new System.InvalidOperationException($"Actor '{Name}' is not running.");

    private ActorQueues? _queues;

    internal void AttachQueues(ActorQueues queues) => _queues = queues;

    /// <summary>
    /// The actor's clock: read the time (<c>GetUtcNow()</c>) and wait (<c>Task.Delay(delay, Context.TimeProvider, ct)</c>)
    /// through it rather than <c>DateTime.UtcNow</c> or <c>Task.Delay(delay)</c> (RIVET055), so a test host's fake clock
    /// drives the actor as it drives its idle sleep, schedule and action timeout. <see cref="System.TimeProvider.System"/>
    /// unless the host was given another (<see cref="Hosting.RivetHostOptions.TimeProvider"/>).
    /// </summary>
    public System.TimeProvider TimeProvider { get; }

    /// <summary>
    /// The actor's own SQLite database (RivetKit's <c>c.db</c>): run by the engine on the runner and serverless hosts,
    /// a local SQLite file per actor when embedded. See <see cref="ActorDatabase"/>.
    /// </summary>
    public ActorDatabase Db => _database ?? throw new System.InvalidOperationException($"Actor '{Name}' has no database on this host.");

    private ActorDatabase? _database;

    internal void AttachDatabase(ActorDatabase? database) => _database = database;

    /// <summary>
    /// The actor's durable recurring jobs (get, list, delete, history; set them with the generated <c>Cron</c> property).
    /// </summary>
    public ActorCron Cron => _cron ??= new ActorCron(this);

    private ActorCron? _cron;

    /// <summary>Cancelled when the actor is being stopped.</summary>
    public CancellationToken Stopping { get; }
}
