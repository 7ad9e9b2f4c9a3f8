using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace Rivet.Hosting.Runner;

/// <summary>
/// The TCP connection under the envoy's WebSocket to the engine: Nagle off on our side, and on Linux every received
/// segment acknowledged at once (<c>TCP_QUICKACK</c> after each read) instead of after the kernel's delayed-ACK timer.
/// </summary>
/// <remarks>
/// Why: engine 2.3.19 leaves Nagle's algorithm on for the sockets it accepts (<c>guard.tcp_nodelay</c> defaults to
/// false). When the engine sends a client request to the runner and, before the runner wrote anything back, a KV
/// response (the put a durable actor waits for before it answers), Nagle holds the response until the request is
/// acknowledged, and the runner's kernel delays that ACK by up to 40 ms because the runner has nothing to send yet:
/// under 16 connections this made a put's p50 15–45 ms instead of 5–11 ms (docs/performance.md, "The durable bound on
/// engine 2.3.19"). An immediate ACK costs a small packet per received segment and a setsockopt per read.
/// </remarks>
internal static class EnvoySocketConnection
{
    private const int IpProtoTcp = 6;
    private const int TcpQuickAck = 12; // linux/tcp.h
    private static readonly byte[] s_on = BitConverter.GetBytes(1);

    /// <summary>Whether reads acknowledge at once (Linux only); off only to measure the difference (the load tool's before).</summary>
    internal static bool QuickAck { get; set; } = OperatingSystem.IsLinux();

    /// <summary>A handler for the envoy's WebSocket upgrade whose connections are made by <see cref="ConnectAsync"/>.</summary>
    public static SocketsHttpHandler CreateHandler(TimeSpan connectTimeout)
    {
        var handler = Client.Engine.EngineActorTransport.CreateHandler(connectTimeout);
        handler.ConnectCallback = static (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, cancellationToken);
        return handler;
    }

    /// <summary>A connection to <paramref name="endPoint"/> with Nagle off and, when <see cref="QuickAck"/>, an immediate ACK after each read.</summary>
    internal static async ValueTask<Stream> ConnectAsync(DnsEndPoint endPoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
            return QuickAck ? new QuickAckStream(socket) : new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>A socket stream that asks the kernel to acknowledge what it received after every read.</summary>
    private sealed class QuickAckStream(Socket socket) : NetworkStream(socket, ownsSocket: true)
    {
        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await base.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            AcknowledgeNow();
            return read;
        }

        public override int Read(Span<byte> buffer)
        {
            var read = base.Read(buffer);
            AcknowledgeNow();
            return read;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        // The kernel leaves quick-ACK mode again by itself (it re-enters delayed ACKs when the traffic looks
        // interactive), so it is asked again after every read; setting it also sends an ACK that is due now.
        private void AcknowledgeNow()
        {
            try
            {
                Socket.SetRawSocketOption(IpProtoTcp, TcpQuickAck, s_on);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // Closed meanwhile; the read already reported what there was.
            }
        }
    }
}
