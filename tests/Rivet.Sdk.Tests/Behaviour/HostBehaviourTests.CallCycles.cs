using System;
using System.Diagnostics;
using System.Threading.Tasks;
using Rivet.Sdk.Tests.Runtime;

namespace Rivet.Sdk.Tests.Serverless;

// No call waits forever: a call that comes back to an actor waiting on it fails fast with actor.call_cycle, on every host.
public abstract partial class HostBehaviourTests
{
    [Theory]
    [InlineData("a")]      // a → a
    [InlineData("b,a")]    // a → b → a
    [InlineData("b,c,a")]  // a → b → c → a
    public async Task A_call_cycle_of_one_two_or_three_actors_fails_fast_with_actor_call_cycle(string route)
    {
        var prefix = NewKey() + "-";
        var relay = Client.CycleRelay.GetOrCreate(prefix + "a");
        // Placing the actors on a loaded engine can take a while; the cycle itself must not wait for the 60 s call bound.
        Assert.Equal(prefix + "a", await CallUntilOkAsync(() => relay.Relay([])));

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<RivetException>(() => relay.Relay(Array.ConvertAll(route.Split(','), k => prefix + k)).WaitAsync(Patience));

        Assert.Equal("actor.call_cycle", error.Id);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(50), $"the cycle took {clock.Elapsed} to fail (the call bound is 60 s)");
        Assert.Equal(prefix + "a", await relay.Relay([]).WaitAsync(Patience));
    }
}
