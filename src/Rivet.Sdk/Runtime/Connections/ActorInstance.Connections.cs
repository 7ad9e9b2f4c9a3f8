using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Runtime.Connections;

namespace Rivet.Runtime;

// Connections and events of a running actor. OWNER: connections-runtime helper (replace these placeholders).
internal sealed partial class ActorInstance
{
    /// <summary>The open connections.</summary>
    public IReadOnlyCollection<Connection> ConnectionList => [];

    /// <summary>Queues the event to every connection subscribed to it.</summary>
    public void Broadcast(string eventName, ReadOnlyMemory<byte> argumentsJson) => throw new NotImplementedException();

    /// <summary>
    /// Accepts a connection in the actor's turn: params decoded with the definition's params type,
    /// <see cref="IConnectionParams{TParams}.OnBeforeConnectAsync"/> (throws to reject), connection state,
    /// <see cref="Actor.OnConnectAsync"/>; hibernatable connections are persisted before this returns.
    /// </summary>
    public Task<Connection> ConnectAsync(ConnectionOpen open, IConnectionOutput output, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>Removes a connection in the actor's turn and runs <see cref="Actor.OnDisconnectAsync"/>.</summary>
    public Task DisconnectAsync(Connection connection, string? reason, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>Adds or removes a subscription (persisted for hibernatable connections).</summary>
    public Task SetSubscriptionAsync(Connection connection, string eventName, bool subscribe, CancellationToken cancellationToken) => throw new NotImplementedException();
}
