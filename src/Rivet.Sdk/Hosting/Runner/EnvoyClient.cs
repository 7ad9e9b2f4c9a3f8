using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Rivet.Engine;
using Rivet.Protocol.Envoy;

namespace Rivet.Hosting.Runner;

/// <summary>What the runner does with what the engine sends.</summary>
internal interface IEnvoyHandler
{
    /// <summary>A new (not replayed) command for an actor. Called on the receive loop: must not block.</summary>
    void OnCommand(ActorCheckpoint checkpoint, ICommand command);

    /// <summary>A message of a tunnelled client request or WebSocket. Called on the receive loop: must not block.</summary>
    void OnTunnelMessage(ToEnvoyTunnelMessage message);

    /// <summary>
    /// The engine no longer considers this runner the owner of its actors (disconnected longer than the lost
    /// threshold, or evicted by a newer runner with the same key): stop them locally, sending nothing.
    /// </summary>
    void OnActorsLost(string reason);
}

/// <summary>
/// One runner's WebSocket to the engine (envoy protocol v8): announces the actor names, answers pings,
/// acknowledges commands (dropping the ones the engine replays), numbers events per actor generation and resends
/// them until acknowledged, correlates KV requests, and reconnects with backoff under the same key. A close with
/// <c>ws.eviction</c> means a newer runner took the key: it stops for good.
/// </summary>
internal sealed partial class EnvoyClient : IAsyncDisposable
{
    private const int ProtocolVersion = 8;

    /// <summary>The first event index of a generation this client reports stopped without having run it (see <see cref="SendStrayStopped"/>).</summary>
    internal const long StrayFirstEventIndex = 1_000_000_000;

    /// <summary>How long one frame may take to leave (waiting for the send lock included) before the socket is given up.</summary>
    internal static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(10);

    private readonly RunnerOptions _options;
    private readonly IReadOnlyList<Uri> _endpoints;
    private readonly IReadOnlyCollection<string> _actorNames;
    private readonly IEnvoyHandler _handler;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ArrayBufferWriter<byte> _sendBuffer = new(1024);
    private readonly Lock _gate = new();
    private readonly CommandLedger _commands = new();
    private readonly EventJournal _events = new();
    private readonly ConcurrentDictionary<uint, PendingKv> _pendingKv = new();
    private readonly TaskCompletionSource _firstInit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ClientWebSocket? _socket;
    private EngineApiClient? _api;
    private bool _apiDisposed;
    private Task? _loop;
    private uint _nextKvRequestId;
    private long _disconnectEpoch;
    private long _watchedEpoch = -1;
    private volatile bool _closing;
    private RivetException? _refused;
    private int _endpointIndex;

    public EnvoyClient(RunnerOptions options, IReadOnlyCollection<string> actorNames, IEnvoyHandler handler, ILogger logger)
    {
        options.Validate();
        _options = options;
        _endpoints = options.AllEndpoints;
        _actorNames = actorNames;
        _handler = handler;
        _logger = logger;
        // A client that stops before its first Init faults this task; StartAsync may no longer be waiting for it
        // (cancelled), so read the fault here rather than leave an unobserved task exception behind.
        _ = _firstInit.Task.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>The engine's limits, known once connected.</summary>
    public ProtocolMetadata? Metadata { get; private set; }

    /// <summary>Whether a newer runner with the same key took over; an evicted client never reconnects.</summary>
    public bool IsEvicted { get; private set; }

    /// <summary>Whether the socket is open now.</summary>
    public bool IsConnected => _socket?.State == WebSocketState.Open;

    /// <summary>The engine node this runner connects to now (<see cref="RunnerOptions.Endpoint"/> until a failover).</summary>
    public Uri CurrentEndpoint => _endpoints[Volatile.Read(ref _endpointIndex)];

    /// <summary>Ends when the client stops for good (stopped, disposed or evicted).</summary>
    public Task Completion => _loop ?? Task.CompletedTask;

    /// <summary>Starts the connection loop and waits for the engine's first Init.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _loop ??= Task.Run(RunAsync);
        await _firstInit.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends an actor event with the next index of its generation; kept and resent until the engine acknowledges it.</summary>
    public void SendEvent(string actorId, uint generation, IEvent inner) => SendEvent(actorId, generation, inner, firstIndex: 0);

    private void SendEvent(string actorId, uint generation, IEvent inner, long firstIndex)
    {
        EventWrapper wrapper;
        lock (_gate)
        {
            wrapper = _events.Append(actorId, generation, inner, firstIndex);
        }
        _ = SendAsync(new ToRivetEvents { Items = [wrapper] });
    }

    /// <summary>
    /// Reports a generation this process does not run as stopped: one it never ran (the engine still routes a crashed
    /// process's actors to its key) or gave up without telling the engine. The engine deduplicates events by index per
    /// generation, and a previous process may have sent some for it already, so a generation this client sent nothing
    /// for is numbered from <see cref="StrayFirstEventIndex"/>, beyond anything that process can have used.
    /// </summary>
    /// <remarks>Does nothing for a generation this client reported stopped already.</remarks>
    public void SendStrayStopped(string actorId, uint generation, StopCode code, string? message)
    {
        lock (_gate)
        {
            if (_events.HasStopped(actorId, generation))
            {
                return;
            }
        }
        SendEvent(actorId, generation, new EventActorStateUpdate { State = new ActorStateStopped { Code = code, Message = message } }, StrayFirstEventIndex);
    }

    /// <summary>
    /// Asks the engine (REST <c>POST /actors/{id}/sleep</c>) to put an actor to sleep: for an actor the gateway routes
    /// here that does not run here, since the tunnel gives no generation to report stopped. The engine answers with a
    /// stop command for the generation it believes runs here, which the runner then reports stopped.
    /// </summary>
    /// <exception cref="EngineApiException">The engine refused or could not be reached within 10 s.</exception>
    public Task RequestSleepAsync(string actorId, CancellationToken cancellationToken) => Api.SleepActorAsync(actorId, cancellationToken);

    /// <summary>The engine's view of an actor (REST <c>GET /actors?actor_ids=</c>), or null when it does not know it.</summary>
    /// <exception cref="EngineApiException">The engine refused or could not be reached within 10 s.</exception>
    public Task<EngineActor?> GetActorAsync(string actorId, CancellationToken cancellationToken) => Api.GetActorAsync(actorId, cancellationToken);

    /// <summary>Destroys an actor through the engine's API (REST <c>DELETE /actors/{id}</c>).</summary>
    /// <exception cref="EngineApiException">The engine refused or could not be reached within 10 s.</exception>
    public Task DestroyActorAsync(string actorId, CancellationToken cancellationToken) => Api.DestroyActorAsync(actorId, cancellationToken);

    /// <summary>Wakes an actor through the engine's gateway without waiting for it (see <see cref="EngineApiClient.WakeActorAsync"/>); returns the gateway's status.</summary>
    public Task<int> WakeActorAsync(string actorId, CancellationToken cancellationToken) => Api.WakeActorAsync(actorId, cancellationToken);

    private EngineApiClient Api
    {
        get
        {
            lock (_gate)
            {
                // Not after DisposeAsync: a client made then would never be disposed.
                ObjectDisposedException.ThrowIf(_apiDisposed, this);
                return _api ??= new EngineApiClient(_options.Endpoint!, _options.Namespace, _options.Token, TimeSpan.FromSeconds(10), RunnerFailover.CreateApiHandler(_endpoints, _logger));
            }
        }
    }

    /// <summary>Sends a KV request for an actor and waits for the engine's answer (resent after a reconnect).</summary>
    /// <exception cref="TimeoutException">No answer within <see cref="RunnerOptions.KvTimeout"/>.</exception>
    public async Task<IKvResponseData> KvAsync(string actorId, IKvRequestData data, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextKvRequestId);
        var pending = new PendingKv(new ToRivetKvRequest { ActorId = actorId, RequestId = id, Data = data });
        _pendingKv[id] = pending;
        try
        {
            await SendAsync(pending.Request).ConfigureAwait(false);
            return await pending.Completion.Task.WaitAsync(_options.KvTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The engine did not answer a KV {data.GetType().Name} for actor {actorId} within {_options.KvTimeout.TotalSeconds:0.#} s.");
        }
        finally
        {
            _pendingKv.TryRemove(id, out _);
        }
    }

    /// <summary>
    /// Handles commands that did not arrive on the socket (a serverless <c>/start</c> body carries one start command)
    /// exactly like received ones: deduplicated through the command ledger, handed to the handler, acknowledged.
    /// </summary>
    public ValueTask InjectCommandsAsync(ToEnvoyCommands commands) => HandleCommandsAsync(commands);

    /// <summary>Sends a tunnel message (a response to a client request); dropped if the socket is down.</summary>
    public ValueTask SendTunnelAsync(ToRivetTunnelMessage message) => SendAsync(message);

    /// <summary>
    /// Sends a tunnel message; false when the socket was down, or went down while sending: the message may be lost,
    /// and the caller must not let its stream go on as if it was delivered.
    /// </summary>
    public async ValueTask<bool> TrySendTunnelAsync(ToRivetTunnelMessage message)
    {
        if (!IsConnected)
        {
            return false;
        }
        await SendAsync(message).ConfigureAwait(false);
        return IsConnected;
    }

    /// <summary>Tells the engine this runner is shutting down: it stops sending new actors and moves the running ones away.</summary>
    public ValueTask SendStoppingAsync() => SendAsync(ToRivetStopping.Instance);

    /// <summary>
    /// Closes the socket with a proper close handshake (1000 <c>envoy.shutdown</c>) and stops reconnecting. The
    /// pending receive must not be cancelled first: cancelling it aborts the socket before the close frame leaves.
    /// </summary>
    public async Task CloseAsync()
    {
        _closing = true;
        if (_socket is { State: WebSocketState.Open } socket)
        {
            try
            {
                if (!await _sendLock.WaitAsync(SendTimeout).ConfigureAwait(false))
                {
                    throw new OperationCanceledException("A send to the engine is stalled; closing without a handshake.");
                }
                try
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "envoy.shutdown", timeout.Token).ConfigureAwait(false);
                }
                finally
                {
                    _sendLock.Release();
                }
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                LogCloseFailed(_logger, ex);
            }
        }
        if (_loop is { } loop)
        {
            // The receive loop ends when the engine answers the close; abort if it does not.
            if (await Task.WhenAny(loop, Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false) != loop)
            {
                await _stop.CancelAsync().ConfigureAwait(false);
            }
            await loop.ConfigureAwait(false);
        }
        await _stop.CancelAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync().ConfigureAwait(false);
        _socket?.Dispose();
        EngineApiClient? api;
        lock (_gate)
        {
            _apiDisposed = true;
            api = _api;
            _api = null;
        }
        api?.Dispose();
    }

    private async Task RunAsync()
    {
        var attempt = 0;
        var connectedBefore = false;
        while (!_stop.IsCancellationRequested)
        {
            var socket = new ClientWebSocket();
            socket.Options.AddSubProtocol("rivet");
            if (!string.IsNullOrEmpty(_options.Token))
            {
                socket.Options.AddSubProtocol("rivet_token." + _options.Token);
            }
            socket.Options.KeepAliveInterval = TimeSpan.Zero; // the protocol has its own pings
            socket.Options.CollectHttpResponseDetails = true; // to tell a refused token from a network failure
            var connectedAt = DateTimeOffset.UtcNow;
            string? closeReason = null;
            // Our own handler so the socket's TCP_NODELAY is set explicitly (as for the client's connections): every
            // tunnel response and KV request is a small frame that must not wait for the engine's delayed ACK; and what
            // the engine sends is acknowledged at once, so its Nagle does not hold a KV response (EnvoySocketConnection).
            using var invoker = new System.Net.Http.HttpMessageInvoker(EnvoySocketConnection.CreateHandler(RunnerFailover.ConnectTimeout(_endpoints)));
            var endpoint = CurrentEndpoint;
            try
            {
                await socket.ConnectAsync(ConnectUri(endpoint), invoker, _stop.Token).ConfigureAwait(false);
                _socket = socket;
                LogConnected(_logger, endpoint, _options.PoolName, _options.RunnerKey);
                if (connectedBefore)
                {
                    Diagnostics.RivetMetrics.EngineReconnects.Add(1);
                }
                connectedBefore = true;
                closeReason = await RunConnectionAsync(socket).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                break;
            }
            catch (WebSocketException) when (_closing)
            {
                break;
            }
            catch (WebSocketException) when (socket.HttpStatusCode is System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden)
            {
                closeReason = socket.HttpStatusCode == System.Net.HttpStatusCode.Unauthorized ? "api.unauthorized" : "api.forbidden";
            }
            catch (Exception ex) when (ex is WebSocketException or System.Net.Http.HttpRequestException or System.IO.IOException)
            {
                LogConnectionFailed(_logger, endpoint, ex.Message);
            }
            finally
            {
                _socket = null;
                socket.Dispose();
                FailPendingSql(closeReason ?? "connection lost");
            }

            if (_closing)
            {
                break;
            }
            if (closeReason?.StartsWith("ws.eviction", StringComparison.Ordinal) == true)
            {
                IsEvicted = true;
                LogEvicted(_logger, _options.RunnerKey);
                _handler.OnActorsLost("evicted by a newer runner with the same key");
                break;
            }
            if (closeReason?.StartsWith("api.forbidden", StringComparison.Ordinal) == true || closeReason?.StartsWith("api.unauthorized", StringComparison.Ordinal) == true)
            {
                // Engine 2.3.19 accepts the upgrade, then closes with "api.forbidden#<ray>" when the token is wrong.
                // A refused token does not get better by retrying: stop for good and say why (never the token itself).
                var code = closeReason.Split('#')[0]["api.".Length..];
                _refused = new RivetException("api", code,
                    $"The Rivet Engine at {_options.Endpoint} refused the runner's token ({closeReason}): check the engine token (RunnerOptions.Token or RIVET_TOKEN; RivetServerlessOptions.EngineToken when serverless).");
                LogRefused(_logger, _options.Endpoint!, closeReason);
                _handler.OnActorsLost("the engine refused the token");
                break;
            }
            if (_stop.IsCancellationRequested)
            {
                break;
            }
            if (closeReason is not null)
            {
                LogDisconnected(_logger, closeReason);
            }
            WatchForLostThreshold();
            MoveToNextEndpoint(endpoint);
            attempt = DateTimeOffset.UtcNow - connectedAt > TimeSpan.FromSeconds(60) ? 0 : attempt;
            var delay = Backoff(attempt++);
            try
            {
                await Task.Delay(delay, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        foreach (var pending in _pendingKv.Values)
        {
            pending.Completion.TrySetException(new ObjectDisposedException(nameof(EnvoyClient), "The runner stopped before the engine answered."));
        }
        _firstInit.TrySetException(_refused ?? (Exception)new InvalidOperationException(IsEvicted
            ? "The runner was evicted by a newer runner with the same key before it connected."
            : "The runner stopped before it connected to the engine."));
    }

    private const int MaxRetainedReceiveBuffer = 1024 * 1024;

    /// <summary>Runs one connection until it closes; returns the close reason the engine gave, if any.</summary>
    private async Task<string?> RunConnectionAsync(ClientWebSocket socket)
    {
        Interlocked.Increment(ref _disconnectEpoch);
        await SendAsync(new ToRivetMetadata
        {
            PrepopulateActorNames = _actorNames.ToDictionary(name => name, _ => new ActorName { Metadata = "{}" }),
            Metadata = "{\"sdk\":\"rivet-dotnet\",\"version\":\"" + SdkVersion.Current + "\"}",
        }).ConfigureAwait(false);
        await ResendUnacknowledgedAsync().ConfigureAwait(false);

        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        while (true)
        {
            buffer.ResetWrittenCount();
            ValueWebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer.GetMemory(16 * 1024), _stop.Token).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return socket.CloseStatusDescription ?? socket.CloseStatus?.ToString();
                }
                buffer.Advance(result.Count);
            }
            while (!result.EndOfMessage);

            IToEnvoy message;
            try
            {
                message = ToEnvoy.Decode(buffer.WrittenSpan);
            }
            catch (FormatException ex)
            {
                LogMalformedFrame(_logger, buffer.WrittenCount, ex.Message);
                continue;
            }
            finally
            {
                // A request body up to the gateway's limit arrives as one frame: do not keep that much memory afterwards.
                if (buffer.Capacity > MaxRetainedReceiveBuffer)
                {
                    buffer = new ArrayBufferWriter<byte>(64 * 1024);
                }
            }
            await HandleAsync(message).ConfigureAwait(false);
        }
    }

    private async ValueTask HandleAsync(IToEnvoy message)
    {
        switch (message)
        {
            case ToEnvoyPing ping:
                await SendAsync(new ToRivetPong { Ts = ping.Ts }).ConfigureAwait(false);
                break;
            case ToEnvoyInit init:
                Metadata = init.Metadata;
                _firstInit.TrySetResult();
                break;
            case ToEnvoyCommands commands:
                await HandleCommandsAsync(commands).ConfigureAwait(false);
                break;
            case ToEnvoyAckEvents acks:
                lock (_gate)
                {
                    _events.Acknowledge(acks.LastEventCheckpoints);
                }
                break;
            case ToEnvoyKvResponse kv:
                if (_pendingKv.TryRemove(kv.RequestId, out var pending))
                {
                    pending.Completion.TrySetResult(kv.Data);
                }
                break;
            case ToEnvoyTunnelMessage tunnel:
                _handler.OnTunnelMessage(tunnel);
                break;
            default:
                if (!TryCompleteSql(message))
                {
                    LogIgnored(_logger, message.GetType().Name); // page-store SQLite responses: never requested
                }
                break;
        }
    }

    private async ValueTask HandleCommandsAsync(ToEnvoyCommands commands)
    {
        var acks = new Dictionary<(string, uint), ActorCheckpoint>();
        foreach (var wrapper in commands.Items)
        {
            var checkpoint = wrapper.Checkpoint;
            var key = (checkpoint.ActorId, checkpoint.Generation);
            bool isNew;
            lock (_gate)
            {
                isNew = _commands.TryAccept(checkpoint);
            }
            if (isNew)
            {
                _handler.OnCommand(checkpoint, wrapper.Inner);
            }
            else
            {
                LogReplayedCommand(_logger, checkpoint.ActorId, checkpoint.Generation, checkpoint.Index);
            }
            if (!acks.TryGetValue(key, out var highest) || checkpoint.Index > highest.Index)
            {
                acks[key] = checkpoint;
            }
        }
        await SendAsync(new ToRivetAckCommands { LastCommandCheckpoints = acks.Values.ToArray() }).ConfigureAwait(false);
    }

    private async Task ResendUnacknowledgedAsync()
    {
        EventWrapper[] events;
        lock (_gate)
        {
            events = _events.Unacknowledged();
        }
        if (events.Length > 0)
        {
            LogResending(_logger, events.Length, _pendingKv.Count);
        }
        foreach (var e in events)
        {
            await SendAsync(new ToRivetEvents { Items = [e] }).ConfigureAwait(false);
        }
        foreach (var pending in _pendingKv.Values.OrderBy(p => p.Request.RequestId))
        {
            await SendAsync(pending.Request).ConfigureAwait(false);
        }
    }

    private async ValueTask SendAsync(IToRivet message)
    {
        var socket = _socket;
        if (socket is not { State: WebSocketState.Open })
        {
            return; // events and KV requests are resent after the reconnect; everything else is moot by then
        }
        // Bounded: a send the engine does not take within SendTimeout (it stopped reading, or froze) must not hold
        // every other actor's sends behind the one lock. Cancelling a WebSocket send aborts the socket, and so does a
        // lock wait that times out: the connection loop then reconnects and resends events and KV requests.
        if (!await _sendLock.WaitAsync(SendTimeout).ConfigureAwait(false))
        {
            LogSendStalled(_logger, message.GetType().Name, SendTimeout.TotalSeconds);
            socket.Abort();
            return;
        }
        try
        {
            _sendBuffer.ResetWrittenCount();
            ToRivet.Encode(message, _sendBuffer);
            using var timeout = new CancellationTokenSource(SendTimeout);
            await socket.SendAsync(_sendBuffer.WrittenMemory, WebSocketMessageType.Binary, endOfMessage: true, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            LogSendStalled(_logger, message.GetType().Name, SendTimeout.TotalSeconds);
            socket.Abort();
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException)
        {
            LogSendFailed(_logger, message.GetType().Name, ex.Message);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>After the lost threshold without a connection, the engine gives our actors to other runners: stop them here.</summary>
    /// <remarks>One watch per disconnect (not per failed reconnect attempt), timed from the first attempt after it.</remarks>
    private void WatchForLostThreshold()
    {
        var epoch = Interlocked.Read(ref _disconnectEpoch);
        if (Interlocked.Exchange(ref _watchedEpoch, epoch) == epoch)
        {
            return;
        }
        var threshold = TimeSpan.FromMilliseconds(Metadata?.EnvoyLostThreshold ?? 15_000);
        _ = Task.Run(async () =>
        {
            try
            {
                await Task.Delay(threshold, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (Interlocked.Read(ref _disconnectEpoch) == epoch && !IsConnected)
            {
                LogLost(_logger, threshold.TotalSeconds);
                try
                {
                    _handler.OnActorsLost($"disconnected from the engine for more than {threshold.TotalSeconds:0.#} s");
                }
                catch (Exception ex)
                {
                    LogLostHandlingFailed(_logger, ex); // nobody awaits this watch
                }
            }
        });
    }

    private TimeSpan Backoff(int attempt)
    {
        var baseMs = _options.ReconnectDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 16));
        var capped = Math.Min(baseMs, _options.MaxReconnectDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (1 + Random.Shared.NextDouble() * 0.25));
    }

    /// <summary>
    /// After a failed connect or a dropped connection, the next attempt goes to the next node of the cluster: a node
    /// that died takes its sockets with it, and the engine keeps a runner's actors while the same key reconnects
    /// through any node within its lost threshold.
    /// </summary>
    private void MoveToNextEndpoint(Uri failed)
    {
        if (_endpoints.Count < 2)
        {
            return;
        }
        var next = (Volatile.Read(ref _endpointIndex) + 1) % _endpoints.Count;
        Volatile.Write(ref _endpointIndex, next);
        RunnerFailover.LogMovingTo(_logger, failed, _endpoints[next], _options.RunnerKey);
    }

    private Uri ConnectUri(Uri endpoint)
    {
        var builder = new UriBuilder(endpoint)
        {
            Scheme = endpoint.Scheme == Uri.UriSchemeHttps ? "wss" : "ws",
            Path = endpoint.AbsolutePath.TrimEnd('/') + "/envoys/connect",
            Query = $"protocol_version={ProtocolVersion}&namespace={Uri.EscapeDataString(_options.Namespace)}" +
                    $"&envoy_key={Uri.EscapeDataString(_options.RunnerKey)}&version={_options.Version}&pool_name={Uri.EscapeDataString(_options.PoolName)}",
        };
        return builder.Uri;
    }

    private sealed class PendingKv(ToRivetKvRequest request)
    {
        public ToRivetKvRequest Request { get; } = request;

        public TaskCompletionSource<IKvResponseData> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Runner connected to {Endpoint} (pool {Pool}, key {Key})")]
    private static partial void LogConnected(ILogger logger, Uri endpoint, string pool, string key);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Could not connect to the engine at {Endpoint}: {Reason}; retrying")]
    private static partial void LogConnectionFailed(ILogger logger, Uri endpoint, string reason);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "Runner disconnected from the engine ({Reason}); reconnecting")]
    private static partial void LogDisconnected(ILogger logger, string reason);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "Runner key {Key} was taken over by a newer runner; this runner stops and will not reconnect")]
    private static partial void LogEvicted(ILogger logger, string key);

    [LoggerMessage(EventId = 104, Level = LogLevel.Error, Message = "Ignoring a malformed frame of {Length} bytes from the engine: {Reason}")]
    private static partial void LogMalformedFrame(ILogger logger, int length, string reason);

    [LoggerMessage(EventId = 105, Level = LogLevel.Debug, Message = "Ignoring replayed command {Index} of actor {ActorId} generation {Generation}")]
    private static partial void LogReplayedCommand(ILogger logger, string actorId, uint generation, long index);

    [LoggerMessage(EventId = 106, Level = LogLevel.Debug, Message = "Ignoring engine message {Kind}")]
    private static partial void LogIgnored(ILogger logger, string kind);

    [LoggerMessage(EventId = 107, Level = LogLevel.Information, Message = "Resending {Events} unacknowledged events and {Kv} KV requests after reconnecting")]
    private static partial void LogResending(ILogger logger, int events, int kv);

    [LoggerMessage(EventId = 108, Level = LogLevel.Debug, Message = "Could not send {Kind}: {Reason}")]
    private static partial void LogSendFailed(ILogger logger, string kind, string reason);

    [LoggerMessage(EventId = 109, Level = LogLevel.Warning, Message = "No connection to the engine for {Seconds} s: the engine now considers this runner's actors lost; stopping them here")]
    private static partial void LogLost(ILogger logger, double seconds);

    [LoggerMessage(EventId = 111, Level = LogLevel.Error, Message = "The engine at {Endpoint} refused the runner's token ({Reason}); the runner stops and will not reconnect")]
    private static partial void LogRefused(ILogger logger, Uri endpoint, string reason);

    [LoggerMessage(EventId = 112, Level = LogLevel.Warning, Message = "Sending {Kind} to the engine took longer than {Seconds} s; dropping the connection to reconnect")]
    private static partial void LogSendStalled(ILogger logger, string kind, double seconds);

    [LoggerMessage(EventId = 113, Level = LogLevel.Error, Message = "Stopping the actors after the lost threshold failed")]
    private static partial void LogLostHandlingFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 110, Level = LogLevel.Debug, Message = "Closing the runner socket failed")]
    private static partial void LogCloseFailed(ILogger logger, Exception exception);
}
