using System;
using System.Diagnostics;
using System.Threading.Tasks;
using Rivet.Hosting.Runner;
using Rivet.Runtime;
using Rivet.Sdk.Tests.Engine;
using Rivet.Sdk.Tests.Infrastructure;

namespace Rivet.Sdk.Tests.Runner;

/// <summary>
/// The runner's own stops (its last local stop on shutdown, and dropping its actors after a loss) go through each
/// actor's operation queue on the real engine: an actor whose start is still in progress is stopped or dropped once
/// the start ends, instead of being left running on a runner that stopped or was written off.
/// </summary>
[Collection("engine")]
public sealed class RunnerLocalStopTests(EngineFixture engine)
{
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Stopping_a_runner_while_an_actor_starts_stops_that_actor_with_its_sleep_path_before_StopAsync_returns()
    {
        var pool = "localstop-" + Guid.NewGuid().ToString("N")[..8];
        var key = "starting-" + Guid.NewGuid().ToString("N")[..8];
        var probe = SlowWakeProbe.For(key);
        var log = new RecordingLogger();
        using var loggers = log.CreateFactory();
        var runner = await RivetRunner.StartAsync(
            new RunnerOptions { Endpoint = engine.Endpoint, PoolName = pool, ReconnectDelay = TimeSpan.FromMilliseconds(200) },
            ActorRegistry.Default, loggers, client: null, default);
        await using var client = RivetClient.Create(new RivetClientOptions { Endpoint = engine.Endpoint, PoolName = pool });
        var call = client.SlowWakeActor.GetOrCreate(key).Increment();
        try
        {
            await probe.Waking.Task.WaitAsync(s_bound);

            var stop = runner.StopAsync();
            await log.WaitForAsync("actor(s) here without the engine", s_bound, "the runner's last local stop to queue behind the start in progress");
            probe.Release.TrySetResult();
            await stop.WaitAsync(s_bound);

            Assert.True(probe.Slept.Task.IsCompleted, "StopAsync returned before the actor whose start was in progress went through its sleep path");
            Assert.Equal(0, runner.RunningActors);
        }
        finally
        {
            probe.Release.TrySetResult();
            _ = call.ContinueWith(t => t.Exception, TaskScheduler.Default);
            await runner.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_runner_evicted_while_an_actor_starts_drops_that_actor_once_the_start_ends()
    {
        var pool = "locallost-" + Guid.NewGuid().ToString("N")[..8];
        var runnerKey = "evicted-" + Guid.NewGuid().ToString("N")[..8];
        var key = "starting-" + Guid.NewGuid().ToString("N")[..8];
        var probe = SlowWakeProbe.For(key);
        var first = await GatewayHttp.StartRunnerAsync(engine.Endpoint, pool, runnerKey);
        await using var client = RivetClient.Create(new RivetClientOptions { Endpoint = engine.Endpoint, PoolName = pool });
        var call = client.SlowWakeActor.GetOrCreate(key).Increment();
        try
        {
            await probe.Waking.Task.WaitAsync(s_bound);

            // A second runner with the same key evicts the first: it gives its actors up (OnActorsLost).
            await using var second = await GatewayHttp.StartRunnerAsync(engine.Endpoint, pool, runnerKey);
            await first.Envoy.Completion.WaitAsync(s_bound);
            Assert.True(first.IsEvicted);
            probe.Release.TrySetResult();

            var clock = Stopwatch.StartNew();
            while (first.RunningActors != 0)
            {
                Assert.True(clock.Elapsed < s_bound, $"the evicted runner still runs {first.RunningActors} actor(s) {clock.Elapsed.TotalSeconds:0} s after the start it had in progress ended");
                await Task.Delay(50);
            }
        }
        finally
        {
            probe.Release.TrySetResult();
            _ = call.ContinueWith(t => t.Exception, TaskScheduler.Default);
            await first.DisposeAsync();
        }
    }
}
