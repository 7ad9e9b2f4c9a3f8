using System;

namespace Rivet.Runtime.Lifecycle;

/// <summary>
/// The host of an actor instance that runs outside any host (benchmarks, tools): sleep and destroy requests and
/// alarms are ignored, so the instance runs until it is stopped or disposed.
/// </summary>
internal sealed class DetachedHostControl : IActorHostControl
{
    public static readonly DetachedHostControl Instance = new();

    private DetachedHostControl() { }

    public void RequestSleep(ActorInstance actor) { }

    public void RequestDestroy(ActorInstance actor) { }

    public void SetAlarm(ActorInstance actor, DateTimeOffset? at) { }
}
