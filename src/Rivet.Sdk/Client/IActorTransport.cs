using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rivet.Client.Connections;

namespace Rivet.Client;

/// <summary>
/// Carries client calls to actors: in-process for the embedded host, through the engine's gateway otherwise.
/// Arguments, inputs and results are UTF-8 JSON in Rivet's conventions (see <see cref="Runtime.RivetJson"/>).
/// </summary>
public interface IActorTransport : IAsyncDisposable
{
    /// <summary>Calls <paramref name="action"/> with the JSON array <paramref name="arguments"/> and returns the JSON result.</summary>
    /// <exception cref="RivetException">The actor or action failed, or could not be reached.</exception>
    Task<ReadOnlyMemory<byte>> InvokeAsync(ActorQuery query, string action, ReadOnlyMemory<byte> arguments, CancellationToken cancellationToken);

    /// <summary>Returns the id of the actor the query designates (creating it for <see cref="ActorQueryKind.GetOrCreate"/>).</summary>
    Task<string> ResolveAsync(ActorQuery query, CancellationToken cancellationToken);

    /// <summary>Creates a new actor; fails with <c>actor.duplicate_key</c> if one with that name and key exists.</summary>
    /// <returns>The new actor's id.</returns>
    Task<string> CreateAsync(string name, ActorKey key, ReadOnlyMemory<byte> input, CancellationToken cancellationToken);

    /// <summary>
    /// Opens one raw realtime connection (RivetKit's <c>/connect</c>) to the actor the query designates, with the
    /// connection parameters <paramref name="paramsJson"/> (Rivet JSON, empty for none). It completes once the
    /// connection is open; the actor's <c>Init</c> (or its rejection) is the first thing the channel receives.
    /// <see cref="ActorConnection"/> drives it; transports of the SDK implement it, custom transports do not support
    /// connections.
    /// </summary>
    /// <exception cref="NotSupportedException">The transport does not support realtime connections.</exception>
    /// <exception cref="RivetException">The actor could not be reached.</exception>
    internal Task<IActorConnectionChannel> OpenConnectionAsync(ActorQuery query, ReadOnlyMemory<byte> paramsJson, CancellationToken cancellationToken) =>
        throw new NotSupportedException(
            $"The actor transport {GetType().FullName} does not support realtime connections (ActorHandle.ConnectAsync); "
            + "use the Rivet Engine client (RivetClient.Create) or the embedded host.");

    /// <summary>
    /// Sends a message (Rivet JSON) to the queue <paramref name="queue"/> of the actor the query designates
    /// (RivetKit's <c>POST /queue/{name}</c>); with <paramref name="wait"/>, answers once the actor completed it or
    /// the wait (<paramref name="timeout"/>, the actor's action timeout when null) ended.
    /// </summary>
    /// <exception cref="NotSupportedException">The transport does not support queues.</exception>
    /// <exception cref="RivetException">The actor refused the message or could not be reached.</exception>
    internal Task<Protocol.Client.QueueSendResponse> SendToQueueAsync(ActorQuery query, string queue, ReadOnlyMemory<byte> bodyJson, bool wait, TimeSpan? timeout, CancellationToken cancellationToken) =>
        throw new NotSupportedException(
            $"The actor transport {GetType().FullName} does not support queues; use the Rivet Engine client (RivetClient.Create) or the embedded host.");

    /// <summary>
    /// Sends a raw HTTP request to the actor's <c>OnRequestAsync</c> (RivetKit's <c>onRequest</c>): the request's
    /// URI path and query (relative, or under any host) become the actor's <c>/request/{path}?{query}</c>. Answers
    /// whatever the actor (or the gateway) answered, error statuses included, as <c>fetch</c> does.
    /// </summary>
    /// <exception cref="NotSupportedException">The transport does not support raw requests.</exception>
    internal Task<System.Net.Http.HttpResponseMessage> SendRawRequestAsync(ActorQuery query, System.Net.Http.HttpRequestMessage request, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"The actor transport {GetType().FullName} does not support raw HTTP requests (ActorHandle.FetchAsync).");

    /// <summary>Opens a raw WebSocket to the actor's <c>OnWebSocketAsync</c> at <c>/websocket/{path}</c>, with the
    /// connection parameters <paramref name="paramsJson"/> (Rivet JSON, empty for none).</summary>
    /// <exception cref="NotSupportedException">The transport does not support raw WebSockets.</exception>
    internal Task<System.Net.WebSockets.WebSocket> OpenRawWebSocketAsync(ActorQuery query, string pathAndQuery, ReadOnlyMemory<byte> paramsJson, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"The actor transport {GetType().FullName} does not support raw WebSockets (ActorHandle.WebSocketAsync).");

    /// <summary>The actor's public URL on the engine's gateway (<c>{endpoint}/gateway/{actorId}</c>).</summary>
    /// <exception cref="NotSupportedException">The transport has no gateway (the embedded host).</exception>
    internal Task<Uri> GetGatewayUrlAsync(ActorQuery query, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"The actor transport {GetType().FullName} has no gateway URL (ActorHandle.GetGatewayUrlAsync).");

    /// <summary>Where connections opened over this transport log (reconnects, failing event handlers).</summary>
    internal ILoggerFactory ConnectionLoggerFactory => NullLoggerFactory.Instance;

    /// <summary>
    /// How long an action called over a connection opened on this transport may wait for its answer, reconnects
    /// included, before it fails with a <see cref="TimeoutException"/>; infinite where the transport has no such bound.
    /// </summary>
    internal TimeSpan ConnectionCallTimeout => Timeout.InfiniteTimeSpan;
}
