using System;
using System.Net;
using System.Net.Http;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Rivet.Runtime.Raw;

namespace Rivet.Runtime;

// Raw HTTP (OnRequestAsync) in the actor's turn, like an action; raw WebSockets (OnWebSocketAsync) outside it, with
// RunInTurnAsync for their state changes. The same on every host: hosts only translate their wire to these calls.
internal sealed partial class ActorInstance
{
    private const string OnRequestName = "onRequest";
    private int _rawSockets;

    /// <summary>Raw WebSockets open on this actor; they keep it awake (<see cref="OnIdleTimer"/>).</summary>
    public int RawSocketCount => Volatile.Read(ref _rawSockets);

    /// <summary>
    /// Runs <see cref="Actor.OnRequestAsync"/> in the actor's turn and returns its response with the body buffered
    /// (read in the turn, at most <see cref="Actor.MaxRawResponseBody"/> bytes), once the state it changed is durable.
    /// </summary>
    /// <exception cref="RivetException">The handler threw (state rolled back; unexpected exceptions become
    /// <c>actor.internal_error</c>), ran past its timeout, the body was too large, or the actor stopped.</exception>
    public async Task<HttpResponseMessage> HandleRequestAsync(HttpRequestMessage request, Connection? caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await EnterTurnAsync(cancellationToken).ConfigureAwait(false);
        _caller = caller;
        CallChain.Enter(default, ActorId);
        Idempotency.Current = null;
        Task durable;
        HttpResponseMessage? response = null;
        try
        {
            ThrowIfStopped();
            using var handlerToken = HandlerToken(cancellationToken);
            try
            {
                response = await Actor.RunOnRequestAsync(request, handlerToken.Token).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"{Actor.GetType().Name}.OnRequestAsync returned null; return an HttpResponseMessage.");
                response.RequestMessage ??= request;
                // Read in the turn: lazily serialized content (JsonContent of the state) must see this turn's state.
                await BufferAsync(response, handlerToken.Token).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                response?.Dispose();
                response = null;
                RestoreSavedState();
                throw Translate(ex, OnRequestName, cancellationToken, handlerToken.IsCancellationRequested);
            }
            durable = StageIfChanged(OnRequestName, cancellationToken);
        }
        finally
        {
            ExitTurn();
        }
        if (!durable.IsCompletedSuccessfully)
        {
            try
            {
                await AwaitDurableAsync(durable, OnRequestName).ConfigureAwait(false);
            }
            catch
            {
                response.Dispose();
                throw;
            }
        }
        return response;
    }

    private async Task BufferAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content is null)
        {
            return;
        }
        try
        {
            await response.Content.LoadIntoBufferAsync(Actor.MaxRawResponseBody, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new InvalidOperationException(
                $"The response body of {Actor.GetType().Name}.OnRequestAsync is larger than {Actor.MaxRawResponseBody} bytes, the most the engine carries.", ex);
        }
    }

    /// <summary>The handler's token: the caller went away, the handler ran past the action timeout, or the actor is stopping.</summary>
    private CancellationTokenSource HandlerToken(CancellationToken cancellationToken)
    {
        var token = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        var timeout = Actor.EffectiveActionTimeout;
        if (timeout != Timeout.InfiniteTimeSpan)
        {
            token.CancelAfter(timeout);
        }
        return token;
    }

    /// <summary>
    /// Runs <see cref="Actor.OnWebSocketAsync"/> on <paramref name="socket"/> until it returns, then closes the socket
    /// if the handler did not: 1000 when it returned, 1011 with the error's id when it threw, 1001
    /// <see cref="StoppingCloseReason"/> when the actor stopped (1000 <see cref="DestroyedCloseReason"/> when it was
    /// destroyed, as its connections are told). The socket keeps the actor awake meanwhile.
    /// A hibernatable socket (<paramref name="hibernate"/> set; <see cref="Actor.CanHibernateWebSocket"/>) does
    /// not keep the actor awake, and when the actor stops it is left open: <paramref name="hibernate"/> runs, then
    /// the handler's token fires.
    /// </summary>
    /// <returns><see langword="true"/> when the socket was left open for a hibernation (the actor stopped and the handler did not close it).</returns>
    public async Task<bool> ServeWebSocketAsync(WebSocket socket, HttpRequestMessage request, ReadOnlyMemory<byte> paramsJson = default, Action? hibernate = null)
    {
        var hibernatable = hibernate is not null;
        if (!hibernatable)
        {
            Interlocked.Increment(ref _rawSockets);
        }
        MarkActivity();
        var (code, reason) = (WebSocketCloseStatus.NormalClosure, "");
        // On stop the client is told first (1001), then the handler's token fires: cancelling a pending receive
        // aborts a WebSocket, which would cut the socket without its close frame. A hibernatable socket is told nothing.
        using var handlerToken = new CancellationTokenSource();
        using var onStop = _stopping.Token.Register(() => _ = hibernatable ? HibernateForStopAsync(hibernate!, handlerToken) : CloseForStopAsync(socket, handlerToken));
        Connection? connection = null;
        TaskCompletionSource? handlerEnded = null;
        try
        {
            ThrowIfStopped();
            CallChain.Clear();
            connection = await ConnectRawSocketAsync(socket, request, paramsJson, hibernatable).ConfigureAwait(false);
            if (hibernatable)
            {
                Interlocked.Increment(ref _hibernatableRawConnections);
            }
            // Set here, not in the awaited method: an async method's AsyncLocal changes end with it.
            s_rawSocketCaller.Value = connection;
            if (hibernatable)
            {
                var handled = socket as HandledMessageWebSocket;
                handlerEnded = RawHandlerStarted(handled);
                s_handlerSocket.Value = handled is null ? null : new HandlerSocket(this, handled);
            }
            await Actor.RunOnWebSocketAsync(socket, request, handlerToken.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (_stopping.IsCancellationRequested && (ex is OperationCanceledException or WebSocketException || (hibernatable && ex is RivetException { Code: StoppedCode })))
        {
            (code, reason) = StopClose;
        }
        catch (Exception ex)
        {
            var error = ex as RivetException;
            if (connection is not null && (error is null || error.Code != Actor.WebSocketNotSupportedCode))
            {
                LogSocketHandlerFailed(_logger, ex, Definition.Name, Key, ActorId, request.RequestUri?.AbsolutePath ?? "");
            }
            (code, reason) = (WebSocketCloseStatus.InternalServerError, error?.Id ?? $"{RivetErrors.ActorGroup}.{RivetErrors.InternalError}");
        }
        finally
        {
            if (!hibernatable)
            {
                Interlocked.Decrement(ref _rawSockets);
            }
            else if (connection is not null)
            {
                Interlocked.Decrement(ref _hibernatableRawConnections);
            }
            if (handlerEnded is not null)
            {
                RawHandlerEnded(handlerEnded, socket);
            }
            MarkActivity();
        }
        if (hibernatable && _stopping.IsCancellationRequested && socket.State is not (WebSocketState.CloseSent or WebSocketState.Closed))
        {
            return true;
        }
        await CloseQuietlyAsync(socket, code, reason).ConfigureAwait(false);
        if (connection is not null)
        {
            await DisconnectRawAsync(connection, "raw WebSocket closed").ConfigureAwait(false);
        }
        return false;
    }

    private static async Task HibernateForStopAsync(Action hibernate, CancellationTokenSource handlerToken)
    {
        hibernate();
        try
        {
            await handlerToken.CancelAsync().ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // The handler ended meanwhile.
        }
    }

    /// <summary>Set by a destroy before the stop token fires.</summary>
    private bool _destroying;

    /// <summary>How a socket that does not outlive the stop is closed: the actor is going away for good, or only stopping.</summary>
    private (WebSocketCloseStatus Code, string Reason) StopClose => Volatile.Read(ref _destroying)
        ? (WebSocketCloseStatus.NormalClosure, DestroyedCloseReason)
        : (WebSocketCloseStatus.EndpointUnavailable, StoppingCloseReason);

    private async Task CloseForStopAsync(WebSocket socket, CancellationTokenSource handlerToken)
    {
        var (code, reason) = StopClose;
        await CloseQuietlyAsync(socket, code, reason).ConfigureAwait(false);
        try
        {
            await handlerToken.CancelAsync().ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // The handler ended meanwhile.
        }
    }

    private static async Task CloseQuietlyAsync(WebSocket socket, WebSocketCloseStatus code, string reason)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }
        // CloseOutput does not wait for the client's answer: a client that never answers cannot hold this.
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await socket.CloseOutputAsync(code, reason, bound.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // The socket is gone already, or the handler is sending right now (then its token ends it).
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> in the actor's turn and waits until the state it changed is durable (the work of
    /// <see cref="Actor.RunInTurnAsync"/>).
    /// </summary>
    public async Task RunInTurnAsync(Func<CancellationToken, ValueTask> work, CancellationToken cancellationToken)
    {
        if (CallChain.Current.Contains(ActorId))
        {
            throw new InvalidOperationException(
                $"Actor '{Definition.Name}' {Key}: RunInTurnAsync was called from code that already holds the actor's turn (an action or OnRequestAsync); run the work directly.");
        }
        const string What = "runInTurn";
        // A hibernatable socket's handler: once this turn is durable, what it had read counts as handled at a sleep.
        var handledSocket = CallerHandledSocket;
        var readBefore = handledSocket?.ReadCount ?? 0;
        await EnterTurnAsync(cancellationToken).ConfigureAwait(false);
        CallChain.Enter(default, ActorId);
        Task durable;
        try
        {
            ThrowIfStopped();
            using var handlerToken = HandlerToken(cancellationToken);
            try
            {
                await work(handlerToken.Token).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                RestoreSavedState();
                // The actor's own code called: its exception comes back as it is, except the timeout's cancellation.
                if (ex is OperationCanceledException && handlerToken.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    throw Translate(ex, What, cancellationToken, actionTokenFired: true);
                }
                throw;
            }
            durable = StageIfChanged(What, cancellationToken);
        }
        finally
        {
            ExitTurn();
        }
        if (!durable.IsCompletedSuccessfully)
        {
            await AwaitDurableAsync(durable, What).ConfigureAwait(false);
        }
        handledSocket?.TurnDurable(readBefore);
    }

    [LoggerMessage(EventId = 1200, Level = LogLevel.Error, Message = "The raw WebSocket handler of actor {Name} {Key} ({ActorId}) for {Path} threw; the socket is closed with 1011")]
    private static partial void LogSocketHandlerFailed(ILogger logger, Exception exception, string name, ActorKey key, string actorId, string path);
}
