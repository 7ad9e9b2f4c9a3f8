using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Text.Json;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Rivet.Client.Connections;
using Rivet.Client.Engine;
using Rivet.Protocol.Client;

namespace Rivet.Client;

// The connection's life: open (wait for Init), serve calls and events over one socket, and after a drop reconnect
// with backoff and subscribe again, until it is disposed or the actor rejects it.
public sealed partial class ActorConnection
{
    /// <summary>The group of errors the connection itself raises (RivetKit's client errors use it too).</summary>
    internal const string ClientGroup = "client";

    private const ushort NormalClosure = 1000;
    private const string StoppingReason = "actor.stopping";

    // The engine's gateway closes sockets that cannot hibernate with this when their actor stops: it wakes on the reconnect.
    private const string GatewayStoppedReason = "actor.stopped";
    private const int MaxOpenAttempts = 4;
    private static readonly TimeSpan s_closeTimeout = TimeSpan.FromSeconds(5);

    private readonly IActorTransport _transport;
    private readonly ActorQuery _query;
    private readonly ReadOnlyMemory<byte> _params;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private readonly CancellationTokenSource _lifetime = new();
    private readonly Channel<object> _notifications = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _notifier;

    // Guarded by _gate.
    private ActorConnectionStatus _status = ActorConnectionStatus.Connecting;
    private Session? _session;
    private TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private RivetException? _closedError;
    private string? _actorId;
    private string? _connectionId;
    private bool _returned; // OpenAsync handed the connection to its caller

    private long _lastActionId = -1;
    private long _eventsReceived;
    private int _disposed;
    private Task _run = Task.CompletedTask;

    private ActorConnection(IActorTransport transport, ActorQuery query, ReadOnlyMemory<byte> paramsJson)
    {
        _transport = transport;
        _query = query;
        _params = paramsJson;
        _logger = transport.ConnectionLoggerFactory.CreateLogger<ActorConnection>();
        _notifier = NotifyAsync();
    }

    /// <summary>Opens a connection over <paramref name="transport"/>.</summary>
    internal static async Task<ActorConnection> OpenAsync(IActorTransport transport, ActorQuery query, ReadOnlyMemory<byte> paramsJson, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(query);
        // Copied: the caller may reuse its buffer, and every reconnect sends the parameters again.
        var connection = new ActorConnection(transport, query, paramsJson.ToArray());
        try
        {
            var (session, init) = await connection.OpenFirstAsync(cancellationToken).ConfigureAwait(false);
            if (!connection.Activate(session, init))
            {
                await session.Channel.DisposeAsync().ConfigureAwait(false);
                throw Closed("it was disposed while opening");
            }
            lock (connection._gate)
            {
                // From now on the caller can listen: changes before this (Connecting → Open) are not raised late.
                connection._returned = true;
            }
            connection._run = connection.RunAsync(session);
            return connection;
        }
        catch (Exception e)
        {
            lock (connection._gate)
            {
                connection.CloseForGoodLocked(e as RivetException ?? Closed("it could not be opened"));
            }
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private ActorConnectionStatus StatusCore
    {
        get
        {
            lock (_gate)
            {
                return _status;
            }
        }
    }

    private string? ActorIdCore => Volatile.Read(ref _actorId);

    private string? ConnectionIdCore => Volatile.Read(ref _connectionId);

    /// <summary>How many event messages arrived (whether or not anyone listened); lets tests see what the actor sent.</summary>
    internal long EventsReceived => Interlocked.Read(ref _eventsReceived);

    // ----- calls -----

    private Task<ReadOnlyMemory<byte>> InvokeCoreAsync(string action, ReadOnlyMemory<byte> argumentsJson, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<ReadOnlyMemory<byte>>(cancellationToken);
        }
        // Copied now: generated callers return their pooled buffer as soon as this returns a task.
        var arguments = argumentsJson.IsEmpty ? "[]"u8.ToArray() : argumentsJson.ToArray();
        return InvokeAsync(action, arguments, cancellationToken);
    }

    private async Task<ReadOnlyMemory<byte>> InvokeAsync(string action, byte[] arguments, CancellationToken cancellationToken)
    {
        var limit = _transport.ConnectionCallTimeout;
        if (limit == Timeout.InfiniteTimeSpan)
        {
            return await InvokeUnboundedAsync(action, arguments, cancellationToken).ConfigureAwait(false);
        }
        // A socket that the engine or the runner lost without a close, or an actor that never answers, must not hold
        // the caller forever: the call gets the client's request bound, reconnects included.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        try
        {
            return await InvokeUnboundedAsync(action, arguments, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"Action '{action}' of actor {Describe()} got no answer over its connection within {limit.TotalSeconds:0.###} s "
                + "(RivetClientOptions.RequestTimeout); it may or may not have run.", e);
        }
    }

    private async Task<ReadOnlyMemory<byte>> InvokeUnboundedAsync(string action, byte[] arguments, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task opened;
            (Session Session, ulong Id, PendingCall Call)? pending = null;
            lock (_gate)
            {
                if (_status == ActorConnectionStatus.Closed)
                {
                    throw CallOnClosed(action);
                }
                opened = _opened.Task;
                if (_status == ActorConnectionStatus.Open && _session is { } session)
                {
                    var id = (ulong)Interlocked.Increment(ref _lastActionId);
                    var call = new PendingCall(action);
                    session.Pending[id] = call;
                    session.Outbox.Writer.TryWrite(new ConnectActionRequest(id, action, arguments));
                    pending = (session, id, call);
                }
            }
            if (pending is { } sent)
            {
                return await WaitAsync(sent.Session, sent.Id, sent.Call, cancellationToken).ConfigureAwait(false);
            }
            // Reconnecting: the call waits for the socket (as long as its token allows), then goes out on it.
            try
            {
                await opened.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (RivetException)
            {
                throw CallOnClosed(action);
            }
        }
    }

    private static async Task<ReadOnlyMemory<byte>> WaitAsync(Session session, ulong id, PendingCall call, CancellationToken cancellationToken)
    {
        if (!cancellationToken.CanBeCanceled)
        {
            return await call.Task.ConfigureAwait(false);
        }
        // A cancelled call stops waiting; its answer, if it comes, is dropped.
        await using var registration = cancellationToken.Register(() =>
        {
            if (session.Pending.TryRemove(new KeyValuePair<ulong, PendingCall>(id, call)))
            {
                call.TrySetCanceled(cancellationToken);
            }
        }).ConfigureAwait(false);
        return await call.Task.ConfigureAwait(false);
    }

    private RivetException CallOnClosed(string action)
    {
        lock (_gate)
        {
            var why = _closedError;
            return new RivetException(ClientGroup, "connection_closed",
                $"Action '{action}' of actor {Describe()} was not sent: the connection is closed"
                + (why is null ? "." : $" ({why.Id}: {why.Message})."), innerException: why) { ActorId = _actorId };
        }
    }

    // ----- opening -----

    private async Task<(Session Session, ConnectInit Init)> OpenFirstAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var result = await ConnectOnceAsync(cancellationToken).ConfigureAwait(false);
            if (result.Session is { } session)
            {
                return (session, result.Init!);
            }
            if (!result.Rejected && attempt < MaxOpenAttempts && EngineActorTransport.IsUndeliveredRoutingError(result.Error!))
            {
                // The gateway gave up placing the actor (a loaded engine): nothing reached it, so try again.
                await Task.Delay(TimeSpan.FromMilliseconds(250 * attempt), cancellationToken).ConfigureAwait(false);
                continue;
            }
            throw result.Error!;
        }
    }

    /// <summary>One attempt: open a socket and read its first message, <c>Init</c> or the actor's rejection.</summary>
    private async Task<ConnectResult> ConnectOnceAsync(CancellationToken cancellationToken)
    {
        IActorConnectionChannel channel;
        try
        {
            channel = await _transport.OpenConnectionAsync(_query, _params, cancellationToken).ConfigureAwait(false);
        }
        catch (RivetException e)
        {
            return ConnectResult.Failed(e, rejected: false);
        }
        catch (Exception e) when (e is not (OperationCanceledException or NotSupportedException or ObjectDisposedException))
        {
            return ConnectResult.Failed(new RivetException(ClientGroup, "connection_failed",
                $"Could not open a connection to actor {_query}: {e.Message}", innerException: e), rejected: false);
        }

        var keep = false;
        try
        {
            ConnectToClient? first;
            try
            {
                first = await channel.ReceiveAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (RivetException e)
            {
                return ConnectResult.Failed(e, rejected: false);
            }
            switch (first)
            {
                case ConnectInit init:
                    keep = true;
                    return ConnectResult.Opened(new Session(channel), init);
                case ConnectError error:
                    // The actor refused (OnBeforeConnect threw): it closes with 1011 group.code right after.
                    // Except "actor.stopped": the actor was going to sleep as the connection arrived; the next
                    // attempt wakes it.
                    return ConnectResult.Failed(ToException(error, $"Actor {_query} rejected the connection: "),
                        rejected: !(error.Group == "actor" && error.Code == "stopped"));
                case null:
                    return ConnectResult.Failed(ClosedBeforeInit(channel.Closure), rejected: false);
                default:
                    return ConnectResult.Failed(new RivetException(ClientGroup, "protocol_error",
                        $"Actor {_query} sent {first.GetType().Name} before Init on a new connection."), rejected: false);
            }
        }
        finally
        {
            if (!keep)
            {
                await channel.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private RivetException ClosedBeforeInit(ConnectionClosure? closure)
    {
        closure ??= new ConnectionClosure(null, null);
        if (closure.TryParseReason(out var group, out var code))
        {
            return new RivetException(group, code, $"The connection to actor {_query} closed before it opened: {closure}.");
        }
        return new RivetException(ClientGroup, "connection_failed", $"The connection to actor {_query} closed before it opened: {closure}.", innerException: closure.Error);
    }

    /// <summary>Makes <paramref name="session"/> the open socket: subscribes to every event listened to, then lets calls through.</summary>
    private bool Activate(Session session, ConnectInit init)
    {
        lock (_gate)
        {
            if (_status == ActorConnectionStatus.Closed)
            {
                return false;
            }
            _session = session;
            Volatile.Write(ref _actorId, init.ActorId);
            Volatile.Write(ref _connectionId, init.ConnectionId);
            foreach (var eventName in _listeners.Keys)
            {
                session.Outbox.Writer.TryWrite(new ConnectSubscriptionRequest(eventName, true));
            }
            SetStatusLocked(ActorConnectionStatus.Open);
            _opened.TrySetResult();
        }
        LogOpened(_logger, _query.ToString(), init.ActorId, init.ConnectionId);
        return true;
    }

    // ----- running -----

    private async Task RunAsync(Session session)
    {
        while (true)
        {
            var writer = WriteAsync(session);
            var closure = await ReceiveAsync(session).ConfigureAwait(false);
            var reconnect = Drop(session, closure);
            await writer.ConfigureAwait(false);
            await session.Channel.DisposeAsync().ConfigureAwait(false);
            if (!reconnect)
            {
                return;
            }
            var next = await ReconnectAsync().ConfigureAwait(false);
            if (next is null)
            {
                return;
            }
            session = next;
        }
    }

    private async Task WriteAsync(Session session)
    {
        try
        {
            await foreach (var message in session.Outbox.Reader.ReadAllAsync(_lifetime.Token).ConfigureAwait(false))
            {
                await session.Channel.SendAsync(message, _lifetime.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            // The socket broke: closing it ends the receive loop, which reconnects. A disposed connection closed it
            // itself while messages (unsubscribes, say) were still queued: that is its normal end, not a failure.
            if (!_lifetime.IsCancellationRequested && Volatile.Read(ref _disposed) == 0)
            {
                LogSendFailed(_logger, e, Describe());
            }
            try
            {
                await session.Channel.CloseAsync(1011, "client.send_failed", CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Already broken.
            }
        }
    }

    private async Task<ConnectionClosure> ReceiveAsync(Session session)
    {
        try
        {
            while (true)
            {
                var message = await session.Channel.ReceiveAsync(_lifetime.Token).ConfigureAwait(false);
                if (message is null)
                {
                    return session.Channel.Closure ?? new ConnectionClosure(null, null);
                }
                Handle(session, message);
            }
        }
        catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
        {
            return new ConnectionClosure(NormalClosure, "Disposed");
        }
        catch (Exception e)
        {
            // An undecodable message: this socket cannot be trusted any more.
            LogReceiveFailed(_logger, e, Describe());
            try
            {
                await session.Channel.CloseAsync(1011, "client.invalid_message", CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception)
            {
            }
            return new ConnectionClosure(null, null, e);
        }
    }

    private void Handle(Session session, ConnectToClient message)
    {
        switch (message)
        {
            case ConnectActionResponse response:
                if (session.Pending.TryRemove(response.Id, out var call))
                {
                    call.TrySetResult(response.OutputJson);
                }
                break;
            case ConnectError { ActionId: { } actionId } error:
                if (session.Pending.TryRemove(actionId, out var failed))
                {
                    failed.TrySetException(ToException(error, ""));
                }
                break;
            case ConnectError error:
                // A connection-level error: RivetKit fails the calls in flight with it; the actor closes the socket next.
                var connectionError = ToException(error, $"Connection to actor {Describe()} failed: ");
                session.ConnectionError = connectionError;
                FailPending(session, (_, _) => connectionError);
                Notify(connectionError);
                break;
            case ConnectEvent @event:
                Interlocked.Increment(ref _eventsReceived);
                Dispatch(@event.Name, @event.ArgumentsJson);
                break;
            case ConnectInit:
                break;
        }
    }

    /// <summary>The socket is gone: fails its calls, and says whether to reconnect.</summary>
    private bool Drop(Session session, ConnectionClosure closure)
    {
        bool reconnect;
        lock (_gate)
        {
            if (_session == session)
            {
                _session = null;
            }
            session.Outbox.Writer.TryComplete();
            if (_status == ActorConnectionStatus.Closed)
            {
                reconnect = false;
            }
            else if (closure.Code == NormalClosure && closure.Error is null && closure.Reason is not (StoppingReason or GatewayStoppedReason))
            {
                // The actor closed it on purpose (Connection.Disconnect, or it was destroyed): that is final, as the
                // status documents. An actor going to sleep closes with "actor.stopping": it wakes on the reconnect.
                CloseForGoodLocked(new RivetException(ClientGroup, "connection_closed",
                    $"Actor {Describe()} closed the connection" + (string.IsNullOrEmpty(closure.Reason) ? "." : $": {closure.Reason}.")) { ActorId = _actorId });
                reconnect = false;
            }
            else
            {
                SetStatusLocked(ActorConnectionStatus.Connecting);
                _opened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                reconnect = true;
            }
        }

        var disposed = Volatile.Read(ref _disposed) != 0;
        var actor = Describe();
        FailPending(session, (action, id) => disposed
            ? new RivetException(ClientGroup, "connection_disposed",
                $"The connection to actor {actor} was disposed before action '{action}' (id {id}) answered; the action may or may not have run.")
            : new RivetException(ClientGroup, "connection_lost",
                $"The connection to actor {actor} ended ({closure}) before action '{action}' (id {id}) answered; the action may or may not have run.",
                innerException: session.ConnectionError ?? closure.Error) { ActorId = _actorId });
        if (reconnect)
        {
            LogDropped(_logger, Describe(), closure.ToString());
        }
        return reconnect;
    }

    private async Task<Session?> ReconnectAsync()
    {
        var backoff = new ReconnectBackoff();
        while (true)
        {
            try
            {
                await Task.Delay(backoff.Next(), _lifetime.Token).ConfigureAwait(false);
                var result = await ConnectOnceAsync(_lifetime.Token).ConfigureAwait(false);
                if (result.Session is { } session)
                {
                    if (Activate(session, result.Init!))
                    {
                        return session;
                    }
                    await session.Channel.DisposeAsync().ConfigureAwait(false);
                    return null;
                }
                if (result.Rejected)
                {
                    // The actor refuses this client now (e.g. its token expired): retrying cannot help.
                    LogRejected(_logger, result.Error!, Describe());
                    Notify(result.Error!);
                    lock (_gate)
                    {
                        CloseForGoodLocked(result.Error!);
                    }
                    return null;
                }
                LogReconnectFailed(_logger, Describe(), backoff.Attempts, result.Error!.Message);
            }
            catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
            {
                return null;
            }
            catch (Exception e) when (e is NotSupportedException or ObjectDisposedException)
            {
                // The transport went away (its client was disposed).
                lock (_gate)
                {
                    CloseForGoodLocked(new RivetException(ClientGroup, "connection_closed", $"Cannot reconnect to actor {Describe()}: {e.Message}", innerException: e));
                }
                return null;
            }
        }
    }

    // ----- closing -----

    private async ValueTask DisposeCoreAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        Session? session;
        lock (_gate)
        {
            session = _session;
            CloseForGoodLocked(new RivetException(ClientGroup, "connection_disposed", $"The connection to actor {Describe()} was disposed."));
        }
        if (session is null)
        {
            await _lifetime.CancelAsync().ConfigureAwait(false);
        }
        else
        {
            try
            {
                using var timeout = new CancellationTokenSource(s_closeTimeout);
                await session.Channel.CloseAsync(NormalClosure, "Disposed", timeout.Token).ConfigureAwait(false);
                await _run.WaitAsync(s_closeTimeout).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // The actor did not answer the close in time: stop waiting for it.
            }
            await _lifetime.CancelAsync().ConfigureAwait(false);
        }
        try
        {
            await _run.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The run loop ends by itself once cancelled; nothing it raises matters any more.
        }
    }

    /// <summary>Closed for good: waiting calls fail with <paramref name="error"/>, streams end, and the status becomes Closed.</summary>
    private void CloseForGoodLocked(RivetException error)
    {
        if (_status == ActorConnectionStatus.Closed)
        {
            return;
        }
        _closedError = error;
        SetStatusLocked(ActorConnectionStatus.Closed);
        _opened.TrySetException(error);
        _opened.Task.Exception?.Handle(static _ => true);
        _notifications.Writer.TryComplete();
        CompleteAllListenersLocked();
    }

    private static void FailPending(Session session, Func<string, ulong, RivetException> error)
    {
        foreach (var id in session.Pending.Keys)
        {
            if (session.Pending.TryRemove(id, out var call))
            {
                call.TrySetException(error(call.Action, id));
            }
        }
    }

    // ----- notifications -----

    private void SetStatusLocked(ActorConnectionStatus status)
    {
        if (_status == status)
        {
            return;
        }
        _status = status;
        if (_returned)
        {
            _notifications.Writer.TryWrite(status);
        }
    }

    private void Notify(RivetException error) => _notifications.Writer.TryWrite(error);

    /// <summary>Raises StatusChanged and Error in order, on a pool thread, so handlers never run inside the connection's locks.</summary>
    private async Task NotifyAsync()
    {
        await foreach (var notification in _notifications.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                if (notification is ActorConnectionStatus status)
                {
                    RaiseStatusChanged(status);
                }
                else
                {
                    RaiseError((RivetException)notification);
                }
            }
            catch (Exception e)
            {
                LogHandlerFailed(_logger, e, notification is ActorConnectionStatus ? nameof(StatusChanged) : nameof(Error), Describe());
            }
        }
    }

    private void RaiseStatusChanged(ActorConnectionStatus status) => StatusChanged?.Invoke(status);

    private void RaiseError(RivetException error) => Error?.Invoke(error);

    // ----- helpers -----

    private string Describe() => Volatile.Read(ref _actorId) is { } id && _query.Kind != ActorQueryKind.ForId ? $"{_query} ({id})" : _query.ToString();

    private RivetException ToException(ConnectError error, string prefix)
    {
        JsonElement? metadata = null;
        if (error.MetadataJson is { IsEmpty: false } json)
        {
            try
            {
                using var document = JsonDocument.Parse(json);
                metadata = document.RootElement.Clone();
            }
            catch (JsonException)
            {
                // Metadata is informative; an unreadable one is dropped rather than hiding the error.
            }
        }
        return new RivetException(error.Group, error.Code, prefix.Length == 0 ? error.Message : prefix + error.Message, metadata) { ActorId = Volatile.Read(ref _actorId) };
    }

    private static RivetException Closed(string why) => new(ClientGroup, "connection_closed", $"The connection is closed: {why}.");

    /// <summary>One open socket and the calls sent on it.</summary>
    private sealed class Session(IActorConnectionChannel channel)
    {
        public IActorConnectionChannel Channel { get; } = channel;

        /// <summary>Messages to send, in order: one writer loop owns the socket's send side, so nothing waits for a timer or a lock.</summary>
        public Channel<ConnectToServer> Outbox { get; } = System.Threading.Channels.Channel.CreateUnbounded<ConnectToServer>(new UnboundedChannelOptions { SingleReader = true });

        public ConcurrentDictionary<ulong, PendingCall> Pending { get; } = new();

        public RivetException? ConnectionError { get; set; }
    }

    private sealed class PendingCall(string action) : TaskCompletionSource<ReadOnlyMemory<byte>>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public string Action { get; } = action;
    }

    private readonly record struct ConnectResult(Session? Session, ConnectInit? Init, RivetException? Error, bool Rejected)
    {
        public static ConnectResult Opened(Session session, ConnectInit init) => new(session, init, null, false);

        public static ConnectResult Failed(RivetException error, bool rejected) => new(null, null, error, rejected);
    }
}
