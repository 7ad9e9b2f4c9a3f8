using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Protocol.Client;

namespace Rivet.Client.Engine;

// Queue sends through the gateway: POST /gateway/{actor}/queue/{name}, routed like action calls.
public sealed partial class EngineActorTransport
{
    async Task<QueueSendResponse> IActorTransport.SendToQueueAsync(ActorQuery query, string queue, ReadOnlyMemory<byte> bodyJson, bool wait, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentException.ThrowIfNullOrEmpty(queue);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        byte[] body;
        try
        {
            body = ClientEncoding.EncodeQueueRequest(_encoding, queue, bodyJson.Span, wait, timeout is { } t ? (ulong)Math.Max(0, t.TotalMilliseconds) : null);
        }
        catch (Exception e) when (e is Rivet.Codecs.Cbor.CborJsonException or System.Text.Json.JsonException or ArgumentException)
        {
            throw new RivetException(RivetErrors.ActorGroup, RivetErrors.InvalidRequest,
                $"The message for queue '{queue}' of actor {query} is not valid JSON: {e.Message}", innerException: e);
        }
        var what = queue + " (queue send)";
        var rest = "/queue/" + Uri.EscapeDataString(queue);
        // A waiting send lasts as long as its wait: the request gets that long plus the usual bound.
        var requestTimeout = RequestTimeout == Timeout.InfiniteTimeSpan || !wait ? RequestTimeout
            : RequestTimeout + (timeout ?? Actor.DefaultActionTimeout);
        string url;
        if (query.Kind == ActorQueryKind.ForId)
        {
            url = GatewayIdUrl(_baseUrl, query.ActorId!, rest, Token);
        }
        else
        {
            query = WithGatewayKey(query);
            var inputCbor = InputCbor(query);
            url = CanRouteByQuery(query.Key) && (inputCbor is null || inputCbor.Length <= MaxQueryInputSize)
                ? GatewayQueryUrl(_baseUrl, query, rest, inputCbor, Token)
                : GatewayIdUrl(_baseUrl, await ResolveKeyAsync(query, inputCbor, what, cancellationToken).ConfigureAwait(false), rest, Token);
        }
        var routed = query;
        var response = await SendRoutedAsync(query, what, ct => PostAsync(routed, what, url, body, requestTimeout, ct), cancellationToken).ConfigureAwait(false);
        return ClientEncoding.DecodeQueueResponse(_encoding, response);
    }
}
