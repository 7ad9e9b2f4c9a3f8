using System;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Rivet.Hosting.ActorConnect;
using Rivet.Hosting.ActorHttp;
using Rivet.Protocol.Envoy;
using Rivet.Runtime;
using Rivet.Runtime.Connections;
using Rivet.Runtime.Raw;

namespace Rivet.Hosting.Runner;

/// <summary>
/// Raw WebSockets (RivetKit's <c>onWebSocket</c>, path <c>/websocket[/…]</c>) the engine tunnels to actors of one
/// runner or serverless invocation. Each is an in-memory <see cref="WebSocketPair"/>: the actor's handler gets the
/// server end, and this class moves frames between the client end and the tunnel. When the actor stops, its handler's
/// token fires and the socket is closed (1001 <c>actor.stopping</c>), unless the actor let it hibernate
/// (<see cref="Actor.CanHibernateWebSocket"/>; RunnerRawSockets.Hibernation.cs).
/// </summary>
internal sealed partial class RunnerRawSockets(Func<ToRivetTunnelMessage, ValueTask<bool>> send, ILogger logger)
{
    /// <summary>Client messages a socket may hold that the actor has not read; beyond, it is closed (1011 <see cref="ReceiveQueueFullReason"/>).</summary>
    public const int MaxQueuedClientMessages = 1024;

    /// <summary>Close reason of a raw socket whose actor did not keep up with its client's messages.</summary>
    public const string ReceiveQueueFullReason = "connection.receive_queue_full";

    private readonly ConcurrentDictionary<ulong, RawSocket> _sockets = new();
    private readonly Func<ToRivetTunnelMessage, ValueTask<bool>> _send = send;
    private readonly ILogger _logger = logger;

    /// <summary>How many raw sockets are open here now.</summary>
    public int Count => _sockets.Count;

    /// <summary>A client opened a raw WebSocket to <paramref name="actor"/>. Called on the receive loop.</summary>
    public void Open(MessageId id, ToEnvoyWebSocketOpen open, ActorInstance actor)
    {
        var request = RawRequestEndpoint.ToActorRequest("GET", RawRequestEndpoint.StripWebSocket(open.Path), open.Headers, ReadOnlyMemory<byte>.Empty);
        var ticket = actor.CanHibernateWebSocket(request)
            ? new RawSocketTicket(new HibernationTicket { GatewayId = id.GatewayId, RequestId = id.RequestId }, open.Path, open.Headers.ToArray())
            : null;
        var socket = new RawSocket(this, id.GatewayId, id.RequestId, actor, ticket);
        Register(socket);
        socket.Start(request, open.Headers, restored: false);
    }

    private void Register(RawSocket socket)
    {
        if (_sockets.TryRemove(socket.Key, out var previous))
        {
            previous.Abort();
        }
        _sockets[socket.Key] = socket;
    }

    /// <summary>A client message; false when no raw socket has this id. Called on the receive loop.</summary>
    public bool Receive(MessageId id, ToEnvoyWebSocketMessage message)
    {
        if (!_sockets.TryGetValue(Key(id.GatewayId, id.RequestId), out var socket))
        {
            return false;
        }
        socket.Receive(id.MessageIndex, message);
        return true;
    }

    /// <summary>The client closed; false when no raw socket has this id. Called on the receive loop.</summary>
    public bool ClientClosed(MessageId id, ToEnvoyWebSocketClose close)
    {
        if (!_sockets.TryGetValue(Key(id.GatewayId, id.RequestId), out var socket))
        {
            return false;
        }
        socket.ClientClosed(close.Code, close.Reason);
        return true;
    }

    /// <summary>
    /// The actor stopped here: its raw sockets end (a handler that ignored its token sees the socket aborted);
    /// hibernating ones stay open at the gateway, and restored ones whose actor failed to wake are closed.
    /// </summary>
    public void AbortAll(string actorId)
    {
        foreach (var socket in _sockets.Values.Where(s => s.Actor.ActorId == actorId))
        {
            socket.EndForStop();
        }
    }

    /// <summary>The engine connection is gone for good: every raw socket ends.</summary>
    public void AbortAll()
    {
        foreach (var socket in _sockets.Values)
        {
            socket.Abort();
        }
    }

    private static ulong Key(byte[] gatewayId, byte[] requestId) =>
        ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(gatewayId) << 32) | BinaryPrimitives.ReadUInt32LittleEndian(requestId);

    /// <summary>One raw socket: the client end of the pair, pumped both ways; frames to the engine keep their order.</summary>
    private sealed partial class RawSocket
    {
        private readonly RunnerRawSockets _owner;
        private readonly WebSocket _actorEnd;
        private readonly WebSocket _clientEnd;
        private readonly Channel<(byte[] Data, bool Binary, ushort Index)> _fromClient =
            Channel.CreateBounded<(byte[], bool, ushort)>(new BoundedChannelOptions(MaxQueuedClientMessages) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        private readonly CancellationTokenSource _aborted = new();
        private int _nextIndex;
        private int _clientClosed;

        // ticket: the socket is hibernatable; restored: it was held by the gateway while the actor slept.
        public RawSocket(RunnerRawSockets owner, byte[] gatewayId, byte[] requestId, ActorInstance actor, RawSocketTicket? ticket, bool restored = false)
        {
            _owner = owner;
            GatewayId = gatewayId;
            RequestId = requestId;
            Actor = actor;
            Key = RunnerRawSockets.Key(gatewayId, requestId);
            Ticket = ticket;
            Restored = restored;
            _lastClientIndex = ticket?.Ids.ClientMessageIndex ?? 0;
            _restoredAhead = restored;
            (_actorEnd, _clientEnd) = WebSocketPair.Create();
        }

        public byte[] GatewayId { get; }

        public byte[] RequestId { get; }

        public ActorInstance Actor { get; }

        public ulong Key { get; }

        /// <summary>
        /// Serves the socket; a restored one was answered already (<see cref="AttachHibernated"/>).
        /// <paramref name="headers"/> are the opening request's, which carry the caller's connection parameters.
        /// </summary>
        public void Start(System.Net.Http.HttpRequestMessage request, IReadOnlyDictionary<string, string> headers, bool restored)
        {
            Volatile.Write(ref _started, 1);
            _ = RunAsync(request, headers, restored);
        }

        public void Receive(ushort index, ToEnvoyWebSocketMessage message)
        {
            if (Ticket is not null && !AcceptIndex(index))
            {
                return;
            }
            if (!_fromClient.Writer.TryWrite((message.Data, message.Binary, index)))
            {
                LogReceiveQueueFull(_owner._logger, Actor.ActorId, MaxQueuedClientMessages);
                _ = SendAsync(new ToRivetWebSocketClose { Code = (ushort)WebSocketCloseStatus.InternalServerError, Reason = ReceiveQueueFullReason, Hibernate = false });
                Abort();
            }
        }

        public void ClientClosed(ushort? code, string? reason)
        {
            Interlocked.Exchange(ref _clientClosed, 1);
            // 1005 (no status) and the other codes a close frame may not carry become 1000.
            var status = code is >= 1000 and <= 4999 and not (1004 or 1005 or 1006 or 1015) ? code.Value : (ushort)WebSocketCloseStatus.NormalClosure;
            _fromClient.Writer.TryComplete(new ClientClosedException(status, reason ?? ""));
        }

        public void Abort()
        {
            _owner._sockets.TryRemove(new(Key, this));
            _fromClient.Writer.TryComplete();
            _aborted.Cancel();
            _actorEnd.Abort();
            _clientEnd.Abort();
        }

        private async Task RunAsync(System.Net.Http.HttpRequestMessage request, IReadOnlyDictionary<string, string> headers, bool restored)
        {
            using (request)
            {
                var hibernated = false;
                try
                {
                    if (!restored)
                    {
                        await RecordAsync().ConfigureAwait(false);
                        await SendAsync(new ToRivetWebSocketOpen { CanHibernate = Ticket is not null }).ConfigureAwait(false);
                    }
                    var toActor = Task.Run(PumpToActorAsync);
                    var toClient = Task.Run(PumpToClientAsync);
                    // The socket's connection parameters, as RivetKit's client sends them (subprotocol rivet_conn_params.…);
                    // a restored socket reads them again from the headers kept in its ticket, and gets a new connection.
                    byte[] parameters;
                    try
                    {
                        parameters = ConnectHandshake.ParseParams(headers);
                    }
                    catch (RivetException error)
                    {
                        LogSocketEnded(_owner._logger, Actor.ActorId, error.Message);
                        await _actorEnd.CloseOutputAsync(WebSocketCloseStatus.InternalServerError, error.Id, _aborted.Token).ConfigureAwait(false);
                        parameters = [];
                    }
                    if (_actorEnd.State == WebSocketState.Open)
                    {
                        WebSocket handlerEnd = Ticket is null ? _actorEnd : new HandledMessageWebSocket(_actorEnd, OnHandled);
                        hibernated = await Actor.ServeWebSocketAsync(handlerEnd, request, parameters, Ticket is null ? null : Hibernate).ConfigureAwait(false);
                        if (hibernated)
                        {
                            // The socket stays open at the gateway: what the handler sent before the sleep still goes out.
                            _actorEnd.Abort();
                        }
                    }
                    // The handler is done and its end closed: what it sent last still goes out, boundedly.
                    await toClient.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
                    _fromClient.Writer.TryComplete();
                    await toActor.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    LogSocketEnded(_owner._logger, Actor.ActorId, ex.Message);
                }
                finally
                {
                    if (hibernated)
                    {
                        LogHibernated(_owner._logger, Actor.ActorId, _lastClientIndex);
                    }
                    else
                    {
                        Abort();
                        Forget();
                    }
                    _actorEnd.Dispose();
                    _clientEnd.Dispose();
                }
            }
        }

        /// <summary>Client messages from the tunnel into the pair, in order; a client close becomes a close handshake.</summary>
        private async Task PumpToActorAsync()
        {
            try
            {
                await foreach (var (data, binary, index) in _fromClient.Reader.ReadAllAsync(_aborted.Token).ConfigureAwait(false))
                {
                    if (Ticket is not null)
                    {
                        _pumped.Enqueue(index); // before the handler can read it: OnHandled maps reads to indexes
                    }
                    await _clientEnd.SendAsync(data, binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text, true, _aborted.Token).ConfigureAwait(false);
                }
            }
            catch (ClientClosedException closed)
            {
                if (_clientEnd.State == WebSocketState.Open)
                {
                    await _clientEnd.CloseOutputAsync((WebSocketCloseStatus)closed.Code, closed.Reason, _aborted.Token).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
            {
                // The socket ended.
            }
        }

        /// <summary>What the actor sends, from the pair to the tunnel; its close ends the socket at the gateway.</summary>
        private async Task PumpToClientAsync()
        {
            try
            {
                while (true)
                {
                    var message = await WebSocketPair.ReceiveMessageAsync(_clientEnd, _aborted.Token).ConfigureAwait(false);
                    if (message is not { } m)
                    {
                        // The handler closed the socket: the close goes to the client, even while hibernating.
                        if (Volatile.Read(ref _clientClosed) == 0)
                        {
                            await SendAsync(new ToRivetWebSocketClose
                            {
                                Code = (ushort?)_clientEnd.CloseStatus ?? (ushort)WebSocketCloseStatus.NormalClosure,
                                Reason = _clientEnd.CloseStatusDescription ?? "",
                                Hibernate = false,
                            }).ConfigureAwait(false);
                        }
                        if (_clientEnd.State == WebSocketState.CloseReceived)
                        {
                            await _clientEnd.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", _aborted.Token).ConfigureAwait(false);
                        }
                        return;
                    }
                    await SendAsync(new ToRivetWebSocketMessage { Data = m.Data, Binary = m.Binary }).ConfigureAwait(false);
                }
            }
            catch (WebSocketException ex) when (ex.InnerException is RawMessageTooLargeException tooLarge)
            {
                // The handler sent more than the gateway gets from us in one message: say so (1009, named), and end
                // the handler's socket with that close, so it sees why (not a broken socket logged as a 1011).
                LogOutgoingTooLarge(_owner._logger, Actor.ActorId, tooLarge.Size, WebSocketPair.MaxMessageSize);
                await WebSocketPair.CloseAndAbortAsync(_clientEnd, WebSocketCloseStatus.MessageTooBig, RawMessageTooLargeException.CloseReason).ConfigureAwait(false);
                if (Volatile.Read(ref _clientClosed) == 0 && !_aborted.IsCancellationRequested && !Hibernating)
                {
                    await SendAsync(new ToRivetWebSocketClose { Code = (ushort)WebSocketCloseStatus.MessageTooBig, Reason = RawMessageTooLargeException.CloseReason, Hibernate = false }).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
            {
                if (Volatile.Read(ref _clientClosed) == 0 && !_aborted.IsCancellationRequested && !Hibernating)
                {
                    await SendAsync(new ToRivetWebSocketClose { Code = (ushort)WebSocketCloseStatus.InternalServerError, Reason = "actor.internal_error", Hibernate = false }).ConfigureAwait(false);
                }
            }
        }

        private ValueTask<bool> SendAsync(IToRivetTunnelMessageKind kind)
        {
            // Open is index 0, messages 1, 2, …; the close takes the next index; an ack carries the acknowledged index.
            var index = kind is ToRivetWebSocketMessageAck ack ? ack.Index : unchecked((ushort)(Interlocked.Increment(ref _nextIndex) - 1));
            return _owner._send(new ToRivetTunnelMessage
            {
                MessageId = new MessageId { GatewayId = GatewayId, RequestId = RequestId, MessageIndex = index },
                MessageKind = kind,
            });
        }
    }

    /// <summary>Completes the client-message queue when the client closed, carrying its close code and reason.</summary>
    private sealed class ClientClosedException(ushort code, string reason) : Exception(reason)
    {
        public ushort Code { get; } = code;

        public string Reason { get; } = reason;
    }

    [LoggerMessage(EventId = 1210, Level = LogLevel.Warning, Message = "Actor {ActorId}: a raw WebSocket has {Messages} client messages its handler has not read; closing it (1011 " + ReceiveQueueFullReason + ")")]
    private static partial void LogReceiveQueueFull(ILogger logger, string actorId, int messages);

    [LoggerMessage(EventId = 2650, Level = LogLevel.Warning, Message = "Actor {ActorId}: a raw WebSocket handler sent a message of at least {Size} bytes, over the limit of {Limit}; closing the socket (1009 " + RawMessageTooLargeException.CloseReason + ")")]
    private static partial void LogOutgoingTooLarge(ILogger logger, string actorId, long size, int limit);

    [LoggerMessage(EventId = 1211, Level = LogLevel.Debug, Message = "Actor {ActorId}: a raw WebSocket ended: {Reason}")]
    private static partial void LogSocketEnded(ILogger logger, string actorId, string reason);
}
