using System;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Runtime.Raw;

namespace Rivet.Sdk.Tests.Raw;

/// <summary>
/// The in-memory socket pair behind raw WebSockets (embedded host, and the actor's end on the runner): a peer that
/// never reads cannot hold the writer or grow memory past the bound.
/// </summary>
public sealed class WebSocketPairTests
{
    [Fact]
    public async Task A_writer_whose_peer_reads_nothing_fails_after_the_stall_timeout_and_the_peer_sees_the_end()
    {
        var stall = TimeSpan.FromMilliseconds(300);
        var (server, client) = WebSocketPair.Create(stallTimeout: stall);
        using (server)
        using (client)
        {
            var chunk = new byte[64 * 1024];
            var sent = 0L;
            // Bounded: the write that finds the direction full fails once the stall timeout passed without a read.
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var failure = await Assert.ThrowsAsync<WebSocketException>(async () =>
            {
                while (true)
                {
                    await server.SendAsync(chunk, WebSocketMessageType.Binary, true, bound.Token);
                    sent += chunk.Length;
                }
            });
            // The socket reports the broken stream; the reason is its inner exception (what the handler's log line shows).
            Assert.Contains("read nothing for 0.3 s", failure.ToString(), StringComparison.Ordinal);
            Assert.InRange(sent, WebSocketPair.MaxBufferedBytes - chunk.Length, WebSocketPair.MaxBufferedBytes + chunk.Length);

            // The client reads what was buffered, then the end of the connection (no close frame came).
            var buffer = new byte[chunk.Length];
            var ended = await Assert.ThrowsAsync<WebSocketException>(async () =>
            {
                while (true)
                {
                    await client.ReceiveAsync(buffer, bound.Token);
                }
            });
            Assert.Equal(WebSocketError.ConnectionClosedPrematurely, ended.WebSocketErrorCode);
        }
    }

    [Fact]
    public async Task A_slow_reader_is_not_a_stalled_one()
    {
        var (server, client) = WebSocketPair.Create(stallTimeout: TimeSpan.FromSeconds(30));
        using (server)
        using (client)
        {
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var chunk = new byte[256 * 1024];
            var total = 8 * chunk.Length; // four times the buffer: the writer waits for the reader several times
            var writer = Task.Run(async () =>
            {
                for (var sent = 0; sent < total; sent += chunk.Length)
                {
                    await server.SendAsync(chunk, WebSocketMessageType.Binary, true, bound.Token);
                }
            });
            var buffer = new byte[16 * 1024];
            var received = 0L;
            while (received < total)
            {
                received += (await client.ReceiveAsync(buffer, bound.Token)).Count;
            }
            await writer.WaitAsync(bound.Token);
            Assert.Equal(total, received);
        }
    }
}
