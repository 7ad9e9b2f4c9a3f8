using System;
using System.Diagnostics;
using System.Threading.Tasks;
using Rivet.Hosting.Runner;
using Rivet.Sdk.Tests.Engine;
using Rivet.Sdk.Tests.Runtime;

namespace Rivet.Sdk.Tests.Runner;

/// <summary>Call cycles through the engine: the chain travels as the x-rivet-call-chain header and the callee fails the call at once.</summary>
[Collection("engine")]
public sealed class RunnerCallCycleTests(EngineFixture engine) : IAsyncLifetime
{
    private readonly string _pool = "cycle-" + Guid.NewGuid().ToString("N")[..8];
    private RivetRunner _runner = null!;

    public async Task InitializeAsync() => _runner = await GatewayHttp.StartRunnerAsync(engine.Endpoint, _pool);

    public async Task DisposeAsync() => await _runner.DisposeAsync();

    [Theory]
    [InlineData("a")]
    [InlineData("b,a")]
    public async Task A_call_cycle_through_the_engine_fails_with_actor_call_cycle_before_the_call_timeout(string route)
    {
        var prefix = Guid.NewGuid().ToString("N")[..8] + "-";
        await using var client = RivetClient.Create(new RivetClientOptions { Endpoint = engine.Endpoint, PoolName = _pool });
        var relay = client.CycleRelay.GetOrCreate(prefix + "a");
        // Placing the actors on a loaded engine can take a while; the cycle itself must not wait for the 60 s call bound.
        Assert.Equal(prefix + "a", await relay.Relay([]).WaitAsync(TimeSpan.FromSeconds(120)));

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<RivetException>(() => relay.Relay(Array.ConvertAll(route.Split(','), k => prefix + k)).WaitAsync(TimeSpan.FromSeconds(120)));

        Assert.Equal("actor.call_cycle", error.Id);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(50), $"the cycle took {clock.Elapsed} to fail (the call bound is 60 s)");
        Assert.Equal(prefix + "a", await relay.Relay([]).WaitAsync(TimeSpan.FromSeconds(60)));
    }
}
