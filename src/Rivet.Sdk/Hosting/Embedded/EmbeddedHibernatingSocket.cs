using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Rivet.Hosting.ActorHttp;
using Rivet.Runtime;
using Rivet.Runtime.Raw;

namespace Rivet.Hosting.Embedded;

/// <summary>
/// A hibernatable raw WebSocket in-process (<see cref="Actor.CanHibernateWebSocket"/>): this class plays the engine's
/// gateway. The client holds one end of a pair that stays open across the actor's sleeps; each actor generation gets a
/// pair of its own, whose server end goes to its handler. Client messages the handler is not done with
/// (<see cref="HandledMessageWebSocket"/>) are kept and delivered again to the next generation; a client message while
/// the actor sleeps wakes it. The socket lives only as long as the host: nothing of it is stored.
/// </summary>
internal sealed partial class EmbeddedHibernatingSocket
{
    /// <summary>How long a wake for a client message may take before the socket is closed (1011 <see cref="WakeFailedReason"/>).</summary>
    private static readonly TimeSpan s_wakeTimeout = TimeSpan.FromSeconds(30);

    private const string WakeFailedReason = Runner.RunnerRawSockets.RestoreErrorReason;

    /// <summary>Close reason (code 1009) for a client message over <see cref="WebSocketPair.MaxMessageSize"/> (RivetKit's error id).</summary>
    private const string IncomingTooLargeReason = "message.incoming_too_long";

    private readonly Func<CancellationToken, ValueTask<ActorInstance>> _wake;
    private readonly Func<bool> _hostStopped;
    private readonly string _pathAndQuery;
    private readonly ILogger _logger;
    private readonly WebSocket _gateway;
    private readonly Lock _lock = new();
    private readonly List<(byte[] Data, bool Binary)> _unhandled = [];
    private readonly SemaphoreSlim _toClient = new(1, 1);
    private readonly Channel<Item> _work = Channel.CreateUnbounded<Item>(new UnboundedChannelOptions { SingleReader = true });
    private Generation? _current; // read and written by the work loop only (Handled compares under _lock)
    private readonly byte[] _paramsJson;

    private EmbeddedHibernatingSocket(Func<CancellationToken, ValueTask<ActorInstance>> wake, Func<bool> hostStopped, string pathAndQuery, byte[] paramsJson, ILogger logger, WebSocket gateway)
    {
        _wake = wake;
        _paramsJson = paramsJson;
        _hostStopped = hostStopped;
        _pathAndQuery = pathAndQuery;
        _logger = logger;
        _gateway = gateway;
    }

    /// <summary>The client's end.</summary>
    public WebSocket Client { get; private set; } = null!;

    /// <summary>Completes when the socket is over (closed by either side, or the client's socket is gone).</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <summary>Serves a new hibernatable socket on <paramref name="actor"/>.</summary>
    /// <param name="actor">The running actor.</param>
    /// <param name="request">The opening request (disposed with the first generation).</param>
    /// <param name="pathAndQuery">The path the handler sees, for the request of each later generation.</param>
    /// <param name="paramsJson">The caller's connection parameters (each generation gets a connection made from them).</param>
    /// <param name="wake">Gets the running actor (waking it) for a client message after a sleep.</param>
    /// <param name="hostStopped">Whether the host is shutting down (then a sleeping socket is closed, 1001).</param>
    /// <param name="logger">Where a failed wake is logged.</param>
    public static EmbeddedHibernatingSocket Open(ActorInstance actor, HttpRequestMessage request, string pathAndQuery, byte[] paramsJson,
        Func<CancellationToken, ValueTask<ActorInstance>> wake, Func<bool> hostStopped, ILogger logger)
    {
        var (gateway, client) = WebSocketPair.Create();
        var socket = new EmbeddedHibernatingSocket(wake, hostStopped, pathAndQuery, paramsJson, logger, gateway) { Client = client };
        socket._current = socket.StartGeneration(actor, request);
        socket.Completion = socket.RunAsync();
        return socket;
    }

    /// <summary>
    /// The actor was destroyed: the socket is closed (1000 <see cref="ActorInstance.DestroyedCloseReason"/>), as the
    /// engine's gateway closes hibernatable sockets on destroy, instead of waiting, open, for a client message.
    /// </summary>
    public void ActorDestroyed() => _work.Writer.TryWrite(new Item(null, null, false, Destroyed: true));

    /// <summary>
    /// Reads the client's messages into the work queue, and works it: one item at a time (a client message, the
    /// client's close, a generation's end), so wakes and deliveries never race.
    /// </summary>
    private async Task RunAsync()
    {
        var work = Task.Run(WorkAsync);
        try
        {
            while (await WebSocketPair.ReceiveMessageAsync(_gateway, CancellationToken.None).ConfigureAwait(false) is { } message)
            {
                _work.Writer.TryWrite(new Item(message, null, false));
            }
            _work.Writer.TryWrite(new Item(null, null, false)); // the client closed
        }
        catch (WebSocketException ex) when (ex.InnerException is RawMessageTooLargeException tooLarge)
        {
            // This host plays the gateway and holds at most 4 MiB per client message (the engine's passes larger
            // ones): rather than cut the connection, it closes with 1009 (named), and the handler sees that close.
            LogIncomingTooLarge(_logger, _pathAndQuery, tooLarge.Size, WebSocketPair.MaxMessageSize);
            await WebSocketPair.CloseAndAbortAsync(_gateway, WebSocketCloseStatus.MessageTooBig, IncomingTooLargeReason).ConfigureAwait(false);
            _work.Writer.TryWrite(new Item(null, null, false, HostClose: (WebSocketCloseStatus.MessageTooBig, IncomingTooLargeReason)));
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            _work.Writer.TryComplete(); // the client's socket is gone
        }
        await work.ConfigureAwait(false);
        _gateway.Dispose();
    }

    private async Task WorkAsync()
    {
        try
        {
            await foreach (var item in _work.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                if (item.Destroyed)
                {
                    await CloseClientAsync(WebSocketCloseStatus.NormalClosure, ActorInstance.DestroyedCloseReason).ConfigureAwait(false);
                    return;
                }
                if (item.Ended is { } ended)
                {
                    if (ended == _current && item.Hibernated && !await HibernatedAsync().ConfigureAwait(false))
                    {
                        return;
                    }
                }
                else if (item.Message is { } message)
                {
                    lock (_lock)
                    {
                        _unhandled.Add(message);
                    }
                    if (_current is { Hibernating: false } generation)
                    {
                        await generation.SendAsync(message).ConfigureAwait(false);
                    }
                    else if (!await WakeAsync().ConfigureAwait(false)) // delivers every unhandled message, this one included
                    {
                        return;
                    }
                }
                else
                {
                    await ClientClosedAsync(item.HostClose).ConfigureAwait(false);
                    return;
                }
            }
        }
        finally
        {
            _work.Writer.TryComplete();
            _current?.Abort();
        }
    }

    private Generation StartGeneration(ActorInstance actor, HttpRequestMessage request)
    {
        var generation = new Generation(this, actor);
        _ = generation.ServeAsync(request);
        return generation;
    }

    /// <summary>Wakes the actor and hands the socket to its handler again, with the messages it had not handled; false when the wake failed (the client's socket is closed).</summary>
    private async Task<bool> WakeAsync()
    {
        ActorInstance actor;
        try
        {
            using var bound = new CancellationTokenSource(s_wakeTimeout);
            actor = await _wake(bound.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogWakeFailed(_logger, ex, _pathAndQuery);
            await CloseClientAsync(WebSocketCloseStatus.InternalServerError, WakeFailedReason).ConfigureAwait(false);
            return false;
        }
        var request = RawRequestEndpoint.ToActorRequest("GET", _pathAndQuery, [], ReadOnlyMemory<byte>.Empty);
        Actor.MarkRestoredWebSocket(request);
        var generation = StartGeneration(actor, request);
        Volatile.Write(ref _current, generation);
        (byte[] Data, bool Binary)[] pending;
        lock (_lock)
        {
            pending = _unhandled.ToArray();
        }
        foreach (var message in pending)
        {
            await generation.SendAsync(message).ConfigureAwait(false);
        }
        return true;
    }

    /// <summary>The actor slept: the socket waits for the next client message, unless the host is stopping (false: closed).</summary>
    private async Task<bool> HibernatedAsync()
    {
        if (_hostStopped())
        {
            await CloseClientAsync(WebSocketCloseStatus.EndpointUnavailable, ActorInstance.StoppingCloseReason).ConfigureAwait(false);
            return false;
        }
        bool pending;
        lock (_lock)
        {
            pending = _unhandled.Count > 0;
        }
        // As the gateway does: a message the handler had not finished with wakes the actor again.
        return !pending || await WakeAsync().ConfigureAwait(false);
    }

    /// <summary>The client closed, or <paramref name="hostClose"/> closed it already: the handler sees that close.</summary>
    private async Task ClientClosedAsync((WebSocketCloseStatus Code, string Reason)? hostClose)
    {
        if (_current is { Hibernating: false } generation)
        {
            // The handler sees the close and answers it; its answer reaches the client before the socket goes.
            var (code, reason) = hostClose ?? (_gateway.CloseStatus ?? WebSocketCloseStatus.NormalClosure, _gateway.CloseStatusDescription ?? "");
            await generation.CloseAsync(code, reason).ConfigureAwait(false);
            try
            {
                await generation.Ended.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                generation.Abort();
            }
        }
        await CloseClientAsync(WebSocketCloseStatus.NormalClosure, "").ConfigureAwait(false);
    }

    /// <summary>A generation's handler finished with <paramref name="count"/> more messages (the oldest unhandled ones).</summary>
    private void Handled(Generation generation, int count)
    {
        lock (_lock)
        {
            // A hibernating generation's handler may still finish what it read before the sleep: that is not delivered again.
            if (generation != Volatile.Read(ref _current))
            {
                return;
            }
            _unhandled.RemoveRange(0, Math.Min(count, _unhandled.Count));
        }
    }

    /// <summary>A generation ended: the handler closed the socket (its close went to the client), or the actor slept.</summary>
    private void GenerationEnded(Generation generation, bool hibernated) => _work.Writer.TryWrite(new Item(null, generation, hibernated));

    // HostClose: set when this side closed the client's socket (a message over the limit), for the handler to see.
    private sealed record Item((byte[] Data, bool Binary)? Message, Generation? Ended, bool Hibernated, bool Destroyed = false,
        (WebSocketCloseStatus Code, string Reason)? HostClose = null);

    private async Task SendToClientAsync((byte[] Data, bool Binary) message)
    {
        await _toClient.WaitAsync().ConfigureAwait(false);
        try
        {
            await _gateway.SendAsync(message.Data, message.Binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text, true, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _toClient.Release();
        }
    }

    private async Task CloseClientAsync(WebSocketCloseStatus code, string? reason)
    {
        await _toClient.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_gateway.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _gateway.CloseOutputAsync(code, reason, bound.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client is gone.
        }
        finally
        {
            _toClient.Release();
        }
    }

    /// <summary>One actor generation's pair: its server end is the handler's socket; its client end is pumped to the client.</summary>
    private sealed class Generation(EmbeddedHibernatingSocket owner, ActorInstance actor)
    {
        private readonly (WebSocket Server, WebSocket Client) _pair = WebSocketPair.Create();
        private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _hibernating;

        /// <summary>Completes when the handler returned and what it sent went out.</summary>
        public Task Ended => _ended.Task;

        public bool Hibernating => Volatile.Read(ref _hibernating) != 0;

        public async Task ServeAsync(HttpRequestMessage request)
        {
            var hibernated = false;
            using (request)
            {
                var toClient = Task.Run(PumpToClientAsync);
                try
                {
                    hibernated = await actor.ServeWebSocketAsync(new HandledMessageWebSocket(_pair.Server, count => owner.Handled(this, count)), request,
                        owner._paramsJson, () => Volatile.Write(ref _hibernating, 1)).ConfigureAwait(false);
                    if (hibernated)
                    {
                        _pair.Server.Abort(); // what the handler sent before the sleep still reaches the client
                    }
                    await toClient.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    Abort();
                }
                finally
                {
                    _pair.Server.Dispose();
                    _pair.Client.Dispose();
                }
            }
            _ended.TrySetResult();
            owner.GenerationEnded(this, hibernated);
        }

        public async Task SendAsync((byte[] Data, bool Binary) message)
        {
            // A client message is activity, as on the engine's hosts: the actor does not fall asleep under it.
            actor.MarkActivity();
            try
            {
                await _pair.Client.SendAsync(message.Data, message.Binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text, true, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or InvalidOperationException)
            {
                // The generation ended meanwhile: the message stays unhandled, for the next one.
            }
        }

        public async Task CloseAsync(WebSocketCloseStatus code, string? reason)
        {
            try
            {
                await _pair.Client.CloseOutputAsync(code, reason, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or InvalidOperationException)
            {
                // Ended meanwhile.
            }
        }

        public void Abort()
        {
            _pair.Server.Abort();
            _pair.Client.Abort();
        }

        /// <summary>The handler's messages to the client; its close closes the client's socket (not a sleep's abort).</summary>
        private async Task PumpToClientAsync()
        {
            try
            {
                while (await WebSocketPair.ReceiveMessageAsync(_pair.Client, CancellationToken.None).ConfigureAwait(false) is { } message)
                {
                    await owner.SendToClientAsync(message).ConfigureAwait(false);
                }
                await owner.CloseClientAsync(_pair.Client.CloseStatus ?? WebSocketCloseStatus.NormalClosure, _pair.Client.CloseStatusDescription).ConfigureAwait(false);
            }
            catch (WebSocketException ex) when (ex.InnerException is RawMessageTooLargeException tooLarge && !Hibernating)
            {
                // As the runner does: 1009 naming the limit, and the handler's socket ends with that close.
                LogOutgoingTooLarge(owner._logger, tooLarge.Size, WebSocketPair.MaxMessageSize);
                await WebSocketPair.CloseAndAbortAsync(_pair.Client, WebSocketCloseStatus.MessageTooBig, RawMessageTooLargeException.CloseReason).ConfigureAwait(false);
                await owner.CloseClientAsync(WebSocketCloseStatus.MessageTooBig, RawMessageTooLargeException.CloseReason).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
            {
                if (!Hibernating)
                {
                    await owner.CloseClientAsync(WebSocketCloseStatus.InternalServerError, "actor.internal_error").ConfigureAwait(false);
                }
            }
        }
    }

    [LoggerMessage(EventId = 2651, Level = LogLevel.Warning, Message = "A raw WebSocket handler sent a message of at least {Size} bytes, over the limit of {Limit}; closing the socket (1009 " + RawMessageTooLargeException.CloseReason + ")")]
    private static partial void LogOutgoingTooLarge(ILogger logger, long size, int limit);

    [LoggerMessage(EventId = 2840, Level = LogLevel.Warning, Message = "A client of hibernatable raw WebSocket {Path} sent a message of at least {Size} bytes, over the limit of {Limit}; closing the socket (1009 " + IncomingTooLargeReason + ")")]
    private static partial void LogIncomingTooLarge(ILogger logger, string path, long size, int limit);

    [LoggerMessage(EventId = 2020, Level = LogLevel.Warning, Message = "A client message woke the actor of hibernatable raw WebSocket {Path}, but the wake failed; closing the socket (1011 " + WakeFailedReason + ")")]
    private static partial void LogWakeFailed(ILogger logger, Exception exception, string path);
}
