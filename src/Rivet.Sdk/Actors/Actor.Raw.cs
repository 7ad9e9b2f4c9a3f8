using System;
using System.Net;
using System.Net.Http;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;

namespace Rivet;

// Raw HTTP and raw WebSockets (RivetKit's onRequest / onWebSocket): the actor answers requests and sockets sent to
// /gateway/{actor}/request/… and /gateway/{actor}/websocket/… itself, with the standard .NET types.
public abstract partial class Actor
{
    /// <summary>
    /// Answers a raw HTTP request sent to the actor (RivetKit's <c>onRequest</c>): a client's <c>fetch</c>, or any
    /// HTTP client calling <c>{gateway URL}/request/{path}</c>. The request's URI is
    /// <c>http://actor/{path}?{query}</c> (the gateway prefix and <c>/request</c> stripped, the query kept); its
    /// body is already buffered. It runs in the actor's turn, like an action: no other action or request runs
    /// meanwhile, the state it changed is saved before the response leaves, and when it throws the state goes back to
    /// what it was and the client gets a 500 with RivetKit's error shape (<see cref="UserError"/> keeps its code).
    /// The response body is read in the turn too (so a <c>JsonContent</c> of the state sees a consistent state), up
    /// to <see cref="MaxRawResponseBody"/> bytes. The default answers 404.
    /// </summary>
    /// <param name="request">The request; disposed by the runtime once answered.</param>
    /// <param name="cancellationToken">Fires when the client went away, the handler ran past <see cref="ActionTimeout"/>, or the actor is stopping.</param>
    /// <returns>The response; disposed by the runtime once sent.</returns>
    protected virtual ValueTask<HttpResponseMessage> OnRequestAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound));

    /// <summary>
    /// Serves a raw WebSocket opened to the actor (RivetKit's <c>onWebSocket</c>): a client's <c>WebSocket</c> to
    /// <c>{gateway URL}/websocket/{path}</c>. <paramref name="socket"/> is a standard, open
    /// <see cref="WebSocket"/> (text and binary messages, close handshake), so libraries written for
    /// <see cref="WebSocket"/> work on it. The socket lives as long as this method runs: when it returns, the socket
    /// is closed (1000) if the handler did not close it; when it throws, it is closed with 1011.
    /// The handler runs <em>outside</em> the actor's turn (a socket lives longer than one turn): read and change
    /// <c>State</c> inside <see cref="RunInTurnAsync(Func{CancellationToken, ValueTask}, CancellationToken)"/>, which
    /// also saves the state as after an action. An open raw socket keeps the actor awake, unless
    /// <see cref="CanHibernateWebSocket"/> lets it hibernate (then it stays open while the actor sleeps, and this method
    /// runs again on wake, <see cref="IsRestoredWebSocket"/> true). The default refuses the
    /// socket (closed with 1011 <c>actor.websocket_not_supported</c>).
    /// </summary>
    /// <param name="socket">The client's socket.</param>
    /// <param name="request">The opening request: URI <c>http://actor/{path}?{query}</c> (<c>/websocket</c> stripped) and its headers.</param>
    /// <param name="cancellationToken">Fires when the actor is stopping (sleep, destroy, host shutdown).</param>
    protected virtual Task OnWebSocketAsync(WebSocket socket, HttpRequestMessage request, CancellationToken cancellationToken) =>
        throw new RivetException(RivetErrors.ActorGroup, WebSocketNotSupportedCode,
            $"Actor '{GetType().Name}' serves no raw WebSockets (override OnWebSocketAsync).");

    /// <summary>
    /// Runs <paramref name="work"/> in the actor's turn (after the running action or request, before the next) and
    /// saves the state it changed as after an action; when it throws, the state goes back to what it was and the
    /// exception reaches the caller. For code outside a turn, such as a raw WebSocket handler. Do not call it from an
    /// action, hook or <see cref="OnRequestAsync"/>: they already hold the turn, so it would wait for itself (it
    /// fails at once with <see cref="InvalidOperationException"/> instead).
    /// </summary>
    /// <exception cref="RivetException">The actor stopped (<c>actor.stopped</c>), or the save failed.</exception>
    protected Task RunInTurnAsync(Func<CancellationToken, ValueTask> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        return (Instance ?? throw new InvalidOperationException($"Actor '{GetType().FullName}' is not running."))
            .RunInTurnAsync(work, cancellationToken);
    }

    /// <summary>
    /// Largest raw request body an actor takes (20 MiB, what engine 2.3.19's gateway and RivetKit accept); a larger
    /// one is refused before the handler runs, with 413 <c>message.incoming_too_long</c> naming both sizes. Action
    /// bodies keep their own, smaller limit (4 MiB).
    /// </summary>
    public const int MaxRawRequestBody = 20 * 1024 * 1024;

    /// <summary>Largest raw response body an actor may send (20 MiB, the engine's limit); a larger one answers 500.</summary>
    public const int MaxRawResponseBody = 20 * 1024 * 1024;

    /// <summary>The code (group <c>actor</c>) of the close reason of a raw WebSocket the actor does not serve.</summary>
    public const string WebSocketNotSupportedCode = "websocket_not_supported";

    internal ValueTask<HttpResponseMessage> RunOnRequestAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        OnRequestAsync(request, cancellationToken);

    internal Task RunOnWebSocketAsync(WebSocket socket, HttpRequestMessage request, CancellationToken cancellationToken) =>
        OnWebSocketAsync(socket, request, cancellationToken);
}
