using System;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Rivet.Protocol.Client;
using Rivet.Runtime;
using Rivet.Runtime.Connections;

namespace Rivet.Hosting.ActorConnect;

/// <summary>Where a <see cref="ConnectSession"/> writes: one WebSocket (tunnelled through the engine, or an in-process pipe).</summary>
internal interface IConnectFrameSink
{
    /// <summary>Queues one frame to the client; never blocks.</summary>
    void Send(ReadOnlyMemory<byte> frame, bool binary);

    /// <summary>Closes the socket with <paramref name="code"/> and <paramref name="reason"/> (e.g. 1011 <c>actor.invalid_request</c>).</summary>
    void Close(ushort code, string reason);
}

/// <summary>
/// The actor side of one RivetKit <c>/connect</c> connection, the same on every host: accepts it in the actor
/// (<c>OnBeforeConnect</c> → connection state → <c>OnConnect</c>), sends <c>Init</c>, then serves action and
/// subscription requests and forwards the actor's events.
/// </summary>
/// <remarks>
/// Frames are handled as they come: several actions of one connection may be waiting for the actor's turn at once
/// and their responses may go out in another order (each carries its id). Protocol violations close the socket with
/// 1011 and the <c>group.code</c> of the error as reason, which RivetKit's client turns back into that error.
/// </remarks>
internal sealed partial class ConnectSession : IConnectionOutput
{
    /// <summary>Largest client frame accepted (RivetKit's <c>maxIncomingMessageSize</c>).</summary>
    public const int MaxIncomingMessageSize = 64 * 1024;

    /// <summary>Largest frame sent to the client (RivetKit's <c>maxOutgoingMessageSize</c>).</summary>
    public const int MaxOutgoingMessageSize = 1024 * 1024;

    /// <summary>Close code of a normal close (client or actor ended the connection).</summary>
    public const ushort NormalClosure = 1000;

    /// <summary>Close code of a connection-level failure (reason <c>group.code</c>).</summary>
    public const ushort InternalErrorClosure = 1011;

    private readonly ActorInstance _actor;
    private readonly IConnectFrameSink _sink;
    private readonly ILogger _logger;
    private Connection? _connection;
    private int _closed;

    private ConnectSession(ActorInstance actor, ClientEncodingKind encoding, IConnectFrameSink sink)
    {
        _actor = actor;
        Encoding = encoding;
        _sink = sink;
        _logger = actor.Logger;
    }

    /// <summary>The actor-side connection, once accepted.</summary>
    public Connection Connection => _connection ?? throw new InvalidOperationException("The connection has not been accepted yet.");

    /// <summary>The encoding of every frame of this connection.</summary>
    public ClientEncodingKind Encoding { get; }

    /// <summary>Whether the socket was closed (by either side); nothing more is sent then.</summary>
    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>
    /// Accepts a connection. On rejection it sends the <c>Error</c> frame, closes the sink with 1011
    /// <c>{group}.{code}</c>, and throws the <see cref="RivetException"/>.
    /// </summary>
    public static async Task<ConnectSession> OpenAsync(ActorInstance actor, ClientEncodingKind encoding, ConnectionOpen open, IConnectFrameSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(open);
        ArgumentNullException.ThrowIfNull(sink);
        var session = new ConnectSession(actor, encoding, sink);
        try
        {
            session._connection = await actor.ConnectAsync(open, session, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var error = ex as RivetException ?? new RivetException(RivetErrors.ActorGroup, RivetErrors.InternalError, RivetErrors.InternalErrorMessage, innerException: ex);
            LogRejected(session._logger, actor.Definition.Name, actor.ActorId, error.Id, error.Message);
            session.SendError(error, actionId: null);
            session.CloseSink(InternalErrorClosure, error.Id);
            throw error;
        }
        // OnConnect may already have closed it (Disconnect()); then the client gets the close, not an Init.
        if (!session._connection.IsClosed)
        {
            session.Send(new ConnectInit(actor.ActorId, session._connection.Id));
        }
        return session;
    }

    /// <summary>
    /// Re-attaches a hibernated connection (restored from storage after the actor woke) to its socket: no hook runs
    /// and no <c>Init</c> is sent, since for the client the connection never closed.
    /// </summary>
    public static ConnectSession Restore(ActorInstance actor, ClientEncodingKind encoding, Connection connection, IConnectFrameSink sink)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(sink);
        var session = new ConnectSession(actor, encoding, sink) { _connection = connection };
        actor.AttachRestored(connection, session);
        return session;
    }

    /// <summary>
    /// Handles one client frame (decode, run, reply); the task completes once the reply is queued and the frame's
    /// effects are durable. Malformed frames close the socket with 1011 <c>actor.invalid_request</c>.
    /// </summary>
    /// <returns><see langword="true"/> when the frame was dealt with (answered, failed, or dropped with the socket);
    /// <see langword="false"/> when the actor refused it because it is stopping: it must not be acknowledged, so the
    /// gateway delivers it again after the wake.</returns>
    public Task<bool> HandleFrameAsync(ReadOnlyMemory<byte> frame, bool binary, CancellationToken cancellationToken)
    {
        var connection = Connection;
        if (IsClosed || connection.IsClosed)
        {
            return s_handled;
        }
        if (frame.Length > MaxIncomingMessageSize)
        {
            LogProtocolError(_logger, _actor.Definition.Name, connection.Id, $"a {frame.Length}-byte message is over the {MaxIncomingMessageSize}-byte limit");
            return HandledAfter(FailAsync("message.incoming_too_long"));
        }
        if (binary != ConnectCodec.IsBinary(Encoding))
        {
            LogProtocolError(_logger, _actor.Definition.Name, connection.Id, $"a {(binary ? "binary" : "text")} frame arrived on a {ClientEncoding.Name(Encoding)} connection");
            return HandledAfter(FailAsync("actor.invalid_request"));
        }
        ConnectToServer message;
        try
        {
            message = ConnectCodec.DecodeToServer(Encoding, frame.Span);
        }
        catch (RivetException ex)
        {
            LogProtocolError(_logger, _actor.Definition.Name, connection.Id, ex.Message);
            return HandledAfter(FailAsync(ex.Id));
        }
        return message switch
        {
            ConnectActionRequest request => RunActionAsync(connection, request, cancellationToken),
            ConnectSubscriptionRequest subscription => HandledAfter(SubscribeAsync(connection, subscription, cancellationToken)),
            _ => s_handled,
        };
    }

    private static readonly Task<bool> s_handled = Task.FromResult(true);

    private static async Task<bool> HandledAfter(Task work)
    {
        await work.ConfigureAwait(false);
        return true;
    }

    /// <summary>The client closed (or the socket dropped for good): removes the connection and runs <c>OnDisconnect</c>.</summary>
    public Task ClosedAsync(ushort? code, string? reason)
    {
        Interlocked.Exchange(ref _closed, 1);
        if (_connection is not { } connection)
        {
            return Task.CompletedTask;
        }
        return _actor.DisconnectAsync(connection, $"client closed ({code?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no code"}{(string.IsNullOrEmpty(reason) ? "" : " " + reason)})", CancellationToken.None);
    }

    /// <summary>Stops sending without closing the socket: the actor went to sleep and the gateway keeps the socket.</summary>
    public void Detach() => Interlocked.Exchange(ref _closed, 1);

    // ---------------------------------------------------------------- IConnectionOutput (called in the actor's turn)

    private readonly Lock _closeLock = new();
    private int _actionsRunning;
    private string? _pendingCloseReason;

    void IConnectionOutput.SendEvent(string eventName, ReadOnlyMemory<byte> argumentsJson)
    {
        if (IsClosed)
        {
            return;
        }
        byte[] frame;
        try
        {
            frame = ConnectCodec.Encode(Encoding, new ConnectEvent(eventName, argumentsJson));
        }
        catch (Exception ex) when (ex is FormatException or JsonException or ArgumentException)
        {
            LogEventNotSent(_logger, ex, _actor.Definition.Name, _connection?.Id, eventName);
            return;
        }
        if (frame.Length > MaxOutgoingMessageSize)
        {
            // As RivetKit: a message the client could not be sent ends the connection.
            LogProtocolError(_logger, _actor.Definition.Name, _connection?.Id, $"event '{eventName}' is {frame.Length} bytes, over the {MaxOutgoingMessageSize}-byte limit");
            _ = FailAsync("message.outgoing_too_long");
            return;
        }
        _sink.Send(frame, ConnectCodec.IsBinary(Encoding));
    }

    void IConnectionOutput.Close(string? reason)
    {
        lock (_closeLock)
        {
            if (_actionsRunning > 0)
            {
                // The actor closes this connection (Disconnect, sleep, destroy) while actions the client sent are
                // still finishing (often the very action that asked for it): their answers go out first.
                _pendingCloseReason = reason ?? "";
                return;
            }
        }
        CloseSink(NormalClosure, reason ?? "");
    }

    private void EndAction()
    {
        string? reason = null;
        lock (_closeLock)
        {
            if (--_actionsRunning == 0 && _pendingCloseReason is { } pending)
            {
                reason = pending;
                _pendingCloseReason = null;
            }
        }
        if (reason is not null)
        {
            CloseSink(NormalClosure, reason);
        }
    }

    // ---------------------------------------------------------------- requests

    private async Task<bool> RunActionAsync(Connection connection, ConnectActionRequest request, CancellationToken cancellationToken)
    {
        lock (_closeLock)
        {
            if (_pendingCloseReason is not null)
            {
                return true; // closing: the client gets the close, as for any action sent after it
            }
            _actionsRunning++;
        }
        try
        {
            return await RunActionCoreAsync(connection, request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            EndAction();
        }
    }

    private async Task<bool> RunActionCoreAsync(Connection connection, ConnectActionRequest request, CancellationToken cancellationToken)
    {
        byte[] output;
        try
        {
            output = await _actor.InvokeAsync(request.Name, request.ArgumentsJson, connection, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return true; // the socket went away
        }
        catch (RivetException ex) when (ex.Group == RivetErrors.ActorGroup && ex.Code == "stopped")
        {
            return false; // the actor is going to sleep: no answer and no ack, so the gateway delivers it again after the wake
        }
        catch (RivetException ex)
        {
            SendError(ex, request.Id);
            return true;
        }
        catch (Exception ex)
        {
            LogActionFailed(_logger, ex, _actor.Definition.Name, connection.Id, request.Name);
            SendError(new RivetException(RivetErrors.ActorGroup, RivetErrors.InternalError, RivetErrors.InternalErrorMessage), request.Id);
            return true;
        }
        var frame = ConnectCodec.Encode(Encoding, new ConnectActionResponse(request.Id, output));
        if (frame.Length > MaxOutgoingMessageSize)
        {
            SendError(new RivetException("message", "outgoing_too_long",
                $"The result of action '{request.Name}' is {frame.Length} bytes encoded, over the {MaxOutgoingMessageSize}-byte limit."), request.Id);
            return true;
        }
        Send(frame);
        return true;
    }

    private async Task SubscribeAsync(Connection connection, ConnectSubscriptionRequest request, CancellationToken cancellationToken)
    {
        try
        {
            await _actor.SetSubscriptionAsync(connection, request.EventName, request.Subscribe, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (RivetException ex) when (ex is { Group: "auth", Code: "forbidden" })
        {
            // CanSubscribeAsync refused: the client hears why; the connection stays, without the subscription.
            SendError(ex, actionId: null);
        }
        catch (RivetException ex)
        {
            // The subscription could not be saved: the client and the actor would disagree from now on.
            LogProtocolError(_logger, _actor.Definition.Name, connection.Id, ex.Message);
            await FailAsync(ex.Id).ConfigureAwait(false);
        }
    }

    // ---------------------------------------------------------------- sending

    private void Send(ConnectToClient message) => Send(ConnectCodec.Encode(Encoding, message));

    private void Send(byte[] frame)
    {
        if (!IsClosed)
        {
            _sink.Send(frame, ConnectCodec.IsBinary(Encoding));
        }
    }

    private void SendError(RivetException error, ulong? actionId)
    {
        ReadOnlyMemory<byte>? metadata = null;
        if (error.Metadata is { } json)
        {
            metadata = JsonSerializer.SerializeToUtf8Bytes(json, RivetProtocolJsonContext.Default.JsonElement);
        }
        Send(new ConnectError(error.Group, error.Code, error.Message, metadata, actionId));
    }

    private void CloseSink(ushort code, string reason)
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            _sink.Close(code, reason);
        }
    }

    /// <summary>Closes the socket with 1011 <paramref name="reason"/> and removes the connection from the actor.</summary>
    private Task FailAsync(string reason)
    {
        CloseSink(InternalErrorClosure, reason);
        return _connection is { } connection ? _actor.DisconnectAsync(connection, reason, CancellationToken.None) : Task.CompletedTask;
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Actor {Name} ({ActorId}) rejected a /connect connection: {ErrorId} {ErrorMessage}")]
    private static partial void LogRejected(ILogger logger, string name, string actorId, string errorId, string errorMessage);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "Actor {Name}: closing connection {ConnectionId}: {Problem}")]
    private static partial void LogProtocolError(ILogger logger, string name, string? connectionId, string problem);

    [LoggerMessage(EventId = 302, Level = LogLevel.Error, Message = "Actor {Name}: action {Action} of connection {ConnectionId} failed unexpectedly")]
    private static partial void LogActionFailed(ILogger logger, Exception exception, string name, string connectionId, string action);

    [LoggerMessage(EventId = 303, Level = LogLevel.Error, Message = "Actor {Name}: event {EventName} could not be encoded for connection {ConnectionId}")]
    private static partial void LogEventNotSent(ILogger logger, Exception exception, string name, string? connectionId, string eventName);
}
