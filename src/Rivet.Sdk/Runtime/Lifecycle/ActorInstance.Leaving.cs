using Rivet.Runtime.Lifecycle;

namespace Rivet.Runtime;

// Whether a host may still hand new calls to this instance without looking it up again (the embedded host's lookup
// cache on a handle's query). The host marks the instance before it takes it out of its running set, so a cached
// instance is never used after the lookup that replaces the cache would have missed it.
internal sealed partial class ActorInstance
{
    private volatile bool _leaving;

    /// <summary>The host begins to stop this instance (sleep, destroy): calls must look the actor up again.</summary>
    public void MarkLeaving() => _leaving = true;

    /// <summary>Whether <paramref name="host"/> runs this instance and has not begun to stop it.</summary>
    public bool IsServing(IActorHostControl host) => !_leaving && !_stopped && ReferenceEquals(_host, host);
}
