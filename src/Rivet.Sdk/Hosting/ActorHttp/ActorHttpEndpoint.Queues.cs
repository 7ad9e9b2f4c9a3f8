using System;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Protocol.Client;
using Rivet.Runtime;

namespace Rivet.Hosting.ActorHttp;

// POST /queue/{name}: RivetKit's queue send (HttpQueueSendRequest -> HttpQueueSendResponse).
internal static partial class ActorHttpEndpoint
{
    private static async Task<ActorHttpResponse> SendToQueueAsync(
        ActorInstance actor, uint generation, string method, string route, ClientEncodingKind encoding, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        if (!string.Equals(method, "POST", StringComparison.OrdinalIgnoreCase))
        {
            throw new RivetException(RivetErrors.ActorGroup, "method_not_allowed", $"Queue messages are sent with POST, not {method}.");
        }
        var name = Uri.UnescapeDataString(route["/queue/".Length..]);
        if (name.Length == 0 || name.Contains('/', StringComparison.Ordinal))
        {
            throw Invalid($"'{route}' does not name one queue.");
        }
        if (RequestBodyBuffer.CheckLength(body.Length) is { } tooLong)
        {
            throw tooLong;
        }
        var request = ClientEncoding.DecodeQueueRequest(encoding, body.Span);
        TimeSpan? timeout = request.TimeoutMs is { } ms ? TimeSpan.FromMilliseconds(Math.Min(ms, (ulong)int.MaxValue)) : null;
        var (completed, response) = await actor.SendToQueueAsync(name, request.BodyJson, request.Wait, timeout, cancellationToken).ConfigureAwait(false);
        var answer = new QueueSendResponse(completed ? ClientEncoding.QueueCompleted : ClientEncoding.QueueTimedOut, response);
        return Respond(actor, generation, 200, encoding, ClientEncoding.EncodeQueueResponse(encoding, answer));
    }
}
