using System.Threading;

namespace Rivet.Runtime;

// Whether the actor has work in hand, for hosts that wait until their actors settle (the test host).
internal sealed partial class ActorInstance
{
    /// <summary>No scheduled event is being run and every write is durable; with <paramref name="includeTurns"/>, also
    /// no turn (an action, a connection) runs or waits.</summary>
    public bool IsQuiet(bool includeTurns) =>
        (!includeTurns || Volatile.Read(ref _pendingTurns) == 0) && Volatile.Read(ref _firing) == 0 && PendingDurability().IsCompleted;
}
