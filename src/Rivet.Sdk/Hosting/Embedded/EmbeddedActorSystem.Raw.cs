using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Net.Http;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Client;
using Rivet.Hosting.ActorHttp;
using Rivet.Runtime;
using Rivet.Runtime.Raw;

namespace Rivet.Hosting.Embedded;

// Raw HTTP and raw WebSockets in-process, with what the runner does on the wire: the same route (/request/…), the same
// body limit, the same error answers (ActorHttpEndpoint), and a standard WebSocket whose peer is the actor's socket.
internal sealed partial class EmbeddedActorSystem
{
    // Open hibernatable sockets and their actor's id: a destroy closes them (they outlive the actor's sleeps).
    private readonly ConcurrentDictionary<EmbeddedHibernatingSocket, string> _hibernatingSockets = new();

    /// <summary>Closes the hibernatable sockets of a destroyed actor (1000 <c>actor.destroyed</c>, as the engine's gateway does).</summary>
    private void CloseHibernatingSockets(string actorId)
    {
        foreach (var (socket, id) in _hibernatingSockets)
        {
            if (id == actorId)
            {
                socket.ActorDestroyed();
            }
        }
    }

    async Task<HttpResponseMessage> IActorTransport.SendRawRequestAsync(ActorQuery query, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(request);
        var target = request.RequestUri ?? new Uri("/", UriKind.Relative);
        var pathAndQuery = target.IsAbsoluteUri ? target.PathAndQuery : "/" + target.OriginalString.TrimStart('/');
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers)
        {
            headers[name.ToLowerInvariant()] = string.Join(", ", values);
        }
        ReadOnlyMemory<byte> body = ReadOnlyMemory<byte>.Empty;
        RivetException? tooLong = null;
        if (request.Content is { } content)
        {
            foreach (var (name, values) in content.Headers)
            {
                headers[name.ToLowerInvariant()] = string.Join(", ", values);
            }
            tooLong = RequestBodyBuffer.CheckDeclaredLength(headers, Actor.MaxRawRequestBody);
            if (tooLong is null)
            {
                (body, tooLong) = await ReadBoundedAsync(content, cancellationToken).ConfigureAwait(false);
            }
        }
        for (var attempt = 1; ; attempt++)
        {
            var instance = await GetInstanceAsync(query, cancellationToken).ConfigureAwait(false);
            ActorHttpResponse answer;
            if (tooLong is not null)
            {
                answer = ActorHttpEndpoint.Refuse(instance, 0, headers, tooLong, RequestBodyBuffer.RefusedStatus("/request"));
            }
            else
            {
                answer = await ActorHttpEndpoint.HandleAsync(instance, 0, request.Method.Method, "/request" + pathAndQuery, headers, body, cancellationToken)
                    .ConfigureAwait(false);
                if (IsStoppedAnswer(answer) && attempt < MaxStoppedRetries)
                {
                    continue; // the actor went to sleep between lookup and call: wake it again, as for actions
                }
            }
            return ToResponse(answer, request);
        }
    }

    async Task<WebSocket> IActorTransport.OpenRawWebSocketAsync(ActorQuery query, string pathAndQuery, ReadOnlyMemory<byte> paramsJson, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        cancellationToken.ThrowIfCancellationRequested(); // as through the engine: a cancelled open opens nothing
        var instance = await GetInstanceAsync(query, cancellationToken).ConfigureAwait(false);
        var request = RawRequestEndpoint.ToActorRequest("GET", pathAndQuery, [], ReadOnlyMemory<byte>.Empty);
        var parameters = paramsJson.ToArray();
        if (instance.CanHibernateWebSocket(request))
        {
            var byId = ActorQuery.ForId(query.Name, instance.ActorId);
            var hibernating = EmbeddedHibernatingSocket.Open(instance, request, pathAndQuery, parameters,
                wake => GetInstanceAsync(byId, wake), () => Volatile.Read(ref _disposed) != 0, _logger);
            _hibernatingSockets[hibernating] = instance.ActorId;
            _ = hibernating.Completion.ContinueWith(done => _hibernatingSockets.TryRemove(hibernating, out _), CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return hibernating.Client;
        }
        var (server, client) = WebSocketPair.Create();
        _ = ServeAsync();
        return client;

        async Task ServeAsync()
        {
            using (request)
            using (server)
            {
                await instance.ServeWebSocketAsync(server, request, parameters).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The body as it arrives, never holding more than the raw limit (a body without content-length included).</summary>
    private static async Task<(ReadOnlyMemory<byte> Body, RivetException? TooLong)> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var body = new System.Buffers.ArrayBufferWriter<byte>();
            while (true)
            {
                var read = await stream.ReadAsync(body.GetMemory(64 * 1024), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return (body.WrittenMemory, null);
                }
                body.Advance(read);
                if (RequestBodyBuffer.CheckLength(body.WrittenCount, Actor.MaxRawRequestBody) is { } tooLong)
                {
                    return (ReadOnlyMemory<byte>.Empty, tooLong);
                }
            }
        }
    }

    private static bool IsStoppedAnswer(ActorHttpResponse answer) =>
        answer.Status == 500 && System.Text.Encoding.UTF8.GetString(answer.Body).Contains($"\"code\":\"{ActorInstance.StoppedCode}\"", StringComparison.Ordinal);

    private static HttpResponseMessage ToResponse(ActorHttpResponse answer, HttpRequestMessage request)
    {
        var response = new HttpResponseMessage((System.Net.HttpStatusCode)answer.Status)
        {
            RequestMessage = request,
            Content = new ByteArrayContent(answer.Body),
        };
        foreach (var (name, value) in answer.Headers)
        {
            if (!response.Headers.TryAddWithoutValidation(name, value))
            {
                response.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }
        return response;
    }
}
