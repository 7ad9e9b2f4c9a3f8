using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Rivet.Client.Connections;
using Rivet.Protocol.Client;

namespace Rivet.Client.Engine;

// Realtime connections: RivetKit's /connect WebSocket through the gateway, routed like action calls.
public sealed partial class EngineActorTransport
{
    private HttpMessageInvoker? _webSockets;

    Task<IActorConnectionChannel> IActorTransport.OpenConnectionAsync(ActorQuery query, ReadOnlyMemory<byte> paramsJson, CancellationToken cancellationToken) =>
        OpenConnectionAsync(query, paramsJson, cancellationToken);

    ILoggerFactory IActorTransport.ConnectionLoggerFactory => _loggerFactory;

    /// <summary>Connection calls get the same bound as HTTP calls (<see cref="RivetClientOptions.RequestTimeout"/>).</summary>
    TimeSpan IActorTransport.ConnectionCallTimeout => RequestTimeout;

    /// <summary>
    /// Opens <c>ws://{endpoint}/gateway/{name}/connect?rvt-…</c> (or <c>/gateway/{actorId}/connect</c>) with the
    /// subprotocols <c>rivet</c>, <c>rivet_encoding.{encoding}</c>, <c>rivet_conn_params.{escaped JSON}</c> and
    /// <c>rivet_token.{token}</c>. Keys and inputs the query route cannot serve are resolved to an id first.
    /// </summary>
    internal async Task<IActorConnectionChannel> OpenConnectionAsync(ActorQuery query, ReadOnlyMemory<byte> paramsJson, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var url = await ConnectUrlAsync(query, cancellationToken).ConfigureAwait(false);
        var invoker = LazyInitializer.EnsureInitialized(ref _webSockets, () => new HttpMessageInvoker(_routing, disposeHandler: false));
        return await EngineConnectionChannel.OpenAsync(new Uri(url), ConnectSubprotocols(paramsJson), invoker, _encoding,
            RequestTimeout, query.ToString(), Endpoint, cancellationToken).ConfigureAwait(false);
    }

    private async Task<string> ConnectUrlAsync(ActorQuery query, CancellationToken cancellationToken)
    {
        var url = await GatewayRouteUrlAsync(query, "/connect", "", cancellationToken).ConfigureAwait(false);
        // http → ws, https → wss.
        return "ws" + url["http".Length..];
    }

    private List<string> ConnectSubprotocols(ReadOnlyMemory<byte> paramsJson)
    {
        var protocols = new List<string>(4) { "rivet", "rivet_encoding." + _encodingName };
        if (!paramsJson.IsEmpty)
        {
            // RivetKit writes encodeURIComponent(JSON); EscapeDataString also escapes ( ) ! * ', which a subprotocol
            // token cannot hold raw, and the actor's decodeURIComponent reads both.
            protocols.Add("rivet_conn_params." + Uri.EscapeDataString(System.Text.Encoding.UTF8.GetString(paramsJson.Span)));
        }
        if (Token is not null)
        {
            protocols.Add("rivet_token." + Token);
        }
        return protocols;
    }
}
