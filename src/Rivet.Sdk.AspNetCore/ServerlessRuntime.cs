using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rivet.Client.Engine;
using Rivet.Codecs.Bare;
using Rivet.Hosting.Runner;
using Rivet.Protocol.Envoy;
using Rivet.Runtime;

namespace Rivet.AspNetCore;

/// <summary>
/// The serverless side of one process: answers the engine's <c>/metadata</c> and <c>/start</c> calls, keeps one envoy
/// connection per (configured engine endpoint, configured pool), at most <see cref="RivetServerlessOptions.MaxEnvoyConnections"/>,
/// and runs each started actor on it while its <c>/start</c> stream is open. <see cref="ServerlessStartPolicy"/> decides
/// who may call and what a call may target.
/// </summary>
internal sealed partial class ServerlessRuntime : IAsyncDisposable
{
    internal const ushort EnvoyProtocolVersion = 8;

    private static readonly byte[] s_ping = Encoding.ASCII.GetBytes("event: ping\ndata:\n\n");
    private static readonly byte[] s_stopping = Encoding.ASCII.GetBytes("event: stopping\ndata:\n\n");

    private readonly RivetServerlessOptions _options;
    private readonly ActorRegistry _registry;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly ServerlessStartPolicy _policy;
    private readonly Lock _connectionsGate = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<EnvoyConnection>>> _connections = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<long, CancellationTokenSource> _serverAborts = new();
    private long _nextStream;
    private int _disposed;
    private int _shuttingDown;
    private Task? _drain;

    /// <param name="options">The settings; checked here (see <see cref="ServerlessStartPolicy"/>).</param>
    /// <param name="loggerFactory">The application's logging, unless the options name one.</param>
    /// <param name="environmentName">The host environment (for the start-up warning of an unauthenticated endpoint).</param>
    /// <exception cref="InvalidOperationException">An option is missing or out of range.</exception>
    public ServerlessRuntime(RivetServerlessOptions options, ILoggerFactory? loggerFactory, string? environmentName = null)
    {
        _options = options;
        _registry = options.Registry ?? ActorRegistry.Default;
        _loggerFactory = options.LoggerFactory ?? loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger("Rivet.Serverless");
        _policy = new ServerlessStartPolicy(options, environmentName ?? "unknown", _logger);
    }

    /// <summary>The version reported in <c>/metadata</c> (this SDK's version).</summary>
    public static string SdkVersion { get; } = ReadVersion();

    public RivetServerlessOptions Options => _options;

    /// <summary>Checks the token of a request to the protected endpoints (<c>/start</c>, <c>/metadata</c>).</summary>
    public ServerlessRefusal? Authenticate(HttpRequest request) => _policy.Authenticate(request);

    /// <summary>How many envoy connections were opened (or are being opened).</summary>
    public int ConnectionCount => _connections.Count;

    /// <summary>How many <c>/start</c> streams are open now.</summary>
    public int ActiveStarts => _serverAborts.Count;

    /// <summary>Test hook: ends every open <c>/start</c> stream from the server side (as a function timeout would).</summary>
    internal int AbortActiveStarts()
    {
        var count = 0;
        foreach (var cts in _serverAborts.Values)
        {
            cts.Cancel();
            count++;
        }
        return count;
    }

    /// <summary>The JSON the engine expects from <c>GET /metadata</c> (camelCase; <c>runtime</c> must be <c>rivetkit</c>).</summary>
    public byte[] MetadataJson()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartObject("actorNames");
            foreach (var definition in _registry.Definitions.OrderBy(d => d.Name, StringComparer.Ordinal))
            {
                w.WriteStartObject(definition.Name);
                w.WriteStartObject("metadata");
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteStartObject("envoy");
            w.WriteStartObject("kind");
            w.WriteStartObject("serverless");
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteNumber("version", _options.RunnerVersion);
            w.WriteEndObject();
            w.WriteNumber("envoyProtocolVersion", EnvoyProtocolVersion);
            w.WriteString("runtime", "rivetkit");
            w.WriteString("version", SdkVersion);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// <c>POST /start</c>: validates the request, hands the start command to the envoy connection of the pool as if
    /// it had arrived on the socket, then streams <c>ping</c> events until that actor generation stops
    /// (<c>stopping</c>). If the request ends first, the actor is stopped here; the engine starts it again.
    /// </summary>
    public async Task HandleStartAsync(HttpContext context)
    {
        var request = context.Request;
        var refusal = _policy.Authenticate(request);
        Uri endpoint = null!;
        var pool = "";
        refusal ??= _policy.ResolveTarget(request, out endpoint, out pool);
        if (refusal is not null)
        {
            LogRefused(_logger, refusal.Status, refusal.Code, refusal.Message);
            await WriteErrorAsync(context, refusal).ConfigureAwait(false);
            return;
        }

        var body = await ReadBodyAsync(context).ConfigureAwait(false);
        if (body is null)
        {
            await WriteErrorAsync(context, 413, "message", "incoming_too_long", $"The /start body exceeds {_options.MaxStartPayloadBytes} bytes.").ConfigureAwait(false);
            return;
        }
        if (!TryDecodeStart(body, out var checkpoint, out var commands, out var problem))
        {
            LogInvalidStart(_logger, problem);
            await WriteErrorAsync(context, 400, "request", "invalid_start_payload", problem).ConfigureAwait(false);
            return;
        }

        EnvoyConnection connection;
        try
        {
            connection = await GetConnectionAsync(endpoint, pool, context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        catch (TooManyConnectionsException ex)
        {
            LogRefused(_logger, 503, "too_many_connections", ex.Message);
            await WriteErrorAsync(context, 503, "envoy", "too_many_connections", ex.Message).ConfigureAwait(false);
            return;
        }
        catch (Exception ex)
        {
            LogConnectFailed(_logger, ex, endpoint, pool);
            await WriteErrorAsync(context, 503, "envoy", "connect_failed", $"Could not connect to the engine at {endpoint}: {ex.Message}").ConfigureAwait(false);
            return;
        }

        await StreamAsync(context, connection, checkpoint, commands).ConfigureAwait(false);
    }

    private async Task StreamAsync(HttpContext context, EnvoyConnection connection, ActorCheckpoint checkpoint, ToEnvoyCommands commands)
    {
        var actorId = checkpoint.ActorId;
        var generation = checkpoint.Generation;
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnStopped(string id, uint gen)
        {
            if (gen == generation && string.Equals(id, actorId, StringComparison.Ordinal))
            {
                stopped.TrySetResult();
            }
        }
        var streamId = Interlocked.Increment(ref _nextStream);
        using var serverAbort = new CancellationTokenSource();
        _serverAborts[streamId] = serverAbort;
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, serverAbort.Token);
        connection.Actors.ActorStopped += OnStopped;
        var started = DateTime.UtcNow;
        try
        {
            var response = context.Response;
            response.StatusCode = 200;
            response.ContentType = "text/event-stream";
            response.Headers.CacheControl = "no-cache";
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            await response.StartAsync(ended.Token).ConfigureAwait(false);

            await connection.Envoy.InjectCommandsAsync(commands).ConfigureAwait(false);
            LogStartInjected(_logger, actorId, generation, connection.Options.PoolName);

            await WriteEventAsync(response, s_ping, ended.Token).ConfigureAwait(false);
            while (true)
            {
                var tick = Task.Delay(_options.PingInterval, ended.Token);
                if (await Task.WhenAny(stopped.Task, tick).ConfigureAwait(false) == stopped.Task)
                {
                    await WriteEventAsync(response, s_stopping, ended.Token).ConfigureAwait(false);
                    LogStreamFinished(_logger, actorId, generation, (DateTime.UtcNow - started).TotalSeconds);
                    return;
                }
                await tick.ConfigureAwait(false);
                await WriteEventAsync(response, s_ping, ended.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException || ended.IsCancellationRequested)
        {
            // The request ended before the actor stopped (function timeout, the engine or a proxy dropped it, or the
            // test hook): the actor's state is in the engine after each action, so stop it here and report it; the
            // engine starts it again through a new /start.
            LogStreamEnded(_logger, actorId, generation, serverAbort.IsCancellationRequested ? "ended by the server" : "closed by the caller");
            if (serverAbort.IsCancellationRequested)
            {
                context.Abort();
            }
            var stop = connection.Actors.StopLocallyAsync(actorId, generation, "serverless request ended");
            if (Volatile.Read(ref _shuttingDown) != 0)
            {
                // Shutting down: the stop waits for the running action, the server's shutdown must not.
                _ = stop.ContinueWith(t => t.Exception, TaskScheduler.Default);
                return;
            }
            await stop.ConfigureAwait(false);
        }
        finally
        {
            connection.Actors.ActorStopped -= OnStopped;
            _serverAborts.TryRemove(streamId, out _);
        }
    }

    private static async Task WriteEventAsync(HttpResponse response, byte[] frame, CancellationToken cancellationToken)
    {
        await response.Body.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Decodes <c>08 00</c> + ToEnvoy(ToEnvoyCommands[exactly one CommandStartActor]).</summary>
    internal static bool TryDecodeStart(ReadOnlySpan<byte> body, out ActorCheckpoint checkpoint, out ToEnvoyCommands commands, out string problem)
    {
        checkpoint = null!;
        commands = null!;
        if (body.Length < 2)
        {
            problem = "The /start body is shorter than its 2-byte protocol version.";
            return false;
        }
        var version = BinaryPrimitives.ReadUInt16LittleEndian(body);
        if (version != EnvoyProtocolVersion)
        {
            problem = $"The /start body has envoy protocol version {version}; this backend speaks {EnvoyProtocolVersion}.";
            return false;
        }
        IToEnvoy message;
        try
        {
            message = BareReader.Decode(body[2..], ToEnvoy.Read);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or IndexOutOfRangeException or OverflowException or InvalidOperationException)
        {
            problem = $"The /start body is not a valid envoy message: {ex.Message}";
            return false;
        }
        if (message is not ToEnvoyCommands { Items: [{ Inner: CommandStartActor } only] } parsed)
        {
            problem = message is ToEnvoyCommands list
                ? $"The /start body must carry exactly one start command, it carries {list.Items.Count} command(s) ({string.Join(", ", list.Items.Select(i => i.Inner.GetType().Name))})."
                : $"The /start body must carry commands, it carries {message.GetType().Name}.";
            return false;
        }
        checkpoint = only.Checkpoint;
        commands = parsed;
        problem = "";
        return true;
    }

    private async Task<byte[]?> ReadBodyAsync(HttpContext context)
    {
        var max = _options.MaxStartPayloadBytes;
        if (context.Request.ContentLength > max)
        {
            return null;
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > max)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private async Task<EnvoyConnection> GetConnectionAsync(Uri endpoint, string pool, CancellationToken cancellationToken)
    {
        var key = $"{endpoint.AbsoluteUri.TrimEnd('/')}|{pool}";
        while (true)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            Lazy<Task<EnvoyConnection>> lazy;
            var isNew = false;
            lock (_connectionsGate)
            {
                if (!_connections.TryGetValue(key, out lazy!))
                {
                    if (_connections.Count >= _options.MaxEnvoyConnections)
                    {
                        throw new TooManyConnectionsException($"This process already keeps {_connections.Count} envoy connection(s), RivetServerlessOptions.MaxEnvoyConnections; none is left for pool '{pool}' at {endpoint}.");
                    }
                    lazy = new Lazy<Task<EnvoyConnection>>(() => ConnectAsync(endpoint, pool));
                    _connections[key] = lazy;
                    isNew = true;
                }
            }
            if (isNew)
            {
                // A failed connection frees its place even if no request is left waiting for it, and its fault is read
                // here (the request that started it may have given up), so it is not an unobserved task exception.
                var created = lazy;
                _ = created.Value.ContinueWith(t =>
                {
                    _ = t.Exception;
                    _connections.TryRemove(new(key, created));
                }, CancellationToken.None,
                    TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
            var connection = await lazy.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (connection.Envoy.Completion.IsCompleted)
            {
                // Evicted or stopped for good: replace it (disposed by whichever request took it out, once).
                if (_connections.TryRemove(new(key, lazy)))
                {
                    await connection.DisposeAsync().ConfigureAwait(false);
                }
                continue;
            }
            return connection;
        }
    }

    private async Task<EnvoyConnection> ConnectAsync(Uri endpoint, string pool)
    {
        var ns = _options.Namespace;
        var token = _options.EngineToken;
        var options = new RunnerOptions
        {
            Endpoint = endpoint,
            Namespace = ns,
            PoolName = pool,
            Token = token,
            Version = _options.RunnerVersion,
            EnsureRunnerConfig = false,
            KvTimeout = _options.KvTimeout,
            ReconnectDelay = TimeSpan.FromMilliseconds(500),
            MaxReconnectDelay = TimeSpan.FromSeconds(5),
        };
        var client = RivetClient.Create(new RivetClientOptions { Endpoint = endpoint, Token = token, Namespace = ns, PoolName = pool });
        // The same liveness check for tunnelled client sockets as a runner's (RunnerOptions.ConnectionIdleTimeout, 5 min).
        var actors = new RunnerActorHost(_registry, _loggerFactory, client, options.ConnectionIdleTimeout);
        var envoy = new EnvoyClient(options, _registry.Definitions.Select(d => d.Name).ToArray(), actors, _logger);
        actors.Attach(envoy);
        var connection = new EnvoyConnection(options, envoy, actors, client);
        try
        {
            using var timeout = new CancellationTokenSource(_options.ConnectTimeout);
            try
            {
                await envoy.StartAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                throw new TimeoutException($"The engine did not accept the envoy connection within {_options.ConnectTimeout.TotalSeconds:0.#} s (RivetServerlessOptions.ConnectTimeout).");
            }
        }
        catch
        {
            // Closing a connection that never opened can wait for its pending attempt: not on the caller's time.
            _ = DisposeQuietlyAsync(connection);
            throw;
        }
        LogConnected(_logger, endpoint, ns, pool, options.RunnerKey);
        return connection;
    }

    private async Task DisposeQuietlyAsync(EnvoyConnection connection)
    {
        try
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogDisposeFailed(_logger, ex);
        }
    }

    /// <summary>
    /// Application shutdown, bounded by <see cref="RivetServerlessOptions.ShutdownTimeout"/>: tells the engine each
    /// envoy is stopping, so it stops the actors here (each one's running action sees its token fire, then it saves
    /// its state; its <c>/start</c> stream ends with <c>stopping</c>) and starts them elsewhere. What is still busy at
    /// the deadline (an action that ignores its token) gets its <c>/start</c> stream ended, so the server's own
    /// shutdown does not wait for it. Started once; later calls return the same task.
    /// </summary>
    public Task DrainAsync()
    {
        lock (_connectionsGate)
        {
            return _drain ??= Task.Run(DrainCoreAsync);
        }
    }

    private async Task DrainCoreAsync()
    {
        Volatile.Write(ref _shuttingDown, 1);
        var deadline = DateTime.UtcNow + _options.ShutdownTimeout;
        EnvoyConnection[] connections;
        try
        {
            connections = await OpenConnectionsAsync().WaitAsync(_options.ShutdownTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            connections = [];
        }
        await Task.WhenAll(connections.Select(async c =>
        {
            try
            {
                await c.Envoy.SendStoppingAsync().AsTask().WaitAsync(Remaining(deadline)).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogDrainSendFailed(_logger, ex);
            }
            // Idle counts actors starting and stopping too: a stop waits for the running action.
            while (!c.Actors.IsIdle && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50).ConfigureAwait(false);
            }
        })).ConfigureAwait(false);
        var busy = connections.Sum(c => c.Actors.BusyCount);
        // A stopped actor's /start stream ends a moment after the stop: give those streams that moment before calling
        // them stuck (aborting one that was ending anyway tells the engine the stream failed, with a false warning).
        var streamsEnd = DateTime.UtcNow + StreamEndGrace;
        while (busy == 0 && ActiveStarts > 0 && DateTime.UtcNow < streamsEnd)
        {
            await Task.Delay(20).ConfigureAwait(false);
        }
        if (busy > 0 || ActiveStarts > 0)
        {
            LogDrainTimedOut(_logger, _options.ShutdownTimeout.TotalSeconds, busy, AbortActiveStarts());
        }
    }

    /// <summary>How long a drain waits for the /start streams of actors that all stopped to end by themselves.</summary>
    private static readonly TimeSpan StreamEndGrace = TimeSpan.FromSeconds(1);

    private static TimeSpan Remaining(DateTime deadline)
    {
        var left = deadline - DateTime.UtcNow;
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    private async Task<EnvoyConnection[]> OpenConnectionsAsync()
    {
        var open = new System.Collections.Generic.List<EnvoyConnection>();
        foreach (var lazy in _connections.Values)
        {
            if (lazy.IsValueCreated)
            {
                try
                {
                    open.Add(await lazy.Value.ConfigureAwait(false));
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    // never connected: nothing to drain
                }
            }
        }
        return open.ToArray();
    }

    /// <summary>
    /// Closes the envoy connections: what still runs is stopped here (each action's token fires); an actor whose
    /// action ignores its token is abandoned after <see cref="LocalStopBound"/>.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        Volatile.Write(ref _shuttingDown, 1);
        AbortActiveStarts();
        EnvoyConnection[] connections;
        try
        {
            connections = await OpenConnectionsAsync().WaitAsync(LocalStopBound).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            connections = [];
        }
        await Task.WhenAll(connections.Select(c => c.DisposeAsync().AsTask())).ConfigureAwait(false);
        _connections.Clear();
    }

    /// <summary>How long closing the connections waits for actors to stop here (after the drain).</summary>
    internal static readonly TimeSpan LocalStopBound = TimeSpan.FromSeconds(2);

    internal static Task WriteErrorAsync(HttpContext context, ServerlessRefusal refusal) =>
        WriteErrorAsync(context, refusal.Status, refusal.Group, refusal.Code, refusal.Message);

    internal static async Task WriteErrorAsync(HttpContext context, int status, string group, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("group", group);
            w.WriteString("code", code);
            w.WriteString("message", message);
            w.WriteEndObject();
        }
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }

    private static string ReadVersion()
    {
        var assembly = typeof(ServerlessRuntime).Assembly;
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        var version = informational?.Split('+')[0];
        return string.IsNullOrEmpty(version) ? assembly.GetName().Version?.ToString(3) ?? "0.1.0" : version;
    }

    /// <summary>A <c>/start</c> would need an envoy connection beyond <see cref="RivetServerlessOptions.MaxEnvoyConnections"/>.</summary>
    private sealed class TooManyConnectionsException(string message) : Exception(message);

    /// <summary>One envoy WebSocket to the engine for a pool, and the actors it runs.</summary>
    internal sealed class EnvoyConnection(RunnerOptions options, EnvoyClient envoy, RunnerActorHost actors, RivetClient client) : IAsyncDisposable
    {
        public RunnerOptions Options { get; } = options;

        public EnvoyClient Envoy { get; } = envoy;

        public RunnerActorHost Actors { get; } = actors;

        public async ValueTask DisposeAsync()
        {
            await Actors.StopAllLocallyAsync(LocalStopBound).ConfigureAwait(false);
            await Envoy.DisposeAsync().ConfigureAwait(false);
            await client.DisposeAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 511, Level = LogLevel.Warning, Message = "The engine did not stop all actors here within the {Seconds} s ShutdownTimeout ({Busy} still running, starting or stopping); ended {Streams} /start stream(s)")]
    private static partial void LogDrainTimedOut(ILogger logger, double seconds, int busy, int streams);

    [LoggerMessage(EventId = 512, Level = LogLevel.Warning, Message = "Telling the engine this serverless envoy is stopping failed")]
    private static partial void LogDrainSendFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 500, Level = LogLevel.Information, Message = "Serverless envoy connected to {Endpoint} (namespace {Namespace}, pool {Pool}, key {Key})")]
    private static partial void LogConnected(ILogger logger, Uri endpoint, string @namespace, string pool, string key);

    [LoggerMessage(EventId = 501, Level = LogLevel.Error, Message = "Could not connect a serverless envoy to {Endpoint} for pool {Pool}")]
    private static partial void LogConnectFailed(ILogger logger, Exception exception, Uri endpoint, string pool);

    [LoggerMessage(EventId = 502, Level = LogLevel.Warning, Message = "Refused a /start request: {Problem}")]
    private static partial void LogInvalidStart(ILogger logger, string problem);

    [LoggerMessage(EventId = 506, Level = LogLevel.Warning, Message = "Refused a /start request with {Status} {Code}: {Problem}")]
    private static partial void LogRefused(ILogger logger, int status, string code, string problem);

    [LoggerMessage(EventId = 507, Level = LogLevel.Debug, Message = "Closing an envoy connection that never opened failed")]
    private static partial void LogDisposeFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 503, Level = LogLevel.Debug, Message = "Start of actor {ActorId} generation {Generation} handed to the envoy of pool {Pool}")]
    private static partial void LogStartInjected(ILogger logger, string actorId, uint generation, string pool);

    [LoggerMessage(EventId = 504, Level = LogLevel.Debug, Message = "Actor {ActorId} generation {Generation} stopped; /start stream finished after {Seconds:0.0} s")]
    private static partial void LogStreamFinished(ILogger logger, string actorId, uint generation, double seconds);

    [LoggerMessage(EventId = 505, Level = LogLevel.Warning, Message = "The /start stream of actor {ActorId} generation {Generation} was {How} before the actor stopped; stopping it here")]
    private static partial void LogStreamEnded(ILogger logger, string actorId, uint generation, string how);
}
