using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Rivet.Protocol.Envoy;

namespace Rivet.Hosting.Runner;

/// <summary>
/// Client messages for sockets this process never opened nor restored. After a runner process dies and comes back
/// under the same key within the engine's lost threshold, the engine still routes the old process's sockets here:
/// their client messages arrive, but the socket (and its actor) died with the process. Ignoring them leaves the client
/// waiting for answers until its call times out and it reconnects (~30 s); closing the socket at the gateway makes the
/// client reconnect at once, and that reconnect's open restarts the actor here (the stray-actor path).
/// </summary>
internal sealed partial class RunnerConnectSockets
{
    /// <summary>Close reason (code 1011: the client reconnects) of a socket the previous process of this runner held.</summary>
    public const string UnknownSocketReason = "ws.socket_not_found";

    /// <summary>How many socket keys are remembered; past it the memory starts over (an extra close of a socket that was
    /// abandoned long ago only makes its client reconnect).</summary>
    private const int MaxSeenSockets = 65_536;

    /// <summary>Keys of the sockets this process opened, restored or already closed as unknown. A message for a socket
    /// abandoned here (its actor slept or moved) still arrives now and then; the gateway delivers it again after the wake,
    /// so such a socket must not be closed.</summary>
    private readonly ConcurrentDictionary<ulong, byte> _seen = new();

    private void NoteSeen(byte[] gatewayId, byte[] requestId) => MarkSeen(Key(gatewayId, requestId));

    /// <summary>Remembers the socket; true when it was new to this process.</summary>
    private bool MarkSeen(ulong key)
    {
        if (_seen.Count >= MaxSeenSockets)
        {
            _seen.Clear();
        }
        return _seen.TryAdd(key, 0);
    }

    /// <summary>A client message matched no socket here: closes the socket once if this process never knew it.</summary>
    private void OnUnknownMessage(MessageId id)
    {
        if (!MarkSeen(Key(id.GatewayId, id.RequestId)))
        {
            LogUnknownSocket(_logger, "message", id.MessageIndex);
            return;
        }
        LogUnknownSocketClosed(_logger, id.MessageIndex);
        _ = SendAsync(id.GatewayId, id.RequestId, 0, new ToRivetWebSocketClose { Code = 1011, Reason = UnknownSocketReason, Hibernate = false }).AsTask();
    }

    [LoggerMessage(EventId = 2300, Level = LogLevel.Information, Message = "Closing a client socket this runner process never opened (message index {Index}; it belonged to a previous process under this key) with 1011 " + UnknownSocketReason + "; the client reconnects")]
    private static partial void LogUnknownSocketClosed(ILogger logger, ushort index);
}
