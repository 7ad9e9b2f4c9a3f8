using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Engine;
using Rivet.Hosting.Runner;
using Rivet.Sdk.Tests.ClientConnections;

namespace Rivet.Sdk.Tests.Runner;

/// <summary>Faults against the real engine: each test gets its own engine, since some restart it.</summary>
/// <remarks>Mostly waiting on the engine noticing a crash or restart: in the waits collection (see <see cref="Engine.EngineWaitCollection"/>).</remarks>
[Collection(Engine.EngineWaitCollection.Name)]
public sealed class RunnerFaultTests : IAsyncLifetime
{
    private readonly string _pool = "faults-" + Guid.NewGuid().ToString("N")[..8];
    private RivetEngineProcess _engine = null!;
    private GatewayHttp _gateway = null!;
    private readonly List<RivetRunner> _runners = new();

    public async Task InitializeAsync()
    {
        _engine = await RivetEngineProcess.StartAsync();
        _gateway = new GatewayHttp(_engine.Endpoint, _pool);
    }

    public async Task DisposeAsync()
    {
        foreach (var runner in _runners)
        {
            await runner.DisposeAsync();
        }
        _gateway.Dispose();
        await _engine.DisposeAsync();
    }

    private async Task<RivetRunner> StartRunnerAsync(string? key = null)
    {
        var runner = await GatewayHttp.StartRunnerAsync(_engine.Endpoint, _pool, key);
        _runners.Add(runner);
        return runner;
    }

    private static int Output(string body) => int.Parse(body["{\"output\":".Length..^1], System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task An_engine_restart_mid_traffic_loses_no_acknowledged_increment()
    {
        var runner = await StartRunnerAsync();
        await _gateway.PostUntilOkAsync("counter", "restart", "increment", "{\"args\":[0]}", TimeSpan.FromSeconds(30));

        var acknowledged = 0;
        var attempted = 0;
        using var stop = new CancellationTokenSource();
        var traffic = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                Interlocked.Increment(ref attempted);
                try
                {
                    var (status, _) = await _gateway.PostAsync("counter", "restart", "increment", "{\"args\":[1]}");
                    if (status == 200)
                    {
                        Interlocked.Increment(ref acknowledged);
                    }
                }
                catch (Exception ex) when (ex is System.Net.Http.HttpRequestException or TaskCanceledException)
                {
                }
                await Task.Delay(20);
            }
        });

        // The restart lands mid-traffic: increments acknowledged before it, and more once the engine is back.
        var bound = TimeSpan.FromSeconds(90);
        await Poll.UntilAsync(() => Volatile.Read(ref acknowledged) >= 3, bound,
            () => $"3 increments acknowledged before the restart ({Volatile.Read(ref acknowledged)} of {Volatile.Read(ref attempted)})");
        await _engine.RestartAsync();
        await _gateway.PostUntilOkAsync("counter", "restart", "increment", "{\"args\":[0]}", bound); // the engine and the actor are back
        var backAt = Volatile.Read(ref acknowledged);
        await Poll.UntilAsync(() => Volatile.Read(ref acknowledged) >= backAt + 3, bound,
            () => $"3 more increments acknowledged once the engine was back ({Volatile.Read(ref acknowledged) - backAt})");
        await stop.CancelAsync();
        await traffic;
        var final = Output(await _gateway.PostUntilOkAsync("counter", "restart", "getCount", "{\"args\":[]}", TimeSpan.FromSeconds(30)));

        Assert.True(acknowledged > 0, "no call succeeded");
        Assert.InRange(final, acknowledged, attempted);
        Assert.False(runner.IsEvicted);
    }

    [Fact]
    public async Task A_killed_runner_is_replaced_and_its_actors_come_back_with_their_state()
    {
        var first = await StartRunnerAsync();
        Assert.Equal("{\"output\":3}", await _gateway.PostUntilOkAsync("counter", "crash", "increment", "{\"args\":[3]}", TimeSpan.FromSeconds(30)));

        // A crash: the socket goes away without the graceful Stopping handshake.
        await first.Envoy.DisposeAsync();
        _runners.Remove(first);

        await StartRunnerAsync();
        Assert.Equal("{\"output\":4}", await _gateway.PostUntilOkAsync("counter", "crash", "increment", "{\"args\":[1]}", TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public async Task A_lone_runner_that_stops_gracefully_hands_its_actors_straight_to_the_next_one()
    {
        var first = await StartRunnerAsync();
        Assert.Equal("{\"output\":4}", await _gateway.PostUntilOkAsync("counter", "deploy", "increment", "{\"args\":[4]}", TimeSpan.FromSeconds(30)));
        await first.StopAsync();
        Assert.Equal(0, first.RunningActors);

        // The actor went to sleep (not "going away" with nowhere to go, which the engine parks behind a backoff),
        // so the next runner gets it on the first request.
        await StartRunnerAsync();
        var (status, body) = await _gateway.PostAsync("counter", "deploy", "increment", "{\"args\":[1]}");
        Assert.Equal((200, "{\"output\":5}"), (status, body));
    }

    [Fact]
    public async Task Two_runners_share_a_pool_and_a_stopped_runners_actors_move_with_their_state()
    {
        var a = await StartRunnerAsync();
        var b = await StartRunnerAsync();
        var keys = Enumerable.Range(0, 10).Select(i => $"spread-{i}").ToArray();
        foreach (var key in keys)
        {
            await _gateway.PostUntilOkAsync("counter", key, "increment", "{\"args\":[5]}", TimeSpan.FromSeconds(60));
        }
        Assert.Equal(keys.Length, a.RunningActors + b.RunningActors);
        Assert.True(a.RunningActors > 0 && b.RunningActors > 0, $"actors did not spread: {a.RunningActors} and {b.RunningActors}");

        await a.StopAsync();
        foreach (var key in keys)
        {
            Assert.Equal("{\"output\":6}", await _gateway.PostUntilOkAsync("counter", key, "increment", "{\"args\":[1]}", TimeSpan.FromSeconds(60)));
        }
        Assert.Equal(keys.Length, b.RunningActors);
    }

    [Fact]
    public async Task A_second_runner_with_the_same_key_evicts_the_first_which_stops_for_good()
    {
        var key = "same-key-" + Guid.NewGuid().ToString("N")[..8];
        var first = await StartRunnerAsync(key);
        var second = await StartRunnerAsync(key);

        var evicted = TimeSpan.FromSeconds(60);
        if (await Task.WhenAny(first.Envoy.Completion, Task.Delay(evicted)) != first.Envoy.Completion)
        {
            throw new TimeoutException($"Waited {evicted.TotalSeconds} s for the engine to evict the first runner once a second one connected with its key {key}.");
        }
        Assert.True(first.IsEvicted);
        Assert.False(first.Envoy.IsConnected);
        Assert.False(second.IsEvicted);
        Assert.Equal("{\"output\":2}", await _gateway.PostUntilOkAsync("counter", "evict", "increment", "{\"args\":[2]}", TimeSpan.FromSeconds(30)));
        Assert.Equal(1, second.RunningActors);
    }

    [Fact]
    public async Task A_malformed_frame_on_a_foreign_runner_socket_does_not_disturb_this_runner()
    {
        await StartRunnerAsync();
        Assert.Equal("{\"output\":1}", await _gateway.PostUntilOkAsync("counter", "garbage", "increment", "{\"args\":[1]}", TimeSpan.FromSeconds(30)));

        using (var rogue = new ClientWebSocket())
        {
            rogue.Options.AddSubProtocol("rivet");
            var url = new Uri($"ws://127.0.0.1:{_engine.GuardPort}/envoys/connect?protocol_version=8&namespace=default&envoy_key=rogue-{Guid.NewGuid():N}&version=1&pool_name={_pool}");
            await rogue.ConnectAsync(url, CancellationToken.None);
            await rogue.SendAsync(new byte[] { 0xFF, 0x00, 0x13, 0x37 }, WebSocketMessageType.Binary, true, CancellationToken.None);
            var buffer = new byte[4096];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                while (true)
                {
                    var result = await rogue.ReceiveAsync(buffer, timeout.Token);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        break;
                    }
                }
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
            }
        }

        Assert.Equal("{\"output\":2}", await _gateway.PostUntilOkAsync("counter", "garbage", "increment", "{\"args\":[1]}", TimeSpan.FromSeconds(30)));
    }
}
