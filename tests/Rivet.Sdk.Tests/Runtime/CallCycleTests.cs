using System;
using System.Diagnostics;
using System.Threading.Tasks;
using Rivet.Hosting;
using Rivet.Storage;

namespace Rivet.Sdk.Tests.Runtime;

/// <summary>
/// An action that calls, directly or through other actors, an actor that is waiting on it could never start (one
/// action at a time per actor): the embedded host fails it at once with <c>actor.call_cycle</c>.
/// </summary>
public sealed class CallCycleTests : IAsyncLifetime
{
    /// <summary>Well under the 60 s actor-to-actor call bound: a cycle must be detected, not timed out.</summary>
    private static readonly TimeSpan FailFast = TimeSpan.FromSeconds(30);

    private RivetHost _host = null!;

    public async Task InitializeAsync() => _host = await RivetHost.StartAsync(new RivetHostOptions { Storage = new InMemoryActorStorage() });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public static TheoryData<string[]> Cycles => new()
    {
        new[] { "a" },            // a → a
        new[] { "b", "a" },       // a → b → a
        new[] { "b", "c", "a" },  // a → b → c → a
        new[] { "b", "c", "b" },  // a → b → c → b
    };

    [Theory, MemberData(nameof(Cycles))]
    public async Task A_call_cycle_fails_at_once_with_actor_call_cycle_and_the_actors_keep_answering(string[] route)
    {
        var prefix = Guid.NewGuid().ToString("N")[..8] + "-";
        var keys = Array.ConvertAll(route, k => prefix + k);
        var relay = _host.Client.CycleRelay.GetOrCreate(prefix + "a");

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<RivetException>(() => relay.Relay(keys).WaitAsync(FailFast));

        Assert.Equal("actor.call_cycle", error.Id);
        Assert.Contains("one action at a time", error.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < FailFast, $"the cycle took {clock.Elapsed} to fail");
        // Nothing is left waiting: every actor of the route takes calls again.
        foreach (var key in keys)
        {
            Assert.Equal(key, await _host.Client.CycleRelay.Get(key).Relay([]).WaitAsync(FailFast));
        }
        Assert.Equal(prefix + "a", await relay.Relay([]).WaitAsync(FailFast));
    }

    [Fact]
    public async Task A_chain_without_a_cycle_runs_and_may_visit_an_actor_again_once_its_call_returned()
    {
        var prefix = Guid.NewGuid().ToString("N")[..8] + "-";
        var relay = _host.Client.CycleRelay.GetOrCreate(prefix + "a");

        Assert.Equal($"{prefix}a>{prefix}b>{prefix}c", await relay.Relay([prefix + "b", prefix + "c"]).WaitAsync(FailFast));
        // Sequential calls from one action to the same actor are no cycle.
        Assert.Equal($"{prefix}b>{prefix}c", await _host.Client.CycleRelay.Get(prefix + "b").Relay([prefix + "c"]).WaitAsync(FailFast));
    }
}
