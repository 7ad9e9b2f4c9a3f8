using System;
using System.Threading.Tasks;
using Rivet.Hosting.Runner;
using Rivet.Sdk.Tests.Engine;
using Rivet.Sdk.Tests.Runtime;

namespace Rivet.Sdk.Tests.Runner;

/// <summary>Idempotency keys through the engine: the key travels as the x-rivet-idempotency-key header to the runner.</summary>
[Collection("engine")]
public sealed class RunnerIdempotencyTests(EngineFixture engine) : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);
    private readonly string _pool = "idem-" + Guid.NewGuid().ToString("N")[..8];
    private RivetRunner _runner = null!;

    public async Task InitializeAsync() => _runner = await GatewayHttp.StartRunnerAsync(engine.Endpoint, _pool);

    public async Task DisposeAsync() => await _runner.DisposeAsync();

    [Fact]
    public async Task The_same_key_twice_through_the_engine_runs_the_action_once_even_after_a_sleep()
    {
        await using var client = RivetClient.Create(new RivetClientOptions { Endpoint = engine.Endpoint, PoolName = _pool });
        var ledger = client.IdemLedger.GetOrCreate(Guid.NewGuid().ToString("N"));
        var keyed = ledger.WithIdempotencyKey(Guid.NewGuid().ToString("N"));

        Assert.Equal(7, await keyed.Deposit(7).WaitAsync(Bound));
        Assert.Equal(7, await keyed.Deposit(7).WaitAsync(Bound));
        Assert.Equal(1, await ledger.Runs().WaitAsync(Bound));

        // Restored from the engine's KV by the next instance.
        await ledger.GoToSleep().WaitAsync(Bound);
        Assert.Equal(7, await keyed.Deposit(7).WaitAsync(Bound));
        Assert.Equal(1, await ledger.Runs().WaitAsync(Bound));

        Assert.Equal(14, await ledger.WithIdempotencyKey("other").Deposit(7).WaitAsync(Bound));
        Assert.Equal(2, await ledger.Runs().WaitAsync(Bound));
    }
}
