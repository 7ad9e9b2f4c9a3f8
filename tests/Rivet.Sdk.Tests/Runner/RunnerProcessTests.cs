using System;
using System.Threading.Tasks;
using Rivet.Sdk.Tests.Engine;
using Rivet.Sdk.Tests.Infrastructure;

namespace Rivet.Sdk.Tests.Runner;

/// <summary>The out-of-process runner fixture itself: it connects, serves calls, freezes, and stops gracefully.</summary>
[Collection("engine")]
public sealed class RunnerProcessTests(EngineFixture engine)
{
    [Fact]
    public async Task A_runner_process_serves_calls_survives_a_short_freeze_and_stops_gracefully()
    {
        var pool = "proc-" + Guid.NewGuid().ToString("N")[..8];
        await using var runner = await RunnerProcess.StartAsync(engine.Endpoint, pool);
        using var gateway = new GatewayHttp(engine.Endpoint, pool);

        Assert.Equal("{\"output\":2}", await gateway.PostUntilOkAsync("counter", "fixture", "increment", "{\"args\":[2]}", TimeSpan.FromSeconds(60)));

        // Frozen for less than the engine's ping timeout: the same process answers again once thawed.
        runner.Freeze();
        var pending = gateway.PostAsync("counter", "fixture", "slowIncrement", "{\"args\":[1,10]}");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.False(pending.IsCompleted, "a frozen runner answered a call");
        runner.Thaw();
        Assert.Equal((200, "{\"output\":3}"), await pending.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal("{\"output\":3}", await gateway.PostUntilOkAsync("counter", "fixture", "getCount", "{\"args\":[]}", TimeSpan.FromSeconds(30)));

        await runner.StopAsync(TimeSpan.FromSeconds(60));
        Assert.True(runner.HasExited);
        Assert.Equal(1, runner.CountLines("rivet-test-runner: stopped"));
    }
}
