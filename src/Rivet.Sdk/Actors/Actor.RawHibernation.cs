using System;
using System.Net.Http;
using System.Net.WebSockets;

namespace Rivet;

// Hibernatable raw WebSockets (RivetKit's options.canHibernateWebSocket): a raw socket that stays open at the engine's
// gateway while the actor sleeps; the next client message wakes the actor, and OnWebSocketAsync gets the socket again.
public abstract partial class Actor
{
    private static readonly HttpRequestOptionsKey<bool> s_restoredWebSocket = new("rivet.websocket.restored");

    /// <summary>
    /// Whether the raw WebSocket opened with <paramref name="request"/> may hibernate (RivetKit's
    /// <c>canHibernateWebSocket</c>, as a function of the request). A hibernatable socket does not keep the actor
    /// awake: when the actor sleeps, <see cref="OnWebSocketAsync"/>'s token fires and the handler should return, but
    /// the client's socket stays open at the engine's gateway. The client's next message wakes the actor, and
    /// <see cref="OnWebSocketAsync"/> runs again, after <see cref="OnWakeAsync"/>, with a new <see cref="WebSocket"/>
    /// for the same client socket and the same request (<see cref="IsRestoredWebSocket"/> is true for it). Client
    /// messages the handler finished with (it asked for the next one) are acknowledged and never delivered again; the
    /// others are delivered again after the wake. Runs outside the actor's turn: decide from the request only.
    /// Applies on the engine hosts (runner and serverless); the embedded host has no gateway to hold the socket (see
    /// docs/raw-http-websockets.md). The default is <see langword="false"/>: the socket keeps the actor awake and is
    /// closed (1001 <c>actor.stopping</c>) when it stops.
    /// </summary>
    /// <param name="request">The opening request: URI <c>http://actor/{path}?{query}</c> and its headers.</param>
    /// <returns><see langword="true"/> to let the socket hibernate.</returns>
    protected virtual bool CanHibernateWebSocket(HttpRequestMessage request) => false;

    /// <summary>
    /// Whether <paramref name="request"/>, given to <see cref="OnWebSocketAsync"/>, is that of a hibernatable socket
    /// restored after the actor woke (the client's socket stayed open while it slept; a greeting sent on open should
    /// not be sent again), rather than a socket the client just opened.
    /// </summary>
    /// <param name="request">The request <see cref="OnWebSocketAsync"/> received.</param>
    /// <returns><see langword="true"/> for a restored socket.</returns>
    protected static bool IsRestoredWebSocket(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Options.TryGetValue(s_restoredWebSocket, out var restored) && restored;
    }

    internal static void MarkRestoredWebSocket(HttpRequestMessage request) => request.Options.Set(s_restoredWebSocket, true);

    internal bool RunCanHibernateWebSocket(HttpRequestMessage request) => CanHibernateWebSocket(request);
}
