using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Runtime;

namespace Rivet.Hosting.ActorHttp;

/// <summary>
/// The actor side of RivetKit's raw HTTP (<c>onRequest</c>): a tunnelled <c>/request[/…][?…]</c> becomes an
/// <see cref="HttpRequestMessage"/> for <see cref="Actor.OnRequestAsync"/> (with <c>/request</c> stripped, the query
/// kept), and its <see cref="HttpResponseMessage"/> the tunnel's answer. Only <c>/request</c> reaches user code, so
/// the framework routes (<c>/action/*</c>, <c>/connect</c>, <c>/health</c>, …) cannot be shadowed.
/// </summary>
internal static class RawRequestEndpoint
{
    /// <summary>The base of the URI the actor's handlers see (the request's path and query follow it).</summary>
    public static Uri ActorBaseUri => Client.Raw.ActorHttpMessageHandler.ActorBaseUri;

    /// <summary>The group of the error a raw request whose handler failed unexpectedly answers, as in RivetKit.</summary>
    public const string RawErrorGroup = "rivetkit";

    private const string RequestPrefix = "/request";
    private const string WebSocketPrefix = "/websocket";

    /// <summary>Whether <paramref name="route"/> (a path without its query) is a raw request: <c>/request</c> or <c>/request/…</c>.</summary>
    public static bool IsRequestRoute(string route) => IsUnder(route, RequestPrefix);

    /// <summary>Whether a WebSocket path (query included) goes to <see cref="Actor.OnWebSocketAsync"/>: <c>/websocket</c> or <c>/websocket/…</c>.</summary>
    public static bool IsWebSocketPath(string path) => IsUnder(StripQuery(path), WebSocketPrefix);

    /// <summary>
    /// Serves one raw request; throws <see cref="RivetException"/> for the handler's error (the caller answers it with
    /// RivetKit's error shape).
    /// </summary>
    public static async Task<ActorHttpResponse> HandleAsync(ActorInstance actor, uint generation, string method, string path,
        IReadOnlyDictionary<string, string> headers, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        using var request = ToActorRequest(method, Strip(path, RequestPrefix), headers, body);
        HttpResponseMessage response;
        Connection? connection = null;
        try
        {
            // As RivetKit 2.3.19: every raw request gets a connection from its x-rivet-conn-params (the hooks may refuse).
            connection = await actor.ConnectRawAsync(ActorConnect.ConnectHandshake.ParseParams(headers), request.RequestUri!.PathAndQuery, headers, onClose: null, cancellationToken)
                .ConfigureAwait(false);
            response = await actor.HandleRequestAsync(request, connection, cancellationToken).ConfigureAwait(false);
        }
        catch (RivetException error) when (error.Group == RivetErrors.ActorGroup && error.Code == RivetErrors.InternalError)
        {
            // RivetKit 2.3.19 answers a failed onRequest with group "rivetkit" (its actions say "actor").
            throw new RivetException(RawErrorGroup, error.Code, error.Message, error.Metadata, error) { ActorId = error.ActorId };
        }
        finally
        {
            if (connection is not null)
            {
                await actor.DisconnectRawAsync(connection, "raw request answered").ConfigureAwait(false);
            }
        }
        using (response)
        {
            var answer = await ToTunnelResponseAsync(response, cancellationToken).ConfigureAwait(false);
            // What a RivetKit actor's raw responses carry too (ActorHttpEndpoint's own answers do).
            ActorHttpEndpoint.AddActorHeaders(answer.Headers, actor, generation);
            return answer;
        }
    }

    /// <summary>The request the actor sees: <paramref name="pathAndQuery"/> under <see cref="ActorBaseUri"/>, the headers, the body.</summary>
    public static HttpRequestMessage ToActorRequest(string method, string pathAndQuery,
        IEnumerable<KeyValuePair<string, string>> headers, ReadOnlyMemory<byte> body)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), new Uri(ActorBaseUri, pathAndQuery.TrimStart('/')));
        var content = new ReadOnlyMemoryContent(body);
        foreach (var (name, value) in headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                content.Headers.TryAddWithoutValidation(name, value);
            }
        }
        content.Headers.ContentLength = body.Length;
        request.Content = content;
        return request;
    }

    /// <summary>The path the actor sees for a raw path under <paramref name="prefix"/>: <c>/request/a?x=1</c> → <c>/a?x=1</c>.</summary>
    public static string Strip(string path, string prefix)
    {
        var rest = path[prefix.Length..];
        return rest.Length == 0 || rest[0] != '/' ? "/" + rest : rest;
    }

    /// <summary>The path a raw WebSocket handler sees: <c>/websocket/a?x=1</c> → <c>/a?x=1</c>.</summary>
    public static string StripWebSocket(string path) => Strip(path, WebSocketPrefix);

    /// <summary>Status, headers (content headers included) and buffered body of a handler's response.</summary>
    public static async Task<ActorHttpResponse> ToTunnelResponseAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = response.Content is null ? [] : await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in response.Headers)
        {
            headers[name] = string.Join(", ", values);
        }
        if (response.Content is not null)
        {
            foreach (var (name, values) in response.Content.Headers)
            {
                headers[name] = string.Join(", ", values);
            }
        }
        // The tunnel carries one buffered body: its length is what was read, whatever the handler declared.
        headers.Remove("transfer-encoding");
        headers.Remove("connection");
        headers["content-length"] = body.Length.ToString(CultureInfo.InvariantCulture);
        return new ActorHttpResponse((ushort)response.StatusCode, headers, body);
    }

    private static bool IsUnder(string route, string prefix) =>
        route.StartsWith(prefix, StringComparison.Ordinal) && (route.Length == prefix.Length || route[prefix.Length] is '/' or '?');

    private static string StripQuery(string path)
    {
        var query = path.IndexOf('?', StringComparison.Ordinal);
        return query >= 0 ? path[..query] : path;
    }
}
