using System;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Rivet.Hosting.ActorConnect;
using Rivet.Protocol.Envoy;
using Rivet.Runtime;
using Rivet.Runtime.Connections;
using Rivet.Runtime.Raw;

namespace Rivet.Hosting.Runner;

/// <summary>
/// The client WebSockets the engine's gateway tunnels to the actors of one runner (or serverless invocation).
/// <c>/connect</c> sockets are RivetKit connections served by a <see cref="ConnectSession"/>, opened hibernatable:
/// when the actor sleeps they stay open at the gateway, and when it wakes (<c>CommandStartActor.hibernatingRequests</c>)
/// they are re-attached to the connections restored from storage. <c>/websocket/…</c> sockets go to the actor's raw
/// handler (<see cref="RunnerRawSockets"/>); every other WebSocket path is refused.
/// </summary>
internal sealed partial class RunnerConnectSockets
{
    /// <summary>Close reason of a socket whose client sent nothing for <see cref="RunnerOptions.ConnectionIdleTimeout"/> (code 1001, going away: clients reconnect).</summary>
    public const string IdleTimeoutReason = "connection.idle_timeout";

    /// <summary>Messages to the client a socket may have queued that the engine connection has not taken yet.</summary>
    public const int MaxQueuedMessagesPerSocket = 4096;

    /// <summary>Bytes of messages to the client a socket may have queued that the engine connection has not taken yet.</summary>
    public const long MaxQueuedBytesPerSocket = 8 * 1024 * 1024;

    /// <summary>Close reason of a socket one of whose messages did not reach the engine (code 1011): the client missed something.</summary>
    public const string MessageLostReason = "connection.message_lost";

    /// <summary>Close reason of a socket whose queue of messages to the client overflowed (code 1011).</summary>
    public const string SendQueueFullReason = "connection.send_queue_full";

    /// <summary>How long sleeping waits for the client messages being handled before it stops the actor anyway.</summary>
    private static readonly TimeSpan s_suspendTimeout = TimeSpan.FromSeconds(15);

    /// <summary>How long a wake waits for the restored sockets' open messages to be sent before reporting Running.</summary>
    private static readonly TimeSpan s_restoreOpenTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long an ack may be held back while the actor is writing its state, so that one ack covers the messages
    /// handled meanwhile (each ack frame costs the engine about as much CPU as the answer it follows). Far below the
    /// gateway's 30 s ack timeout.
    /// </summary>
    private static readonly TimeSpan s_defaultAckCoalescing = TimeSpan.FromSeconds(1);

    private readonly TimeSpan _ackCoalescing;
    private readonly Func<ToRivetTunnelMessage, ValueTask<bool>> _send;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<ulong, TunnelSocket> _sockets = new();
    private readonly TimeSpan? _idleTimeout;
    private readonly Lock _sweepLock = new();
    private Timer? _sweep;
    private readonly Inspector.InspectorSockets _inspector;

    /// <param name="send">Sends one tunnel message to the engine (the runner's envoy connection); false when it did
    /// not get there (the connection is down).</param>
    /// <param name="logger">Where socket problems are logged.</param>
    /// <param name="idleTimeout">Sockets whose client sent nothing for this long are closed; null: never.</param>
    /// <param name="ackCoalescing">How long a socket may hold an ack back while its actor writes its state (default 1 s).</param>
    public RunnerConnectSockets(Func<ToRivetTunnelMessage, ValueTask<bool>> send, ILogger logger, TimeSpan? idleTimeout = null, TimeSpan? ackCoalescing = null)
    {
        _send = send;
        _logger = logger;
        _ackCoalescing = ackCoalescing ?? s_defaultAckCoalescing;
        _inspector = new Inspector.InspectorSockets(send, logger);
        _idleTimeout = idleTimeout;
        Raw = new RunnerRawSockets(send, logger);
    }

    /// <summary>The raw WebSockets (<c>/websocket/…</c>, the actor's <c>OnWebSocketAsync</c>) tunnelled here.</summary>
    public RunnerRawSockets Raw { get; }

    /// <summary>How many sockets are open here now.</summary>
    public int Count => _sockets.Count;

    /// <summary>A client opened a WebSocket to <paramref name="actor"/> (<see langword="null"/>: not running here). Called on the receive loop.</summary>
    public void Open(MessageId id, ToEnvoyWebSocketOpen open, ActorInstance? actor)
    {
        NoteSeen(id.GatewayId, id.RequestId);
        if (Inspector.InspectorSockets.IsInspectorPath(open.Path))
        {
            _inspector.Open(id, open, actor);
            return;
        }
        if (actor is not null && Rivet.Hosting.ActorHttp.RawRequestEndpoint.IsWebSocketPath(open.Path))
        {
            Raw.Open(id, open, actor);
            return;
        }
        if (!ConnectHandshake.IsConnectPath(open.Path))
        {
            LogWebSocketRejected(_logger, open.ActorId, open.Path);
            _ = RejectAsync(id.GatewayId, id.RequestId, 1011, "actor.websocket_not_supported");
            return;
        }
        if (actor is null)
        {
            LogActorNotHere(_logger, open.ActorId);
            _ = RejectAsync(id.GatewayId, id.RequestId, 1011, "envoy.actor_not_found");
            return;
        }
        Rivet.Protocol.Client.ClientEncodingKind encoding;
        byte[] parameters;
        try
        {
            (encoding, parameters) = ConnectHandshake.Parse(open.Headers);
        }
        catch (RivetException ex)
        {
            LogHandshakeRejected(_logger, open.ActorId, ex.Message);
            _ = RejectAsync(id.GatewayId, id.RequestId, 1011, ex.Id);
            return;
        }
        var socket = new TunnelSocket(this, id.GatewayId, id.RequestId, actor, lastClientIndex: 0);
        Register(socket);
        socket.Post(new ToRivetWebSocketOpen { CanHibernate = true });
        var ticket = new HibernationTicket { GatewayId = id.GatewayId, RequestId = id.RequestId };
        var request = new ConnectionOpen(parameters, open.Path, open.Headers, ticket);
        socket.Start(() => ConnectSession.OpenAsync(actor, encoding, request, socket, socket.Aborted));
    }

    /// <summary>A client message on a tunnelled socket. Called on the receive loop.</summary>
    public void Receive(MessageId id, ToEnvoyWebSocketMessage message)
    {
        if (_sockets.TryGetValue(Key(id.GatewayId, id.RequestId), out var socket))
        {
            socket.Receive(id.MessageIndex, message);
        }
        else if (!Raw.Receive(id, message) && !_inspector.Receive(id, message))
        {
            OnUnknownMessage(id);
        }
    }

    /// <summary>The client closed a tunnelled socket. Called on the receive loop.</summary>
    public void ClientClosed(MessageId id, ToEnvoyWebSocketClose close)
    {
        if (_sockets.TryGetValue(Key(id.GatewayId, id.RequestId), out var socket))
        {
            socket.ClientClosed(close.Code, close.Reason);
        }
        else
        {
            if (!Raw.ClientClosed(id, close))
            {
                _inspector.ClientClosed(id);
            }
        }
    }

    /// <summary>
    /// On a wake, before <c>OnWake</c> runs (so it sees them in <c>Connections</c> and may send to them): re-attaches
    /// the sockets the gateway kept open while the actor slept (<paramref name="requests"/>) to their restored
    /// connections and queues their open messages, and closes the sockets it knows nothing about. Their client
    /// messages wait until <see cref="FinishRestoreAsync"/>, called once the actor started.
    /// </summary>
    public async Task<Restoration> AttachHibernatedAsync(ActorInstance actor, IReadOnlyList<HibernatingRequest> requests)
    {
        var restoration = new Restoration();
        foreach (var request in requests)
        {
            NoteSeen(request.GatewayId, request.RequestId);
        }
        IReadOnlyList<Connection> persisted;
        var rawSockets = new List<RawSocketTicket>();
        try
        {
            persisted = await actor.LoadHibernatedConnectionsAsync(CancellationToken.None, rawSockets).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogRestoreFailed(_logger, ex, actor.ActorId, "loading its hibernated connections");
            foreach (var request in requests)
            {
                _ = RejectAsync(request.GatewayId, request.RequestId, 1011, "ws.restore_error", open: false);
            }
            return restoration;
        }
        // The raw sockets (RunnerRawSockets) first; the other requests are /connect connections.
        var raw = Raw.AttachHibernated(actor, requests, rawSockets);
        restoration.Opened.AddRange(raw.Opened);
        restoration.Starts.AddRange(raw.Starts);
        requests = raw.Others;
        var attached = new HashSet<Connection>();
        foreach (var request in requests)
        {
            var connection = persisted.FirstOrDefault(c => c.HibernationTicket is { } t
                && t.GatewayId.AsSpan().SequenceEqual(request.GatewayId) && t.RequestId.AsSpan().SequenceEqual(request.RequestId));
            if (connection is null)
            {
                LogRestoreUnknown(_logger, actor.ActorId, Convert.ToHexString(request.GatewayId), Convert.ToHexString(request.RequestId));
                _ = RejectAsync(request.GatewayId, request.RequestId, 1000, "ws.meta_not_found_during_restore", open: false);
                continue;
            }
            try
            {
                var (encoding, _) = ConnectHandshake.Parse(connection.RequestHeaders);
                var socket = new TunnelSocket(this, request.GatewayId, request.RequestId, actor, connection.HibernationTicket!.ClientMessageIndex, restored: true);
                ConnectSession session;
                try
                {
                    // Attached now, before the actor runs anything: it must not broadcast past a restored subscriber.
                    session = ConnectSession.Restore(actor, encoding, connection, socket);
                }
                catch
                {
                    socket.Abandon();
                    throw;
                }
                Register(socket);
                socket.Post(new ToRivetWebSocketOpen { CanHibernate = true });
                restoration.Opened.Add(socket.Opened);
                restoration.Starts.Add(() => socket.Start(() => Task.FromResult(session)));
                attached.Add(connection);
                LogRestored(_logger, actor.ActorId, connection.Id, connection.HibernationTicket.ClientMessageIndex);
            }
            catch (Exception ex)
            {
                LogRestoreFailed(_logger, ex, actor.ActorId, $"re-attaching connection {connection.Id}");
                _ = RejectAsync(request.GatewayId, request.RequestId, 1011, "ws.restore_error", open: false);
            }
        }
        restoration.Stale.AddRange(persisted.Where(c => !attached.Contains(c)));
        return restoration;
    }

    /// <summary>
    /// Once the woken actor started: lets the restored sockets handle their client messages, drops the persisted
    /// connections the gateway no longer holds (their <c>OnDisconnect</c> runs), and returns once the sockets' open
    /// messages are sent, so they precede the actor's Running event.
    /// </summary>
    public async Task FinishRestoreAsync(ActorInstance actor, Restoration restoration)
    {
        foreach (var start in restoration.Starts)
        {
            start();
        }
        foreach (var stale in restoration.Stale)
        {
            try
            {
                await actor.DropHibernatedAsync(stale, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                LogRestoreFailed(_logger, ex, actor.ActorId, $"dropping connection {stale.Id}, whose socket is gone");
            }
        }
        try
        {
            await Task.WhenAll(restoration.Opened).WaitAsync(s_restoreOpenTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The engine connection is down; the gateway re-sends the wake after the reconnect.
        }
    }

    /// <summary>What <see cref="AttachHibernatedAsync"/> re-attached, for <see cref="FinishRestoreAsync"/>.</summary>
    public sealed class Restoration
    {
        internal List<Connection> Stale { get; } = [];

        internal List<Task> Opened { get; } = [];

        internal List<Action> Starts { get; } = [];
    }

    /// <summary>
    /// Before the actor goes to sleep (or moves to another runner): lets the client messages being handled finish and
    /// be acknowledged. Messages arriving afterwards are not handled and not acknowledged, so the gateway delivers them
    /// again after the wake. Once the actor stopped, <see cref="AbandonAll(string, bool)"/> lets go of the sockets without
    /// closing them (the gateway keeps them for the next wake).
    /// </summary>
    public async Task SuspendAsync(string actorId)
    {
        Raw.Suspend(actorId);
        var sockets = SocketsOf(actorId);
        if (sockets.Length == 0)
        {
            return;
        }
        try
        {
            await Task.WhenAll(sockets.Select(s => s.SuspendAsync())).WaitAsync(s_suspendTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            LogSuspendTimedOut(_logger, actorId, s_suspendTimeout.TotalSeconds);
        }
    }

    /// <summary>The actor is destroyed: closes its sockets (1000 <paramref name="reason"/>), as the gateway does for sockets that cannot hibernate.</summary>
    public void CloseAll(string actorId, string reason)
    {
        foreach (var socket in SocketsOf(actorId))
        {
            socket.CloseFromHost(1000, reason);
        }
        Raw.CloseAll(actorId, 1000, reason);
    }

    /// <summary>The engine connection is gone for good (actors lost, runner stopping): forgets every socket, sending nothing.</summary>
    public void AbandonAll()
    {
        foreach (var socket in _sockets.Values)
        {
            socket.Abandon(dropQueued: true);
        }
        Raw.AbortAll();
    }

    /// <summary>
    /// Forgets the sockets of one actor without closing them (it slept, or stopped here without the engine asking);
    /// what they had queued still goes out unless <paramref name="dropQueued"/> (the engine wrote the actor off).
    /// </summary>
    public void AbandonAll(string actorId, bool dropQueued = false)
    {
        foreach (var socket in SocketsOf(actorId))
        {
            socket.Abandon(dropQueued);
        }
        Raw.AbortAll(actorId);
    }

    private TunnelSocket[] SocketsOf(string actorId) => _sockets.Values.Where(s => s.Actor.ActorId == actorId).ToArray();

    private void Register(TunnelSocket socket)
    {
        if (_sockets.TryGetValue(socket.Key, out var previous))
        {
            previous.Abandon(dropQueued: true); // its queue must not interleave with the new socket's indexes
        }
        _sockets[socket.Key] = socket;
        StartSweep();
    }

    /// <summary>The liveness check runs while there are sockets: a timer per runner, gone when the last socket goes.</summary>
    private void StartSweep()
    {
        if (_idleTimeout is not { } idle)
        {
            return;
        }
        lock (_sweepLock)
        {
            if (_sweep is null)
            {
                var period = TimeSpan.FromTicks(Math.Clamp(idle.Ticks / 4, TimeSpan.FromMilliseconds(100).Ticks, TimeSpan.FromSeconds(30).Ticks));
                _sweep = new Timer(_ => Sweep(idle), null, period, period);
            }
        }
    }

    /// <summary>Closes the sockets whose client has been silent for <paramref name="idle"/>.</summary>
    private void Sweep(TimeSpan idle)
    {
        foreach (var socket in _sockets.Values)
        {
            if (socket.SilentFor >= idle)
            {
                LogIdleClosed(_logger, socket.Actor.ActorId, idle.TotalSeconds);
                socket.CloseIdle();
            }
        }
        lock (_sweepLock)
        {
            if (_sockets.IsEmpty && _sweep is { } timer)
            {
                timer.Dispose();
                _sweep = null;
            }
        }
    }

    private void Remove(TunnelSocket socket) => _sockets.TryRemove(new KeyValuePair<ulong, TunnelSocket>(socket.Key, socket));

    /// <summary>Refuses (or, after a wake, closes) a socket that has no connection here.</summary>
    private async Task RejectAsync(byte[] gatewayId, byte[] requestId, ushort code, string reason, bool open = true)
    {
        if (open)
        {
            await SendAsync(gatewayId, requestId, 0, new ToRivetWebSocketOpen { CanHibernate = false }).ConfigureAwait(false);
        }
        await SendAsync(gatewayId, requestId, 0, new ToRivetWebSocketClose { Code = code, Reason = reason, Hibernate = false }).ConfigureAwait(false);
    }

    private ValueTask<bool> SendAsync(byte[] gatewayId, byte[] requestId, ushort index, IToRivetTunnelMessageKind kind) =>
        _send(new ToRivetTunnelMessage
        {
            MessageId = new MessageId { GatewayId = gatewayId, RequestId = requestId, MessageIndex = index },
            MessageKind = kind,
        });

    private static ulong Key(byte[] gatewayId, byte[] requestId) =>
        ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(gatewayId) << 32) | BinaryPrimitives.ReadUInt32LittleEndian(requestId);

    [LoggerMessage(EventId = 220, Level = LogLevel.Information, Message = "WebSocket {Path} to actor {ActorId} refused: only /connect is served")]
    private static partial void LogWebSocketRejected(ILogger logger, string actorId, string path);

    [LoggerMessage(EventId = 221, Level = LogLevel.Warning, Message = "WebSocket to actor {ActorId} refused: the actor is not running on this runner")]
    private static partial void LogActorNotHere(ILogger logger, string actorId);

    [LoggerMessage(EventId = 222, Level = LogLevel.Information, Message = "/connect to actor {ActorId} refused: {Problem}")]
    private static partial void LogHandshakeRejected(ILogger logger, string actorId, string problem);

    [LoggerMessage(EventId = 223, Level = LogLevel.Debug, Message = "Ignoring a WebSocket {What} (index {Index}) for a socket that is not open here")]
    private static partial void LogUnknownSocket(ILogger logger, string what, ushort index);

    [LoggerMessage(EventId = 224, Level = LogLevel.Error, Message = "Actor {ActorId}: restoring hibernated WebSockets failed while {Step}")]
    private static partial void LogRestoreFailed(ILogger logger, Exception exception, string actorId, string step);

    [LoggerMessage(EventId = 225, Level = LogLevel.Warning, Message = "Actor {ActorId}: the gateway kept WebSocket {GatewayId}/{RequestId} open but no connection of it was saved; closing it")]
    private static partial void LogRestoreUnknown(ILogger logger, string actorId, string gatewayId, string requestId);

    [LoggerMessage(EventId = 226, Level = LogLevel.Debug, Message = "Actor {ActorId}: connection {ConnectionId} re-attached after the wake (last client message {ClientIndex})")]
    private static partial void LogRestored(ILogger logger, string actorId, string connectionId, ushort clientIndex);

    [LoggerMessage(EventId = 228, Level = LogLevel.Information, Message = "Actor {ActorId}: closing a client socket silent for {Seconds} s (1001 " + IdleTimeoutReason + "); a live client reconnects")]
    private static partial void LogIdleClosed(ILogger logger, string actorId, double seconds);

    [LoggerMessage(EventId = 227, Level = LogLevel.Warning, Message = "Actor {ActorId} goes to sleep with client messages still running after {Seconds} s; they will be delivered again after the wake")]
    private static partial void LogSuspendTimedOut(ILogger logger, string actorId, double seconds);
}
