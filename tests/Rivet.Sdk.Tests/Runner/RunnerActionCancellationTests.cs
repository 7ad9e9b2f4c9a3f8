using System;
using System.Threading.Tasks;
using Rivet.Hosting.Runner;
using Rivet.Sdk.Tests.Engine;
using Rivet.Sdk.Tests.Runtime;

namespace Rivet.Sdk.Tests.Runner;

/// <summary>An action's CancellationToken on a runner: it fires when the action times out and when the runner stops.</summary>
[Collection("engine")]
public sealed class RunnerActionCancellationTests(EngineFixture engine)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task An_action_past_its_timeout_fails_with_actor_action_timed_out_through_the_engine()
    {
        var pool = "cancel-" + Guid.NewGuid().ToString("N")[..8];
        await using var runner = await GatewayHttp.StartRunnerAsync(engine.Endpoint, pool);
        await using var client = RivetClient.Create(new RivetClientOptions { Endpoint = engine.Endpoint, PoolName = pool });
        var key = "t-" + Guid.NewGuid().ToString("N");

        var error = await Assert.ThrowsAsync<RivetException>(() => client.ImpatientActor.GetOrCreate(key).WaitForCancellation().WaitAsync(Bound));

        Assert.Equal("actor.action_timed_out", error.Id);
        Assert.True(CancellationProbe.Cancelled(key).IsCompleted);
        Assert.Equal(0, await client.ImpatientActor.Get(key).GetCount().WaitAsync(Bound));
    }

    [Fact]
    public async Task Stopping_the_runner_fires_the_token_of_a_running_action()
    {
        var pool = "cancel-" + Guid.NewGuid().ToString("N")[..8];
        var runner = await GatewayHttp.StartRunnerAsync(engine.Endpoint, pool);
        await using var client = RivetClient.Create(new RivetClientOptions { Endpoint = engine.Endpoint, PoolName = pool });
        var key = "s-" + Guid.NewGuid().ToString("N");
        var call = client.WaitingActor.GetOrCreate(key).WaitForCancellation();
        await CancellationProbe.Started(key).WaitAsync(Bound);

        var stopping = runner.DisposeAsync().AsTask();

        await CancellationProbe.Cancelled(key).WaitAsync(Bound);
        await stopping.WaitAsync(Bound);
        await Assert.ThrowsAnyAsync<Exception>(() => call.WaitAsync(Bound));
    }

    [Fact]
    public async Task A_call_over_a_connection_that_gets_no_answer_fails_within_the_clients_request_timeout()
    {
        var pool = "cancel-" + Guid.NewGuid().ToString("N")[..8];
        await using var runner = await GatewayHttp.StartRunnerAsync(engine.Endpoint, pool);
        await using var client = RivetClient.Create(new RivetClientOptions
        {
            Endpoint = engine.Endpoint,
            PoolName = pool,
            RequestTimeout = TimeSpan.FromSeconds(3),
        });
        var key = "c-" + Guid.NewGuid().ToString("N");
        await using var connection = await client.WaitingActor.GetOrCreate(key).Connect().WaitAsync(Bound);

        // The action never answers (no action timeout, nobody cancels it): the caller must not wait forever.
        var error = await Assert.ThrowsAsync<TimeoutException>(() => connection.WaitForCancellation().WaitAsync(Bound));

        Assert.Contains("waitForCancellation", error.Message, StringComparison.Ordinal);
        Assert.Contains("3 s", error.Message, StringComparison.Ordinal);
    }
}
