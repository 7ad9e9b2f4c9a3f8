namespace Rivet.Runtime.Lifecycle;

/// <summary>
/// What a running actor asks of the host that runs it. The embedded host acts locally; the runner and serverless
/// hosts send the engine intents and alarms (<c>EventActorIntent</c>, <c>EventActorSetAlarm</c>).
/// </summary>
internal interface IActorHostControl
{
    /// <summary>Put the actor to sleep (idle timeout or <see cref="Actor.Sleep"/>): stop it with <see cref="ActorStopReason.Sleep"/>.</summary>
    void RequestSleep(ActorInstance actor);

    /// <summary>Destroy the actor (<see cref="Actor.Destroy"/>): stop it with <see cref="ActorStopReason.Destroy"/> and delete it.</summary>
    void RequestDestroy(ActorInstance actor);

    /// <summary>Wake the actor at <paramref name="at"/> if it is asleep then (its earliest scheduled event); <see langword="null"/> clears it.</summary>
    void SetAlarm(ActorInstance actor, System.DateTimeOffset? at);

    /// <summary>The actor broadcast an event (whether or not a connection subscribed): the test host records it.</summary>
    void EventSent(ActorInstance actor, string eventName, System.ReadOnlyMemory<byte> argumentsJson) { }
}

/// <summary>Why an actor stops.</summary>
internal enum ActorStopReason
{
    /// <summary>Goes to sleep: <c>OnSleepAsync</c>, save, stop; hibernatable connections stay open at the gateway.</summary>
    Sleep,

    /// <summary>Destroyed: <c>OnDestroyAsync</c>, storage deleted.</summary>
    Destroy,

    /// <summary>Its host shuts down or lost it: treated as sleep when possible.</summary>
    Shutdown,
}
