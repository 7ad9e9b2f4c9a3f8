using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Client.Connections;
using Rivet.Protocol.Client;

namespace Rivet.Client.Engine;

/// <summary>
/// A <c>/connect</c> WebSocket to an actor through the engine's gateway: json messages travel as text frames, cbor and
/// bare as binary frames. Opened over the transport's <see cref="SocketsHttpHandler"/> (Nagle off).
/// </summary>
internal sealed class EngineConnectionChannel : IActorConnectionChannel
{
    /// <summary>The largest message accepted from the actor (RivetKit's actors send at most 1 MiB).</summary>
    private const int MaxMessageSize = 16 * 1024 * 1024;

    private readonly ClientWebSocket _socket;
    private readonly ClientEncodingKind _encoding;
    private readonly WebSocketMessageType _frameType;
    private readonly ArrayBufferWriter<byte> _received = new(4096);
    private ConnectionClosure? _closure;

    private EngineConnectionChannel(ClientWebSocket socket, ClientEncodingKind encoding)
    {
        _socket = socket;
        _encoding = encoding;
        _frameType = ConnectCodec.IsBinary(encoding) ? WebSocketMessageType.Binary : WebSocketMessageType.Text;
    }

    public ConnectionClosure? Closure => _closure;

    /// <summary>Opens the WebSocket (the gateway first finds, wakes or creates the actor).</summary>
    /// <exception cref="RivetException"><c>engine.unreachable</c> or <c>engine.connect_failed</c>, naming the actor and the endpoint.</exception>
    public static async Task<EngineConnectionChannel> OpenAsync(
        Uri url, IReadOnlyList<string> subprotocols, HttpMessageInvoker invoker, ClientEncodingKind encoding,
        TimeSpan timeout, string actor, Uri endpoint, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        try
        {
            foreach (var subprotocol in subprotocols)
            {
                socket.Options.AddSubProtocol(subprotocol);
            }
            socket.Options.HttpVersion = HttpVersion.Version11;
            socket.Options.HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact;
            socket.Options.CollectHttpResponseDetails = true;
            // The upgrade carries the caller's W3C trace context: the actor's connection span continues it.
            Rivet.Diagnostics.RivetTracing.Inject(socket.Options, static (options, name, value) => options.SetRequestHeader(name, value));

            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (timeout != Timeout.InfiniteTimeSpan)
            {
                limit.CancelAfter(timeout);
            }
            try
            {
                await socket.ConnectAsync(url, invoker, limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Opening a connection to actor {actor} got no answer from the Rivet Engine at {endpoint} within {timeout.TotalSeconds:0.###} s.", e);
            }
            catch (WebSocketException e) when (socket.HttpStatusCode != 0)
            {
                throw new RivetException(EngineActorTransport.ClientErrorGroup, "connect_failed",
                    $"The Rivet Engine at {endpoint} refused the connection to actor {actor} with HTTP {(int)socket.HttpStatusCode} {socket.HttpStatusCode}.", innerException: e);
            }
            catch (Exception e) when (e is WebSocketException or HttpRequestException or IOException)
            {
                throw new RivetException(EngineActorTransport.ClientErrorGroup, "unreachable",
                    $"A connection to actor {actor} could not reach the Rivet Engine at {endpoint}: {e.Message}", innerException: e);
            }
            return new EngineConnectionChannel(socket, encoding);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async ValueTask SendAsync(ConnectToServer message, CancellationToken cancellationToken)
    {
        var frame = ConnectCodec.Encode(_encoding, message);
        await _socket.SendAsync(frame, _frameType, endOfMessage: true, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<ConnectToClient?> ReceiveAsync(CancellationToken cancellationToken)
    {
        if (_closure is not null)
        {
            return null;
        }
        _received.ResetWrittenCount();
        while (true)
        {
            ValueWebSocketReceiveResult result;
            try
            {
                result = await _socket.ReceiveAsync(_received.GetMemory(4096), cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
            {
                _closure = new ConnectionClosure(null, null, e);
                return null;
            }
            if (result.MessageType == WebSocketMessageType.Close)
            {
                _closure = new ConnectionClosure((ushort?)_socket.CloseStatus, _socket.CloseStatusDescription);
                await CompleteCloseAsync().ConfigureAwait(false);
                return null;
            }
            _received.Advance(result.Count);
            if (result.EndOfMessage)
            {
                return ConnectCodec.DecodeToClient(_encoding, _received.WrittenSpan);
            }
            if (_received.WrittenCount > MaxMessageSize)
            {
                _closure = new ConnectionClosure(null, null, new InvalidDataException($"A message from the actor exceeds {MaxMessageSize} bytes."));
                _socket.Abort();
                return null;
            }
        }
    }

    public async ValueTask CloseAsync(ushort code, string reason, CancellationToken cancellationToken)
    {
        if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            try
            {
                // Only our half of the handshake: the receive loop reads the actor's answer and ends.
                await _socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
            {
                _socket.Abort();
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return default;
    }

    private async ValueTask CompleteCloseAsync()
    {
        if (_socket.State == WebSocketState.CloseReceived)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
            {
                // The peer is gone; nothing to answer.
            }
        }
    }
}
