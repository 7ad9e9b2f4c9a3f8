using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Rivet.Diagnostics;
using Rivet.Runtime.Connections;

namespace Rivet.Runtime;

// Connections and events of a running actor. Every hook runs in the actor's turn (the _turn semaphore), so
// connection changes never interleave with an action. The registry is copy-on-write: broadcasts read a snapshot
// without locking or allocating, and an actor without connections pays nothing per action.
internal sealed partial class ActorInstance
{
    private readonly Lock _connectionsLock = new();
    private Connection[] _connections = [];
    private IReadOnlyCollection<Connection> _connectionView = [];
    private int _hibernatableCount;
    private Connection? _caller;
    private ConcurrentQueue<Connection>? _pendingDisconnects;

    /// <summary>The open connections.</summary>
    public IReadOnlyCollection<Connection> ConnectionList => Volatile.Read(ref _connectionView);

    /// <summary>The connection whose request is running in the current turn (or whose raw socket handler runs now);
    /// <see langword="null"/> for HTTP actions and internal calls.</summary>
    public Connection? CurrentCaller => _caller ?? RawSocketCaller;

    /// <summary>Queues the event to every connection subscribed to it.</summary>
    public void Broadcast(string eventName, ReadOnlyMemory<byte> argumentsJson)
    {
        using var span = RivetTracing.IsEnabled ? StartBroadcastSpan(eventName) : null;
        _host.EventSent(this, eventName, argumentsJson);
        byte[]? copy = null;
        var subscribers = 0;
        foreach (var connection in Volatile.Read(ref _connections))
        {
            if (connection.IsClosed || connection.Output is not { } output || !connection.IsSubscribed(eventName))
            {
                continue;
            }
            // One copy for every subscriber: the caller's buffer (pooled for generated events) is reused after this returns.
            copy ??= argumentsJson.ToArray();
            output.SendEvent(eventName, copy);
            subscribers++;
        }
        span?.SetTag(RivetTracing.EventSubscribersKey, subscribers);
    }

    private System.Diagnostics.Activity? StartBroadcastSpan(string eventName)
    {
        var span = RivetTracing.StartActorSpan(this, "broadcast " + eventName, System.Diagnostics.ActivityKind.Producer, RivetTracing.Invocation.Broadcast);
        span?.SetTag(RivetTracing.EventNameKey, eventName);
        return span;
    }

    /// <summary>
    /// Accepts a connection in the actor's turn: params decoded with the definition's params type,
    /// <see cref="IConnectionParams{TParams}.OnBeforeConnectAsync"/> (throws to reject), connection state,
    /// <see cref="Actor.OnConnectAsync"/>; hibernatable connections are persisted before this returns.
    /// </summary>
    /// <exception cref="RivetException">The connection was rejected: <c>actor.invalid_request</c> for parameters
    /// that are not valid JSON for the declared type, the hook's error (user errors keep their group and code,
    /// anything else is <c>actor.internal_error</c>), or <c>actor.stopped</c>. Nothing is registered then.</exception>
    public async Task<Connection> ConnectAsync(ConnectionOpen open, IConnectionOutput output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(open);
        ArgumentNullException.ThrowIfNull(output);
        // The connection's span continues the trace of the upgrade request (its W3C headers).
        using var span = RivetTracing.IsEnabled
            ? RivetTracing.StartActorSpan(this, Definition.Name + "/connect", System.Diagnostics.ActivityKind.Server,
                RivetTracing.Invocation.Connect, RivetTracing.Extract(open.RequestHeaders))
            : null;
        try
        {
            var parameters = DecodeConnectionParams(open.ParamsJson.Span);
            await EnterTurnAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                ThrowIfStoppedForConnections();
                var connection = await AcceptAsync(open, output, parameters, cancellationToken).ConfigureAwait(false);
                LogConnected(_logger, Definition.Name, Key, connection.Id, connection.IsHibernatable);
                if (span is not null)
                {
                    connection.OpenedBy = span.Context;
                    span.SetTag(RivetTracing.ConnectionIdKey, connection.Id);
                }
                return connection;
            }
            finally
            {
                await LeaveConnectionTurnAsync().ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (span is not null)
        {
            RivetTracing.RecordError(span, ex);
            throw;
        }
    }

    private async Task<Connection> AcceptAsync(ConnectionOpen open, IConnectionOutput output, object? parameters, CancellationToken cancellationToken)
    {
        Connection connection;
        try
        {
            if (Actor is IConnectionParamsBridge paramsHook)
            {
                await paramsHook.BeforeConnectAsync(parameters, cancellationToken).ConfigureAwait(false);
            }
            var state = Actor is IConnectionStateBridge stateFactory ? stateFactory.CreateConnectionState(parameters) : null;
            connection = new Connection(Guid.NewGuid().ToString(), parameters, state)
            {
                Owner = this,
                Output = output,
                HibernationTicket = open.Hibernation,
                RequestPath = open.RequestPath,
                RequestHeaders = open.RequestHeaders,
                ParamsJson = open.ParamsJson.ToArray(),
            };
            // Registered before OnConnect, so the hook sees it in Connections and may Disconnect() it.
            Register(connection);
        }
        catch (Exception ex)
        {
            RestoreSavedState();
            throw TranslateConnectionError(ex, "OnBeforeConnect", cancellationToken);
        }
        try
        {
            await Actor.RunOnConnectAsync(connection, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // A failed OnConnect rejects the connection as a failed OnBeforeConnect does: the client never saw it.
            connection.TryMarkClosed();
            Unregister(connection);
            RestoreSavedState();
            throw TranslateConnectionError(ex, "OnConnect", cancellationToken);
        }
        try
        {
            // Writes the new connection's record too (it has none yet), and any other connection OnConnect changed.
            await PersistTurnAsync("onConnect", CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            connection.TryMarkClosed();
            Unregister(connection);
            throw ex is RivetException ? ex : ConnectionSaveError(ex, connection, "accepting it");
        }
        return connection;
    }

    /// <summary>Removes a connection in the actor's turn and runs <see cref="Actor.OnDisconnectAsync"/>.</summary>
    /// <remarks>Idempotent: a connection already closed (by the actor, or an earlier call) is left alone. On a
    /// stopped actor it only forgets the connection (a sleeping actor keeps its hibernatable records).</remarks>
    public async Task DisconnectAsync(Connection connection, string? reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await EnterTurnAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!connection.TryMarkClosed())
            {
                return;
            }
            Unregister(connection);
            LogDisconnected(_logger, Definition.Name, Key, connection.Id, reason ?? "closed by the client");
            await FinishDisconnectAsync(connection).ConfigureAwait(false);
        }
        finally
        {
            await LeaveConnectionTurnAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Adds or removes a subscription (persisted for hibernatable connections); a subscription the actor's
    /// <c>CanSubscribeAsync</c> refuses throws <c>auth.forbidden</c>.</summary>
    public async Task SetSubscriptionAsync(Connection connection, string eventName, bool subscribe, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        await EnterTurnAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (subscribe && !connection.IsClosed && !connection.IsSubscribed(eventName)
                && !await Actor.RunCanSubscribeAsync(connection, eventName, _stopping.Token).ConfigureAwait(false))
            {
                throw new RivetException("auth", "forbidden",
                    $"Actor '{Definition.Name}' {Key} refused connection {connection.Id} a subscription to event '{eventName}' (CanSubscribeAsync).") { ActorId = ActorId };
            }
            if (connection.IsClosed || !connection.SetSubscription(eventName, subscribe) || !connection.IsHibernatable)
            {
                return;
            }
            try
            {
                await WriteConnectionRecordAsync(connection, connection.PersistedStateJson, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                throw ConnectionSaveError(ex, connection, $"changing its subscription to '{eventName}'");
            }
        }
        finally
        {
            await LeaveConnectionTurnAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Closes a connection from the actor side (<see cref="Connection.Disconnect"/>, usually inside a turn): the
    /// output is closed now; <see cref="Actor.OnDisconnectAsync"/> runs once the current turn is over.
    /// </summary>
    internal void RequestDisconnect(Connection connection, string? reason)
    {
        if (!connection.TryMarkClosed())
        {
            return;
        }
        Unregister(connection);
        LogDisconnected(_logger, Definition.Name, Key, connection.Id, reason ?? "closed by the actor");
        connection.Output?.Close(reason);
        LazyInitializer.EnsureInitialized(ref _pendingDisconnects).Enqueue(connection);
        // The current turn runs it before it ends; when there is none (or it ended already), this task does.
        _ = DrainDisconnectsOutOfTurnAsync();
    }

    private async Task DrainDisconnectsOutOfTurnAsync()
    {
        await EnterTurnAsync(CancellationToken.None).ConfigureAwait(false);
        await LeaveConnectionTurnAsync().ConfigureAwait(false);
    }

    /// <summary>Ends a connection turn: runs the OnDisconnect hooks queued during it, then releases the turn.</summary>
    private async Task LeaveConnectionTurnAsync()
    {
        try
        {
            await RunPendingDisconnectsAsync().ConfigureAwait(false);
        }
        finally
        {
            _caller = null;
            _turn.Release();
            LeaveTurnQueue();
        }
    }

    /// <summary>Runs the OnDisconnect hooks of connections the actor closed during this turn. Call in the turn.</summary>
    private async Task RunPendingDisconnectsAsync()
    {
        if (_pendingDisconnects is not { } queue)
        {
            return;
        }
        while (queue.TryDequeue(out var connection))
        {
            await FinishDisconnectAsync(connection).ConfigureAwait(false);
        }
    }

    /// <summary>Deletes a closed connection's record and runs OnDisconnect. Call in the turn; never throws.</summary>
    private async Task FinishDisconnectAsync(Connection connection, bool evenIfStopped = false)
    {
        if (_stopped && !evenIfStopped)
        {
            return;
        }
        if (connection.IsHibernatable)
        {
            try
            {
                await DeleteConnectionRecordAsync(connection).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // A leftover record is dropped on the next wake (the gateway no longer lists its socket).
                LogConnectionSaveFailed(_logger, ex, Definition.Name, Key, ActorId, connection.Id);
            }
        }
        try
        {
            // While stopping, _stopping is already cancelled: the hook still gets to run.
            await Actor.RunOnDisconnectAsync(connection, evenIfStopped ? CancellationToken.None : _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The connection is gone either way; as in RivetKit, a failing OnDisconnect is logged.
            RestoreSavedState();
            LogDisconnectHookFailed(_logger, ex, Definition.Name, Key, ActorId, connection.Id);
            return;
        }
        try
        {
            await PersistTurnAsync("onDisconnect", CancellationToken.None).ConfigureAwait(false);
        }
        catch (RivetException ex)
        {
            LogDisconnectHookFailed(_logger, ex, Definition.Name, Key, ActorId, connection.Id);
        }
    }

    private void Register(Connection connection)
    {
        lock (_connectionsLock)
        {
            var current = _connections;
            var next = new Connection[current.Length + 1];
            current.CopyTo(next, 0);
            next[^1] = connection;
            Publish(next);
            if (connection.IsHibernatable)
            {
                _hibernatableCount++;
            }
        }
    }

    private void Unregister(Connection connection)
    {
        lock (_connectionsLock)
        {
            var current = _connections;
            var index = Array.IndexOf(current, connection);
            if (index < 0)
            {
                return;
            }
            var next = new Connection[current.Length - 1];
            Array.Copy(current, 0, next, 0, index);
            Array.Copy(current, index + 1, next, index, current.Length - index - 1);
            Publish(next);
            if (connection.IsHibernatable)
            {
                _hibernatableCount--;
            }
        }
        // The idle countdown starts when the last connection goes, not at the last action before it.
        MarkActivity();
    }

    private void Publish(Connection[] connections)
    {
        Volatile.Write(ref _connections, connections);
        Volatile.Write(ref _connectionView, connections.Length == 0 ? [] : Array.AsReadOnly(connections));
    }

    private object? DecodeConnectionParams(ReadOnlySpan<byte> json)
    {
        if (json.IsEmpty)
        {
            return null;
        }
        var type = Definition.ConnectionParamsType;
        try
        {
            if (type is not null)
            {
                return JsonSerializer.Deserialize(json, type);
            }
            // Undeclared params are not used, but they are kept (and persisted as CBOR): they must be JSON.
            var reader = new Utf8JsonReader(json);
            while (reader.Read())
            {
            }
            return null;
        }
        catch (JsonException ex)
        {
            throw new RivetException(RivetErrors.ActorGroup, RivetErrors.InvalidRequest,
                $"The connection parameters for actor '{Definition.Name}' are not a valid {type?.Type.Name ?? "JSON value"}: {ex.Message}", innerException: ex) { ActorId = ActorId };
        }
    }

    private void ThrowIfStoppedForConnections()
    {
        if (_stopped)
        {
            throw new RivetException(RivetErrors.ActorGroup, "stopped", $"Actor '{Definition.Name}' {Key} ({ActorId}) has stopped.") { ActorId = ActorId };
        }
    }

    private Exception TranslateConnectionError(Exception ex, string hook, CancellationToken cancellationToken)
    {
        switch (ex)
        {
            case RivetException rivet:
                LogConnectionRejected(_logger, Definition.Name, Key, hook, rivet.Id, rivet.Message);
                return rivet;
            case OperationCanceledException when cancellationToken.IsCancellationRequested:
                return ex;
            default:
                LogConnectionHookFailed(_logger, ex, Definition.Name, Key, ActorId, hook);
                return new RivetException(RivetErrors.ActorGroup, RivetErrors.InternalError, RivetErrors.InternalErrorMessage, innerException: ex) { ActorId = ActorId };
        }
    }

    private RivetException ConnectionSaveError(Exception ex, Connection connection, string when)
    {
        LogConnectionSaveFailed(_logger, ex, Definition.Name, Key, ActorId, connection.Id);
        return new RivetException(RivetErrors.ActorGroup, RivetErrors.InternalError,
            $"Connection '{connection.Id}' of actor '{Definition.Name}' {Key} could not be saved after {when}.", innerException: ex) { ActorId = ActorId };
    }

    [LoggerMessage(EventId = 101, Level = LogLevel.Debug, Message = "Actor {Name} {Key} accepted connection {ConnectionId} (hibernatable: {Hibernatable})")]
    private static partial void LogConnected(ILogger logger, string name, ActorKey key, string connectionId, bool hibernatable);

    [LoggerMessage(EventId = 102, Level = LogLevel.Debug, Message = "Actor {Name} {Key}: connection {ConnectionId} closed ({Reason})")]
    private static partial void LogDisconnected(ILogger logger, string name, ActorKey key, string connectionId, string reason);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "Actor {Name} {Key} rejected a connection in {Hook}: {ErrorId} {ErrorMessage}")]
    private static partial void LogConnectionRejected(ILogger logger, string name, ActorKey key, string hook, string errorId, string errorMessage);

    [LoggerMessage(EventId = 104, Level = LogLevel.Error, Message = "{Hook} of actor {Name} {Key} ({ActorId}) threw an unexpected exception; the client receives actor.internal_error")]
    private static partial void LogConnectionHookFailed(ILogger logger, Exception exception, string name, ActorKey key, string actorId, string hook);

    [LoggerMessage(EventId = 105, Level = LogLevel.Error, Message = "OnDisconnect of actor {Name} {Key} ({ActorId}) failed for connection {ConnectionId}; its changes were discarded")]
    private static partial void LogDisconnectHookFailed(ILogger logger, Exception exception, string name, ActorKey key, string actorId, string connectionId);

    [LoggerMessage(EventId = 106, Level = LogLevel.Error, Message = "Saving connection {ConnectionId} of actor {Name} {Key} ({ActorId}) failed")]
    private static partial void LogConnectionSaveFailed(ILogger logger, Exception exception, string name, ActorKey key, string actorId, string connectionId);
}
