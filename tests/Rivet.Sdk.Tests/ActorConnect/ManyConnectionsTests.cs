using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using System.Threading.Tasks;
using Rivet.Hosting.Runner;
using Rivet.Protocol.Client;
using Rivet.Sdk.Tests.Engine;
using Rivet.Sdk.Tests.EngineClient;
using Rivet.Sdk.Tests.Runner;
using Xunit.Abstractions;

namespace Rivet.Sdk.Tests.ActorConnect;

/// <summary>
/// Broadcasts to a few hundred <c>/connect</c> sockets on one actor, through the real engine: every socket gets every
/// event in order, or is closed (a loss the client sees); never an open socket with events missing. The same run
/// against RivetKit's TypeScript actor is the baseline. <c>RIVET_FANOUT_CONNECTIONS</c> and
/// <c>RIVET_FANOUT_BROADCASTS</c> scale it up by hand (docs/reliability.md, "Many connections on one actor").
/// </summary>
[Collection("engine")]
public sealed class ManyConnectionsTests(EngineFixture engine, TsActorFixture ts, ITestOutputHelper output)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(3);

    private static int Connections => Setting("RIVET_FANOUT_CONNECTIONS", 300);

    private static int Broadcasts => Setting("RIVET_FANOUT_BROADCASTS", 20);

    [Fact]
    public async Task Broadcasts_to_hundreds_of_connections_on_our_runner_reach_every_socket()
    {
        var pool = "fanout-" + Guid.NewGuid().ToString("N")[..8];
        await using var runner = await GatewayHttp.StartRunnerAsync(engine.Endpoint, pool);
        var report = await RunAsync(engine.Endpoint, pool, "connectRoom", "fanout-" + Guid.NewGuid().ToString("N"));

        Assert.True(report.SilentlyIncomplete == 0 && report.Missing == 0, $"our runner: {report}");
    }

    [Fact]
    public async Task The_same_broadcasts_from_RivetKits_TypeScript_actor_reach_every_socket()
    {
        var report = await RunAsync(ts.Endpoint, TsActorFixture.Pool, TsActorFixture.ActorName, "fanout-" + Guid.NewGuid().ToString("N"));

        Assert.True(report.SilentlyIncomplete == 0 && report.Missing == 0, $"RivetKit's TypeScript actor: {report}");
    }

    [Fact]
    public async Task Sockets_whose_clients_fell_silent_leave_the_actor_within_the_idle_timeout_and_a_talking_client_stays()
    {
        var pool = "idle-" + Guid.NewGuid().ToString("N")[..8];
        var key = "idle-" + Guid.NewGuid().ToString("N");
        // Longer than a socket takes from its open to its subscribe, and than the talker's round (a stats call, an
        // action, 0.5 s), on a loaded machine: at 3 s both were closed as idle under two burners at load ~50.
        var idle = TimeSpan.FromSeconds(10);
        await using var runner = await GatewayHttp.StartRunnerAsync(engine.Endpoint, pool, configure: o => o.ConnectionIdleTimeout = idle);
        using var http = new GatewayHttp(engine.Endpoint, pool);
        await http.PostUntilOkAsync("connectRoom", key, "getCount", """{"args":[]}""", s_timeout);

        // Twenty clients subscribe, then go silent: to the runner, exactly what clients that vanished without their
        // close reaching it look like. One more keeps talking.
        await using var silent = await ConnectFanout.OpenAsync(engine.Endpoint, pool, "connectRoom", key, 20, s_timeout);
        using var talker = await RawConnectSocket.OpenAsync(engine.Endpoint, pool, "connectRoom", key, "json", "/connect");
        Assert.IsType<ConnectInit>(ConnectCodec.DecodeToClient(ClientEncodingKind.Json, await RawConnectSocket.ReceiveAsync(talker, System.Net.WebSockets.WebSocketMessageType.Text)));

        var watch = System.Diagnostics.Stopwatch.StartNew();
        ConnectRoomStats stats;
        ulong id = 0;
        while (true)
        {
            stats = await StatsAsync(http, key);
            if (stats.Disconnects >= 20)
            {
                break;
            }
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(90),
                $"waited 90 s for the 20 silent sockets to leave the actor (idle timeout {idle.TotalSeconds} s); {stats.Disconnects} left");
            await RawConnectSocket.SendTextAsync(talker, System.Text.Encoding.UTF8.GetString(
                ConnectCodec.Encode(ClientEncodingKind.Json, new ConnectActionRequest(id++, "getCount", "[]"u8.ToArray()))));
            await RawConnectSocket.ReceiveAsync(talker, System.Net.WebSockets.WebSocketMessageType.Text);
            await Task.Delay(500);
        }
        output.WriteLine($"20 silent sockets left the actor {watch.Elapsed.TotalSeconds:0.0} s after subscribing (idle timeout {idle.TotalSeconds} s)");

        Assert.Equal(20, stats.Disconnects);                 // only the silent ones
        Assert.Equal(21, stats.Connects);
        var report = await silent.WaitAsync([], TimeSpan.FromSeconds(30));
        Assert.All(report.Sockets, s => Assert.Equal($"1001 {RunnerConnectSockets.IdleTimeoutReason}", s.Close));
    }

    private static async Task<ConnectRoomStats> StatsAsync(GatewayHttp http, string key)
    {
        var output = JsonDocument.Parse(await http.PostUntilOkAsync("connectRoom", key, "stats", """{"args":[]}""", s_timeout)).RootElement.GetProperty("output");
        return new ConnectRoomStats(output.GetProperty("connects").GetInt32(), output.GetProperty("disconnects").GetInt32());
    }

    private sealed record ConnectRoomStats(int Connects, int Disconnects);

    private async Task<FanoutReport> RunAsync(Uri endpoint, string pool, string actor, string key)
    {
        using var http = new GatewayHttp(endpoint, pool);
        var start = JsonDocument.Parse(await http.PostUntilOkAsync(actor, key, "getCount", """{"args":[]}""", s_timeout)).RootElement.GetProperty("output").GetInt64();
        // Every connect takes the actor's turn (and a write of its record): a thousand take minutes on a busy machine.
        var openTimeout = TimeSpan.FromSeconds(Math.Max(s_timeout.TotalSeconds, Connections * 0.6));
        await using var fanout = await ConnectFanout.OpenAsync(endpoint, pool, actor, key, Connections, openTimeout);
        var counts = new List<long>();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < Broadcasts; i++)
        {
            var body = await http.PostUntilOkAsync(actor, key, "increment", """{"args":[1]}""", s_timeout);
            counts.Add(JsonDocument.Parse(body).RootElement.GetProperty("output").GetInt64());
        }
        var broadcastTime = watch.Elapsed;
        // A call retried after a gateway timeout may have run already (HTTP calls are at-least-once): its broadcast
        // is extra, not expected; only the counts the calls returned are.
        var retriedTwice = counts[^1] - start - Broadcasts;
        var report = await fanout.WaitAsync(counts, TimeSpan.FromSeconds(60));
        output.WriteLine($"{actor} on {pool}: {Connections} sockets opened and subscribed in {fanout.OpenTime.TotalSeconds:0.0} s; " +
            $"{Broadcasts} broadcasts sent in {broadcastTime.TotalSeconds:0.0} s ({retriedTwice} retried calls ran twice); {report}");
        return report;
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
}
