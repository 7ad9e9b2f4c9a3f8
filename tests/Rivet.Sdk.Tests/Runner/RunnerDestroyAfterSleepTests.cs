using System;
using System.Linq;
using System.Threading.Tasks;
using Rivet.Hosting.Runner;
using Rivet.Sdk.Tests.Engine;
using Rivet.Sdk.Tests.Lifecycle;

namespace Rivet.Sdk.Tests.Runner;

/// <summary>A <c>Destroy()</c> right after a <c>Sleep()</c> wins on the runner: the actor ends destroyed, not asleep.</summary>
[Collection("engine")]
public sealed class RunnerDestroyAfterSleepTests(EngineFixture engine) : IAsyncLifetime
{
    private readonly string _pool = "sleepdestroy-" + Guid.NewGuid().ToString("N")[..8];
    private RivetRunner _runner = null!;

    public async Task InitializeAsync() => _runner = await GatewayHttp.StartRunnerAsync(engine.Endpoint, _pool);

    public async Task DisposeAsync() => await _runner.DisposeAsync();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Destroy_right_after_sleep_destroys_the_actor(int run)
    {
        var key = $"sd{run}-" + Guid.NewGuid().ToString("N")[..8];
        await using var client = RivetClient.Create(new RivetClientOptions { Endpoint = engine.Endpoint, PoolName = _pool });
        var probe = client.LifecycleProbe.GetOrCreate(key);
        Assert.Equal(1, await probe.Increment(1).WaitAsync(TimeSpan.FromSeconds(120)));
        var actorId = await probe.ResolveAsync().WaitAsync(TimeSpan.FromSeconds(60));

        // The sleep intent is on its way to the engine when the destroy is asked for (on this generation if the call
        // gets there before the engine's stop, on the next one otherwise): either way the destroy must win.
        await probe.GoToSleep().WaitAsync(TimeSpan.FromSeconds(60));
        await client.LifecycleProbe.Get(key).SelfDestruct().WaitAsync(TimeSpan.FromSeconds(120));

        await Journal.WaitForAsync(key, "destroy", timeoutSeconds: 60);
        using var api = engine.CreateClient();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var actor = await api.GetActorAsync(actorId);
            if (actor is null || actor.IsDestroyed)
            {
                break;
            }
            Assert.True(DateTime.UtcNow < deadline,
                $"actor {actorId} was not destroyed within 60 s of Destroy() after Sleep(); its journal: {string.Join(", ", Journal.Of(key))}");
            await Task.Delay(100);
        }
    }
}
