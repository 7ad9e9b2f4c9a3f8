using System;
using System.Net.Http;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Client.Raw;

namespace Rivet.Client;

// Raw HTTP, raw WebSockets and the gateway URL (RivetKit's handle.fetch / handle.webSocket / handle.getGatewayUrl).
// Generated typed handles reach these through their Handle property.
public sealed partial class ActorHandle
{
    /// <summary>
    /// Sends <paramref name="request"/> to the actor's <c>OnRequestAsync</c> (or a RivetKit actor's <c>onRequest</c>)
    /// and returns its response, error statuses included (as <c>fetch</c> does). The request's URI is the path the
    /// actor sees: relative (<c>/items/3?full=1</c>) or under any host (<c>http://actor/items/3</c>); it travels as
    /// <c>/gateway/{actor}/request/{path}</c>. Through the engine, request and response bodies are buffered by the
    /// engine, up to 20 MiB each (larger: 413 from the engine's gateway, or <c>message.incoming_too_long</c> in-process).
    /// </summary>
    /// <exception cref="NotSupportedException">A custom transport that does not carry raw requests.</exception>
    public Task<HttpResponseMessage> FetchAsync(HttpRequestMessage request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _transport.SendRawRequestAsync(Query, request, cancellationToken);
    }

    /// <summary>
    /// Sends <paramref name="request"/> like <see cref="FetchAsync(HttpRequestMessage, CancellationToken)"/>, with connection
    /// parameters (Rivet JSON, header <c>x-rivet-conn-params</c> as RivetKit's client sends them): the actor makes the
    /// request's connection from them (its <c>OnBeforeConnectAsync</c> may refuse it: 500 with the hook's error) and its
    /// handler sees it as <c>Caller</c>.
    /// </summary>
    public Task<HttpResponseMessage> FetchAsync(HttpRequestMessage request, ReadOnlyMemory<byte> paramsJson, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ActorHttpMessageHandler.SetConnectionParams(request, paramsJson);
        return FetchAsync(request, cancellationToken);
    }

    /// <summary>Sends a GET for <paramref name="pathAndQuery"/> to the actor's raw HTTP handler (see <see cref="FetchAsync(HttpRequestMessage, CancellationToken)"/>).</summary>
    public async Task<HttpResponseMessage> FetchAsync(string pathAndQuery, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pathAndQuery);
        using var request = new HttpRequestMessage(HttpMethod.Get, ActorHttpMessageHandler.ToActorUri(pathAndQuery));
        return await FetchAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// An <see cref="HttpClient"/> whose requests go to this actor's raw HTTP handler: its <see cref="HttpClient.BaseAddress"/>
    /// is <c>http://actor/</c>, so <c>await http.GetStringAsync("/items")</c> or <c>PostAsJsonAsync("/items", item)</c>
    /// reach the actor's <c>/items</c>, and every library that takes an <see cref="HttpClient"/> works against the actor.
    /// Each request is bounded by the client's request timeout (<c>RivetClientOptions.RequestTimeout</c> through the
    /// engine), whose <see cref="TimeoutException"/> names the request and the actor; its own
    /// <see cref="HttpClient.Timeout"/> is infinite, so it does not cut in with a message naming neither (set it lower to
    /// give up earlier). Dispose it when done (it holds nothing beyond the handle: the transport's connections are shared).
    /// </summary>
    public HttpClient CreateHttpClient() => CreateHttpClient(ReadOnlyMemory<byte>.Empty);

    /// <summary>
    /// An <see cref="HttpClient"/> to the actor (see <see cref="CreateHttpClient()"/>) whose requests carry the
    /// connection parameters <paramref name="paramsJson"/> (Rivet JSON): the actor makes each request's connection from
    /// them (<c>OnBeforeConnectAsync</c>, connection state) and its handler sees it as <c>Caller</c>.
    /// </summary>
    public HttpClient CreateHttpClient(ReadOnlyMemory<byte> paramsJson) =>
        new(new ActorHttpMessageHandler(this, paramsJson.ToArray()), disposeHandler: true)
        {
            BaseAddress = ActorHttpMessageHandler.ActorBaseUri,
            Timeout = System.Threading.Timeout.InfiniteTimeSpan, // the transport bounds each request, naming it
        };

    /// <summary>An <see cref="HttpClient"/> to the actor whose requests carry <paramref name="parameters"/> as connection parameters (see <see cref="CreateHttpClient(ReadOnlyMemory{byte})"/>).</summary>
    public HttpClient CreateHttpClient<TParams>(TParams parameters, JsonTypeInfo<TParams> paramsType)
    {
        ArgumentNullException.ThrowIfNull(paramsType);
        return CreateHttpClient(JsonSerializer.SerializeToUtf8Bytes(parameters, paramsType));
    }

    /// <summary>
    /// Opens a WebSocket to the actor's <c>OnWebSocketAsync</c> (or a RivetKit actor's <c>onWebSocket</c>) at
    /// <c>/gateway/{actor}/websocket/{path}</c>, and returns it open: a standard <see cref="WebSocket"/> (a
    /// <see cref="ClientWebSocket"/> through the engine; an in-memory socket on the embedded host).
    /// </summary>
    /// <param name="pathAndQuery">The path the actor's handler sees, with an optional query (<c>/chat?room=1</c>).</param>
    /// <param name="cancellationToken">Cancels the opening.</param>
    /// <exception cref="WebSocketException">The engine refused the socket.</exception>
    public Task<WebSocket> WebSocketAsync(string pathAndQuery = "/", CancellationToken cancellationToken = default) =>
        WebSocketAsync(pathAndQuery, ReadOnlyMemory<byte>.Empty, cancellationToken);

    /// <summary>
    /// Opens a WebSocket to the actor (see <see cref="WebSocketAsync(string, CancellationToken)"/>) with connection
    /// parameters (Rivet JSON; the <c>rivet_conn_params</c> subprotocol, as RivetKit's client sends them): the actor makes
    /// the socket's connection from them and its handler sees it as <c>Caller</c>. When the actor's
    /// <c>OnBeforeConnectAsync</c> refuses, the socket opens and is closed at once with 1011 and the error's id
    /// (for example <c>user.forbidden</c>), as with RivetKit.
    /// </summary>
    public Task<WebSocket> WebSocketAsync(string pathAndQuery, ReadOnlyMemory<byte> paramsJson, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pathAndQuery);
        return _transport.OpenRawWebSocketAsync(Query, ActorHttpMessageHandler.ToActorUri(pathAndQuery).PathAndQuery, paramsJson, cancellationToken);
    }

    /// <summary>
    /// The actor's public URL on the engine's gateway, <c>{endpoint}/gateway/{actorId}</c> (with <c>@{token}</c> when the
    /// client has a token): append <c>/request/{path}</c> for its raw HTTP handler (curl works on it), or
    /// <c>/websocket/{path}</c> for its raw WebSocket. A key handle is resolved (or created) first; unlike RivetKit's
    /// <c>getGatewayUrl</c>, which gives a query URL for key handles, the URL always names the actor by id.
    /// </summary>
    /// <exception cref="NotSupportedException">The embedded host, which has no gateway.</exception>
    public Task<Uri> GetGatewayUrlAsync(CancellationToken cancellationToken = default) =>
        _transport.GetGatewayUrlAsync(Query, cancellationToken);
}
