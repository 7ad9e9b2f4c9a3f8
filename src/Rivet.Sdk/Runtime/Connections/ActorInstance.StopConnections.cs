using System.Threading;
using System.Threading.Tasks;
using Rivet.Runtime.Lifecycle;

namespace Rivet.Runtime;

// What happens to connections when the actor stops. Called by the lifecycle code in its stop turn.
internal sealed partial class ActorInstance
{
    /// <summary>Close reason given to connections when their actor goes to sleep or its host stops.</summary>
    public const string StoppingCloseReason = "actor.stopping";

    /// <summary>Close reason given to connections when their actor is destroyed.</summary>
    public const string DestroyedCloseReason = "actor.destroyed";

    /// <summary>
    /// Closes the connections that do not survive the stop and runs their <see cref="Actor.OnDisconnectAsync"/>:
    /// on sleep or shutdown every connection except the hibernatable ones (the gateway keeps their sockets open and
    /// their records stay for the next wake); on destroy all of them. Call it while holding the turn (the stop's),
    /// after <c>OnSleep</c>/<c>OnDestroy</c> and before the final save; it works whether or not the instance is
    /// already marked stopped, and never throws (failing hooks are logged).
    /// </summary>
    public async Task CloseConnectionsForStopAsync(ActorStopReason reason)
    {
        var destroy = reason == ActorStopReason.Destroy;
        foreach (var connection in Volatile.Read(ref _connections))
        {
            if ((!destroy && connection.IsHibernatable) || !connection.TryMarkClosed())
            {
                continue;
            }
            Unregister(connection);
            LogDisconnected(_logger, Definition.Name, Key, connection.Id, destroy ? "the actor was destroyed" : "the actor is stopping");
            connection.Output?.Close(destroy ? DestroyedCloseReason : StoppingCloseReason);
            await FinishDisconnectAsync(connection, evenIfStopped: true).ConfigureAwait(false);
        }
        if (_pendingDisconnects is { } queue)
        {
            while (queue.TryDequeue(out var connection))
            {
                await FinishDisconnectAsync(connection, evenIfStopped: true).ConfigureAwait(false);
            }
        }
    }
}
