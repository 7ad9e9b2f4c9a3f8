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
    /// The actor's queues, untyped: receive (in <see cref="Actor.RunAsync"/>) by name filter and in batches. The
    /// generated <c>Queues</c> property of an actor with <see cref="QueueAttribute{TMessage}"/> queues is the typed way.
    /// </summary>
    public ActorQueues Queues => _queues ?? throw new System.InvalidOperationException($"Actor '{Name}' is not running.");

    private ActorQueues? _queues;

    internal void AttachQueues(ActorQueues queues) => _queues = queues;

    /// <summary>
    /// The actor's durable recurring jobs (get, list, delete, history; set them with the generated <c>Cron</c> property).
    /// </summary>
    public ActorCron Cron => _cron ??= new ActorCron(this);

    private ActorCron? _cron;

    /// <summary>The clock the runtime reads and times with (<see cref="P:Rivet.Hosting.RivetHostOptions.TimeProvider"/>).</summary>
    public System.TimeProvider TimeProvider { get; internal set; } = System.TimeProvider.System;

    /// <summary>Cancelled when the actor is being stopped.</summary>
    public CancellationToken Stopping { get; }
}
