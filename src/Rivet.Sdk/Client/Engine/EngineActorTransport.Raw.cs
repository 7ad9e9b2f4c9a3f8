using System;
using System.Net;
using System.Net.Http;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;

namespace Rivet.Client.Engine;

// Raw HTTP and raw WebSockets through the gateway (RivetKit's handle.fetch / handle.webSocket / getGatewayUrl),
// routed like action calls: /gateway/{name}/request/{path}?{query}&rvt-… or /gateway/{actorId}/request/{path}.
public sealed partial class EngineActorTransport
{
    async Task<HttpResponseMessage> IActorTransport.SendRawRequestAsync(ActorQuery query, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(request);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var target = request.RequestUri ?? new Uri("/", UriKind.Relative);
        var pathAndQuery = target.IsAbsoluteUri ? target.PathAndQuery : "/" + target.OriginalString.TrimStart('/');
        var url = await GatewayRouteUrlAsync(query, "/request", pathAndQuery, cancellationToken).ConfigureAwait(false);
        request.RequestUri = new Uri(url);
        request.Version = HttpVersion.Version11;
        if (Token is not null && !request.Headers.Contains(TokenHeader))
        {
            request.Headers.TryAddWithoutValidation(TokenHeader, Token);
        }
        if (Rivet.Runtime.CallChain.CurrentHeaderValue() is { } callChain)
        {
            request.Headers.TryAddWithoutValidation(Rivet.Runtime.CallChain.Header, callChain);
        }
        // Through the shared handler, not an HttpClient: the request may come from the caller's HttpClient
        // (CreateHttpClient), which already marked it sent. The bound covers the wait for the response headers.
        var invoker = SharedInvoker;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (RequestTimeout != Timeout.InfiniteTimeSpan)
        {
            limit.CancelAfter(RequestTimeout);
        }
        try
        {
            return await invoker.SendAsync(request, limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"Raw request {request.Method} {pathAndQuery} to actor {query} got no answer from the Rivet Engine at {Endpoint} within {RequestTimeout.TotalSeconds:0.###} s.", e);
        }
        catch (HttpRequestException e)
        {
            throw new RivetException(ClientErrorGroup, "unreachable",
                $"Raw request {request.Method} {pathAndQuery} to actor {query} could not reach the Rivet Engine at {Endpoint}: {e.Message}", innerException: e);
        }
    }

    async Task<WebSocket> IActorTransport.OpenRawWebSocketAsync(ActorQuery query, string pathAndQuery, ReadOnlyMemory<byte> paramsJson, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var url = await GatewayRouteUrlAsync(query, "/websocket", pathAndQuery, cancellationToken).ConfigureAwait(false);
        var socket = new ClientWebSocket();
        try
        {
            // The gateway needs a subprotocol on every upgrade (it answers "rivet"); RivetKit's raw sockets say bare.
            socket.Options.AddSubProtocol("rivet");
            socket.Options.AddSubProtocol("rivet_encoding.bare");
            if (Token is not null)
            {
                socket.Options.AddSubProtocol("rivet_token." + Token);
            }
            if (!paramsJson.IsEmpty)
            {
                // As RivetKit's client sends them: the actor makes the socket's connection from them.
                socket.Options.AddSubProtocol("rivet_conn_params." + Uri.EscapeDataString(System.Text.Encoding.UTF8.GetString(paramsJson.Span)));
            }
            socket.Options.HttpVersion = HttpVersion.Version11;
            socket.Options.HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact;
            var invoker = SharedInvoker;
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (RequestTimeout != Timeout.InfiniteTimeSpan)
            {
                limit.CancelAfter(RequestTimeout);
            }
            try
            {
                await socket.ConnectAsync(new Uri("ws" + url["http".Length..]), invoker, limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException(
                    $"Opening raw WebSocket {pathAndQuery} to actor {query} at the Rivet Engine {Endpoint} took longer than {RequestTimeout.TotalSeconds:0.###} s.", e);
            }
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>An invoker over the shared handler (its connection pool), for sockets and requests sent as they are.</summary>
    private HttpMessageInvoker SharedInvoker =>
        LazyInitializer.EnsureInitialized(ref _webSockets, () => new HttpMessageInvoker(_handler, disposeHandler: false));

    async Task<Uri> IActorTransport.GetGatewayUrlAsync(ActorQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var actorId = query.ActorId ?? await ResolveAsync(query, cancellationToken).ConfigureAwait(false);
        return new Uri(GatewayIdUrl(_baseUrl, actorId, "", Token));
    }

    /// <summary>
    /// <c>{endpoint}/gateway/…{prefix}{path}?{query}</c> for the actor of <paramref name="query"/>: by name and key
    /// where the gateway's query route serves the key and input, by id otherwise (resolved first).
    /// </summary>
    private async Task<string> GatewayRouteUrlAsync(ActorQuery query, string prefix, string pathAndQuery, CancellationToken cancellationToken)
    {
        var split = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        var path = split >= 0 ? pathAndQuery[..split] : pathAndQuery;
        var userQuery = split >= 0 ? pathAndQuery[(split + 1)..] : "";
        var rest = prefix + (path.Length == 0 || path == "/" ? "" : "/" + path.TrimStart('/'));
        if (query.Kind != ActorQueryKind.ForId)
        {
            query = WithGatewayKey(query);
            var inputCbor = InputCbor(query);
            if (CanRouteByQuery(query.Key) && (inputCbor is null || inputCbor.Length <= MaxQueryInputSize))
            {
                // The gateway strips the rvt-* parameters and forwards the others.
                var url = GatewayQueryUrl(_baseUrl, query, rest, inputCbor, Token);
                return userQuery.Length == 0 ? url : url + "&" + userQuery;
            }
            var actorId = await ResolveKeyAsync(query, inputCbor, action: null, cancellationToken).ConfigureAwait(false);
            query = ActorQuery.ForId(query.Name, actorId);
        }
        var byId = GatewayIdUrl(_baseUrl, query.ActorId!, rest, Token);
        return userQuery.Length == 0 ? byId : byId + "?" + userQuery;
    }
}
