using System;
using System.Text;
using System.Threading.Tasks;
using Rivet.Client;
using Rivet.Client.Engine;
using Rivet.Engine;
using Rivet.Hosting.Runner;
using Rivet.Sdk.Tests.Engine;
using Rivet.Sdk.Tests.Infrastructure;
using Rivet.Sdk.Tests.Runner;

namespace Rivet.Sdk.Tests.EngineClient;

/// <summary>
/// Calls the gateway could not deliver (the actor did not become ready) on the real engine: sent again on every
/// route, and explained when the actor lives in another runner pool.
/// </summary>
[Collection(EngineWaitCollection.Name)]
public sealed class ClientRoutingRetryTests(EngineFixture engine)
{
    [Fact]
    public async Task A_call_by_id_is_sent_again_when_the_actor_was_not_ready_and_reaches_it_once_a_runner_is_there()
    {
        var pool = "late-" + Guid.NewGuid().ToString("N")[..8];
        using (var api = new EngineApiClient(engine.Endpoint))
        {
            await api.UpsertRunnerConfigAsync(pool, EngineRunnerConfig.ForEnvoys());
        }
        var log = new RecordingLogger();
        using var loggers = log.CreateFactory();
        await using var client = RivetClient.Create(new RivetClientOptions { Endpoint = engine.Endpoint, PoolName = pool, LoggerFactory = loggers });
        // Created with no runner in its pool: a call by id waits for the engine's ready timeout (30 s in 2.3.19).
        var handle = await client.CreateAsync("counter", "late-" + Guid.NewGuid().ToString("N"));
        Assert.Equal(ActorQueryKind.ForId, handle.Query.Kind);

        var call = handle.InvokeRawAsync("increment", Encoding.UTF8.GetBytes("[3]"));
        await log.WaitForAsync("did not reach the actor (guard.actor_ready_timeout)", TimeSpan.FromSeconds(120),
            "the first send by id to fail with guard.actor_ready_timeout and be sent again");
        Assert.False(call.IsCompleted, call.IsFaulted ? call.Exception!.ToString() : "the call finished before a runner existed");

        await using var runner = await GatewayHttp.StartRunnerAsync(engine.Endpoint, pool);
        var output = await call.WaitAsync(TimeSpan.FromSeconds(150));
        Assert.Equal("3", Encoding.UTF8.GetString(output.Span));
    }

    [Fact]
    public async Task A_key_that_lives_in_another_pool_fails_with_an_error_naming_that_pool()
    {
        var elsewhere = "elsewhere-" + Guid.NewGuid().ToString("N")[..8];
        var mine = "mine-" + Guid.NewGuid().ToString("N")[..8];
        using (var api = new EngineApiClient(engine.Endpoint))
        {
            await api.UpsertRunnerConfigAsync(elsewhere, EngineRunnerConfig.ForEnvoys());
            await api.UpsertRunnerConfigAsync(mine, EngineRunnerConfig.ForEnvoys());
        }
        var key = "pool-" + Guid.NewGuid().ToString("N");
        await using (var creator = RivetClient.Create(new RivetClientOptions { Endpoint = engine.Endpoint, PoolName = elsewhere }))
        {
            await creator.CreateAsync("counter", key);
        }
        await using var runner = await GatewayHttp.StartRunnerAsync(engine.Endpoint, mine);
        await using var client = RivetClient.Create(new RivetClientOptions { Endpoint = engine.Endpoint, PoolName = mine });

        // One ready timeout (30 s), then the explanation instead of three more attempts.
        var error = await Assert.ThrowsAnyAsync<RivetException>(() =>
            client.GetOrCreate("counter", key).InvokeRawAsync("increment", Encoding.UTF8.GetBytes("[1]")).WaitAsync(TimeSpan.FromSeconds(100)));

        Assert.Equal("guard.actor_ready_timeout", error.Id);
        Assert.Contains($"runner pool '{elsewhere}'", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{mine}'", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.ActorId);
    }
}
