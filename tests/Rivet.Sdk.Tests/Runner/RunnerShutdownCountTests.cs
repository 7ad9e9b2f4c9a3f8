using System;
using System.Diagnostics;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Rivet.Hosting.Runner;
using Rivet.Runtime;
using Rivet.Sdk.Tests.Engine;
using Rivet.Sdk.Tests.Infrastructure;
using Rivet.Sdk.Tests.Runtime;

namespace Rivet.Sdk.Tests.Runner;

/// <summary>A runner stopping while an action ignores its token: bounded by ShutdownTimeout, and the log counts the busy actor.</summary>
[Collection("engine")]
public sealed class RunnerShutdownCountTests(EngineFixture engine)
{
    [Fact]
    public async Task Stopping_a_runner_mid_action_is_bounded_and_counts_the_actor_still_in_its_action()
    {
        var pool = "stopcount-" + Guid.NewGuid().ToString("N")[..8];
        var logs = new CapturingLoggerProvider();
        using var logging = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        var shutdownTimeout = TimeSpan.FromSeconds(3);
        var runner = await RivetRunner.StartAsync(
            new RunnerOptions { Endpoint = engine.Endpoint, PoolName = pool, ShutdownTimeout = shutdownTimeout, ReconnectDelay = TimeSpan.FromMilliseconds(200) },
            ActorRegistry.Default, logging, client: null, default);
        var key = "count-" + Guid.NewGuid().ToString("N")[..8];
        await using var client = RivetClient.Create(new RivetClientOptions { Endpoint = engine.Endpoint, PoolName = pool });
        var call = client.StubbornActor.GetOrCreate(key).Hold();
        try
        {
            await CancellationProbe.Started(key).WaitAsync(TimeSpan.FromSeconds(120));

            var clock = Stopwatch.StartNew();
            await runner.StopAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(clock.Elapsed < shutdownTimeout + TimeSpan.FromSeconds(10), $"stopping took {clock.Elapsed.TotalSeconds:0.0} s (ShutdownTimeout {shutdownTimeout.TotalSeconds} s)");
            Assert.Contains("stopping 1 locally", logs.AllText, StringComparison.Ordinal);
            // The last local stop, bounded by ShutdownTimeout here (shorter than the sleep grace), names the actor it cut off.
            Assert.Contains($"did not stop here within {shutdownTimeout.TotalSeconds} s", logs.AllText, StringComparison.Ordinal);
        }
        finally
        {
            StubbornActor.Release(key);
            _ = call.ContinueWith(t => t.Exception, TaskScheduler.Default);
            await runner.DisposeAsync();
        }
    }
}
