using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Rivet.Client.Connections;
using Rivet.Hosting.ActorConnect;
using Rivet.Protocol.Client;
using Rivet.Runtime;
using Rivet.Runtime.Connections;

namespace Rivet.Hosting.Embedded;

/// <summary>
/// A connection of the embedded host: an in-process pipe between the client's <see cref="Client.ActorConnection"/>
/// and the actor's <see cref="ConnectSession"/>, carrying bare frames, so embedded actors run the very server code
/// the engine hosts run behind their WebSockets.
/// </summary>
internal sealed class EmbeddedConnectionChannel : IActorConnectionChannel, IConnectFrameSink
{
    private const ClientEncodingKind Encoding = ClientEncodingKind.Bare;

    private static readonly IReadOnlyDictionary<string, string> s_headers = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["sec-websocket-protocol"] = "rivet, rivet_encoding.bare",
    };

    // Frames to the client, then at most one close; completed after the close.
    private readonly Channel<(byte[]? Frame, ConnectionClosure? Close)> _toClient =
        Channel.CreateUnbounded<(byte[]?, ConnectionClosure?)>(new UnboundedChannelOptions { SingleReader = true });
    private ConnectSession? _session;
    private ConnectionClosure? _closure;
    private int _closed;

    private EmbeddedConnectionChannel()
    {
    }

    public ConnectionClosure? Closure => _closure;

    /// <summary>
    /// Opens a connection to <paramref name="actor"/>. A rejection is not thrown: like a WebSocket, the channel then
    /// holds the actor's <c>Error</c> and its close, and the client reads them.
    /// </summary>
    public static async Task<IActorConnectionChannel> OpenAsync(ActorInstance actor, ReadOnlyMemory<byte> paramsJson, CancellationToken cancellationToken)
    {
        var channel = new EmbeddedConnectionChannel();
        var open = new ConnectionOpen(paramsJson.ToArray(), "/connect", s_headers, Hibernation: null);
        try
        {
            channel._session = await ConnectSession.OpenAsync(actor, Encoding, open, channel, cancellationToken).ConfigureAwait(false);
        }
        catch (RivetException)
        {
            // Rejected: the session queued the Error frame and closed this sink.
        }
        return channel;
    }

    public ValueTask SendAsync(ConnectToServer message, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _closed) != 0 || _session is not { } session)
        {
            throw new InvalidOperationException("The in-process connection is closed.");
        }
        // Started in order and not awaited, as the engine hosts do: a slow action does not hold up the next request.
        // Not cancelled when the connection goes: as in RivetKit, an action the client sent runs to the end.
        _ = session.HandleFrameAsync(ConnectCodec.Encode(Encoding, message), binary: true, CancellationToken.None);
        return default;
    }

    public async ValueTask<ConnectToClient?> ReceiveAsync(CancellationToken cancellationToken)
    {
        while (_closure is null && await _toClient.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (_toClient.Reader.TryRead(out var item))
            {
                if (item.Close is { } close)
                {
                    _closure = close;
                    break;
                }
                return ConnectCodec.DecodeToClient(Encoding, item.Frame);
            }
        }
        _closure ??= new ConnectionClosure(null, null);
        return null;
    }

    /// <summary>The client closes: the actor runs <c>OnDisconnect</c>, and the close comes back as a WebSocket's would.</summary>
    public async ValueTask CloseAsync(ushort code, string reason, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }
        _toClient.Writer.TryWrite((null, new ConnectionClosure(code, reason)));
        _toClient.Writer.TryComplete();
        await EndSessionAsync(code, reason).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            // Dropped without a close: for the actor, the socket went away.
            _toClient.Writer.TryComplete();
            await EndSessionAsync(null, null).ConfigureAwait(false);
        }
    }

    /// <summary>The network went away (a test host's fault): the client sees an abnormal close and reconnects; the
    /// actor sees the socket go, as for a dropped WebSocket.</summary>
    public async ValueTask DropAsync()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            _toClient.Writer.TryWrite((null, new ConnectionClosure(null, null, new System.IO.IOException("The connection was dropped by the test host."))));
            _toClient.Writer.TryComplete();
            await EndSessionAsync(null, null).ConfigureAwait(false);
        }
    }

    /// <summary>Whether the connection is closed (by either side).</summary>
    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    private async Task EndSessionAsync(ushort? code, string? reason)
    {
        if (_session is { } session)
        {
            try
            {
                await session.ClosedAsync(code, reason).ConfigureAwait(false);
            }
            catch (Exception) when (code is null)
            {
                // The actor is stopping or gone; its OnDisconnect ran (or will run) with its stop.
            }
        }
    }

    // ---------------------------------------------------------------- IConnectFrameSink (the actor's side)

    void IConnectFrameSink.Send(ReadOnlyMemory<byte> frame, bool binary)
    {
        if (Volatile.Read(ref _closed) != 0)
        {
            return;
        }
        var copy = MemoryMarshal.TryGetArray(frame, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : frame.ToArray();
        _toClient.Writer.TryWrite((copy, null));
    }

    void IConnectFrameSink.Close(ushort code, string reason)
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            _toClient.Writer.TryWrite((null, new ConnectionClosure(code, reason)));
            _toClient.Writer.TryComplete();
        }
    }
}
