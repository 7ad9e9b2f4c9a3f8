using System;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Runtime.Lifecycle;

namespace Rivet.Runtime;

// Sleep, destroy, idle timeout and schedule of a running actor. OWNER: lifecycle-schedule helper (replace these placeholders).
internal sealed partial class ActorInstance
{
    /// <summary>Asks the host to put the actor to sleep after the current turn.</summary>
    public void RequestSleep() => throw new NotImplementedException();

    /// <summary>Asks the host to destroy the actor after the current turn.</summary>
    public void RequestDestroy() => throw new NotImplementedException();

    /// <summary>Stops the actor: waits for the running turn, runs OnSleep or OnDestroy, saves (or, for destroy, deletes) its storage.</summary>
    public Task StopAsync(ActorStopReason reason, CancellationToken cancellationToken) => throw new NotImplementedException();
}
