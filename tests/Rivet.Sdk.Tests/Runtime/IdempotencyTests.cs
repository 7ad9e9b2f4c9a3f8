using System;
using System.Threading.Tasks;
using Rivet.Hosting;
using Rivet.Runtime;
using Rivet.Storage;

namespace Rivet.Sdk.Tests.Runtime;

/// <summary>Idempotency keys on the embedded host: a repeat answers the remembered result without running the action again.</summary>
public sealed class IdempotencyTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private RivetHost _host = null!;

    public async Task InitializeAsync() => _host = await RivetHost.StartAsync(new RivetHostOptions { Storage = new InMemoryActorStorage() });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task The_same_key_twice_runs_the_action_once_and_answers_the_same_result_even_after_a_sleep()
    {
        var ledger = _host.Client.IdemLedger.GetOrCreate(Guid.NewGuid().ToString("N"));
        var keyed = ledger.WithIdempotencyKey("deposit-1");

        Assert.Equal(10, await keyed.Deposit(10).WaitAsync(Bound));
        Assert.Equal(10, await keyed.Deposit(10).WaitAsync(Bound));
        Assert.Equal(1, await ledger.Runs().WaitAsync(Bound));

        // The key is saved with the state: a new instance of the actor still knows it.
        await ledger.GoToSleep().WaitAsync(Bound);
        Assert.Equal(10, await keyed.Deposit(10).WaitAsync(Bound));
        Assert.Equal(1, await ledger.Runs().WaitAsync(Bound));
        // Calls without a key are not affected.
        Assert.Equal(15, await ledger.Deposit(5).WaitAsync(Bound));
        Assert.Equal(2, await ledger.Runs().WaitAsync(Bound));
    }

    [Fact]
    public async Task Different_keys_run_the_action_each_time()
    {
        var ledger = _host.Client.IdemLedger.GetOrCreate(Guid.NewGuid().ToString("N"));

        Assert.Equal(10, await ledger.WithIdempotencyKey("a").Deposit(10).WaitAsync(Bound));
        Assert.Equal(20, await ledger.WithIdempotencyKey("b").Deposit(10).WaitAsync(Bound));
        Assert.Equal(2, await ledger.Runs().WaitAsync(Bound));
    }

    [Fact]
    public async Task The_actor_remembers_the_last_keys_up_to_the_bound_and_forgets_the_oldest()
    {
        var ledger = _host.Client.IdemLedger.GetOrCreate(Guid.NewGuid().ToString("N"));
        for (var i = 0; i <= Idempotency.Capacity; i++)
        {
            await ledger.WithIdempotencyKey("k" + i).Deposit(1).WaitAsync(Bound);
        }
        Assert.Equal(Idempotency.Capacity + 1, await ledger.Runs().WaitAsync(Bound));

        // k1 … k64 are remembered; k0 was evicted by the 65th key and runs again.
        await ledger.WithIdempotencyKey("k1").Deposit(1).WaitAsync(Bound);
        await ledger.WithIdempotencyKey("k" + Idempotency.Capacity).Deposit(1).WaitAsync(Bound);
        Assert.Equal(Idempotency.Capacity + 1, await ledger.Runs().WaitAsync(Bound));
        await ledger.WithIdempotencyKey("k0").Deposit(1).WaitAsync(Bound);
        Assert.Equal(Idempotency.Capacity + 2, await ledger.Runs().WaitAsync(Bound));
    }

    [Fact]
    public async Task A_key_reused_for_another_action_or_with_a_result_too_large_to_keep_fails_clearly_without_running_again()
    {
        var ledger = _host.Client.IdemLedger.GetOrCreate(Guid.NewGuid().ToString("N"));
        await ledger.WithIdempotencyKey("op").Deposit(1).WaitAsync(Bound);
        var conflict = await Assert.ThrowsAsync<RivetException>(() => ledger.WithIdempotencyKey("op").Big(1).WaitAsync(Bound));
        Assert.Equal("actor.idempotency_key_conflict", conflict.Id);

        var big = ledger.WithIdempotencyKey("big");
        Assert.Equal(Idempotency.MaxResultSize, (await big.Big(Idempotency.MaxResultSize).WaitAsync(Bound)).Length);
        var notKept = await Assert.ThrowsAsync<RivetException>(() => big.Big(Idempotency.MaxResultSize).WaitAsync(Bound));
        Assert.Equal("actor.idempotent_result_not_kept", notKept.Id);
        Assert.Equal(2, await ledger.Runs().WaitAsync(Bound));

        Assert.Throws<ArgumentException>(() => ledger.WithIdempotencyKey("has space"));
        Assert.Throws<ArgumentException>(() => ledger.WithIdempotencyKey(new string('k', Idempotency.MaxKeyLength + 1)));
    }
}
