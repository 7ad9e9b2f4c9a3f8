using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Runtime.Connections;

namespace Rivet.Runtime;

// The connection a raw request or raw WebSocket gets, as in RivetKit 2.3.19: the caller's parameters (header
// x-rivet-conn-params, or the socket's rivet_conn_params subprotocol) go through OnBeforeConnectAsync (which may refuse),
// CreateConnectionState and OnConnectAsync; the handler sees it as Caller; it disconnects when the request is answered
// or the socket ends.
internal sealed partial class ActorInstance
{
    // A raw socket's handler runs outside a turn: its connection flows with it (only for this actor's code).
    private static readonly AsyncLocal<Connection?> s_rawSocketCaller = new();

    /// <summary>Connections of hibernatable raw sockets: like the sockets, they do not keep the actor awake.</summary>
    private int _hibernatableRawConnections;

    /// <summary>The raw socket connection of the code running now, when it belongs to this actor.</summary>
    private Connection? RawSocketCaller => s_rawSocketCaller.Value is { } connection && ReferenceEquals(connection.Owner, this) ? connection : null;

    /// <summary>
    /// Opens the connection of one raw request or socket (its own turn): parameters from <paramref name="paramsJson"/>,
    /// then the actor's connection hooks. Throws what <see cref="ConnectAsync"/> throws when they refuse.
    /// </summary>
    public Task<Connection> ConnectRawAsync(ReadOnlyMemory<byte> paramsJson, string path, IReadOnlyDictionary<string, string> headers,
        Action<string?>? onClose, CancellationToken cancellationToken) =>
        ConnectAsync(new ConnectionOpen(paramsJson, path, headers, Hibernation: null), new RawConnectionOutput(onClose), cancellationToken);

    /// <summary>
    /// The connection of a raw socket, seen as <c>Caller</c> by its handler; the actor closing it closes the socket,
    /// except a <paramref name="hibernatable"/> one at a sleep (the connection ends, the socket stays open).
    /// </summary>
    private async Task<Connection> ConnectRawSocketAsync(System.Net.WebSockets.WebSocket socket, System.Net.Http.HttpRequestMessage request,
        ReadOnlyMemory<byte> paramsJson, bool hibernatable)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers)
        {
            headers[name] = string.Join(", ", values);
        }
        var connection = await ConnectRawAsync(paramsJson, request.RequestUri?.PathAndQuery ?? "/", headers,
            reason =>
            {
                if (!(hibernatable && reason == StoppingCloseReason))
                {
                    _ = CloseQuietlyAsync(socket, System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, reason ?? "");
                }
            },
            _stopping.Token).ConfigureAwait(false);
        return connection;
    }

    /// <summary>Ends a raw connection (OnDisconnect runs); never throws and never waits past the actor's stop.</summary>
    public async Task DisconnectRawAsync(Connection connection, string reason)
    {
        try
        {
            await DisconnectAsync(connection, reason, _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or RivetException or ObjectDisposedException)
        {
            // The actor is stopping: its stop forgets the connection.
        }
    }

    /// <summary>Raw connections get no events (they subscribe to none); the actor closing one ends its socket.</summary>
    private sealed class RawConnectionOutput(Action<string?>? onClose) : IConnectionOutput
    {
        public void SendEvent(string eventName, ReadOnlyMemory<byte> argumentsJson)
        {
        }

        public void Close(string? reason) => onClose?.Invoke(reason);
    }
}
