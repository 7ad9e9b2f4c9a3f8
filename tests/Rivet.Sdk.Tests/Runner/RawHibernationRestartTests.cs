using System;
using System.Net.WebSockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Client;
using Rivet.Client.Engine;
using Rivet.Engine;
using Rivet.Hosting.Runner;
using Rivet.Sdk.Tests.Behaviour;

namespace Rivet.Sdk.Tests.Runner;

/// <summary>
/// A hibernatable raw WebSocket (<see cref="RawNapper"/>) across an engine restart, on our runner; its own engine,
/// since it restarts it. The gateway holding the sleeping socket goes down with the engine, so the client's socket
/// ends; what the actor acknowledged before is kept, and a new socket works. It mostly waits (a sleep, an engine
/// restart), so it is in the "engine-waits" collection.
/// </summary>
[Collection(Engine.EngineWaitCollection.Name)]
public sealed class RawHibernationRestartTests : IAsyncLifetime
{
    /// <summary>The whole test's bound (one token over every step, an engine restart included), room for a busy machine.</summary>
    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(150);
    private readonly string _pool = "raw-restart-" + Guid.NewGuid().ToString("N")[..8];
    private RivetEngineProcess _engine = null!;
    private RivetRunner _runner = null!;

    public async Task InitializeAsync()
    {
        _engine = await RivetEngineProcess.StartAsync();
        _runner = await GatewayHttp.StartRunnerAsync(_engine.Endpoint, _pool);
    }

    public async Task DisposeAsync()
    {
        await _runner.DisposeAsync();
        await _engine.DisposeAsync();
    }

    [Fact]
    public async Task A_sleeping_actors_hibernating_raw_socket_ends_at_an_engine_restart_and_a_new_one_finds_the_state()
    {
        await using var client = RivetClient.Create(new RivetClientOptions { Endpoint = _engine.Endpoint, PoolName = _pool, RequestTimeout = TimeSpan.FromSeconds(45) });
        var key = "raw-restart-" + Guid.NewGuid().ToString("N")[..8];
        var actor = client.RawNapper.GetOrCreate(key);
        using var bound = new CancellationTokenSource(s_patience);
        using (var socket = await actor.Handle.WebSocketAsync("/hib", bound.Token))
        {
            Assert.Equal("welcome /hib", await ReceiveTextAsync(socket, bound.Token));
            await socket.SendAsync("one"u8.ToArray(), WebSocketMessageType.Text, true, bound.Token);
            Assert.Equal("one #1", await ReceiveTextAsync(socket, bound.Token));
            await Probe.WaitForAsync(key, "sleep", s_patience);

            await _engine.RestartAsync();

            // The socket ends (closed or cut with the gateway), within the bound: it is never left hanging.
            var buffer = new byte[256];
            try
            {
                var end = await socket.ReceiveAsync(buffer, bound.Token);
                Assert.Equal(WebSocketMessageType.Close, end.MessageType);
            }
            catch (WebSocketException)
            {
                // Cut without a close frame: the gateway's process went away.
            }
            catch (OperationCanceledException) when (bound.IsCancellationRequested)
            {
                throw new TimeoutException($"The hibernating raw socket did not end after the engine restart (the test's {s_patience.TotalSeconds} s bound ran out).");
            }
        }

        // The message acknowledged before the restart is kept, and a new socket is served from the start.
        using var again = await RetryAsync(() => actor.Handle.WebSocketAsync("/hib", bound.Token), bound.Token);
        Assert.Equal("welcome /hib", await ReceiveTextAsync(again, bound.Token));
        await again.SendAsync("two"u8.ToArray(), WebSocketMessageType.Text, true, bound.Token);
        Assert.Equal("two #2", await ReceiveTextAsync(again, bound.Token));
        Assert.Equal(2, await actor.GetHits());
        await again.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", bound.Token);
    }

    /// <summary>Opens again until the engine, just restarted, routes to the actor.</summary>
    private static async Task<WebSocket> RetryAsync(Func<Task<WebSocket>> open, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return await open();
            }
            catch (Exception ex) when (ex is RivetException or WebSocketException or System.Net.Http.HttpRequestException && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(200, cancellationToken);
            }
        }
    }

    private static async Task<string> ReceiveTextAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        var received = await socket.ReceiveAsync(buffer, cancellationToken);
        Assert.Equal(WebSocketMessageType.Text, received.MessageType);
        return Encoding.UTF8.GetString(buffer, 0, received.Count);
    }
}
