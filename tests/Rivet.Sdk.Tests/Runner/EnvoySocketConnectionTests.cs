using System;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using Rivet.Hosting.Runner;

namespace Rivet.Sdk.Tests.Runner;

/// <summary>
/// The envoy's TCP connection: Nagle off, and on Linux the socket is in quick-ACK mode after every read, so what the
/// engine sent is acknowledged at once and the engine's Nagle does not hold its next small frame (a KV response) for
/// the kernel's delayed-ACK timer. Over loopback with a plain listener: this is about our socket, not the engine
/// (every runner test talks to the real engine through this connection).
/// </summary>
public sealed class EnvoySocketConnectionTests
{
    private const int IpProtoTcp = 6;
    private const int TcpQuickAck = 12;

    [Fact]
    public async Task Every_read_leaves_the_socket_acknowledging_at_once_and_nagle_is_off()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var accepting = listener.AcceptSocketAsync();
        await using var stream = await EnvoySocketConnection.ConnectAsync(new DnsEndPoint("127.0.0.1", port), default).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        using var server = await accepting.WaitAsync(TimeSpan.FromSeconds(30));
        var socket = Assert.IsAssignableFrom<NetworkStream>(stream).Socket;
        Assert.True(socket.NoDelay, "the envoy's socket must not hold small frames for Nagle");

        var buffer = new byte[16];
        for (var round = 1; round <= 3; round++)
        {
            // The kernel re-enters delayed ACKs once the traffic looks interactive (we write back): every read asks again.
            await server.SendAsync(new byte[] { (byte)round });
            var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(1, read);
            Assert.Equal(round, buffer[0]);
            if (OperatingSystem.IsLinux())
            {
                var value = new byte[4];
                socket.GetRawSocketOption(IpProtoTcp, TcpQuickAck, value);
                Assert.True(BitConverter.ToInt32(value) == 1, $"after read {round} the socket is not in quick-ACK mode (TCP_QUICKACK = {BitConverter.ToInt32(value)})");
            }
            await stream.WriteAsync(new byte[] { 0 });
            Assert.Equal(1, await server.ReceiveAsync(new byte[1]).WaitAsync(TimeSpan.FromSeconds(30)));
        }
        Assert.Equal(OperatingSystem.IsLinux(), EnvoySocketConnection.QuickAck);
    }
}
