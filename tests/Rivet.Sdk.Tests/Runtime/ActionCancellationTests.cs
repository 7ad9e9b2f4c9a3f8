using System;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Hosting;
using Rivet.Storage;
using Rivet.Testing;

namespace Rivet.Sdk.Tests.Runtime;

/// <summary>An action's CancellationToken on the embedded host: the caller cancelled, the action timed out, or the actor is stopping.</summary>
public sealed class ActionCancellationTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static string NewKey() => "c-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task The_callers_cancellation_fires_the_actions_token_and_discards_its_changes()
    {
        await using var host = await RivetHost.StartAsync(new RivetHostOptions { Storage = new InMemoryActorStorage() });
        var key = NewKey();
        using var cancel = new CancellationTokenSource();
        var call = host.Client.WaitingActor.GetOrCreate(key).WaitForCancellation(cancel.Token);
        await CancellationProbe.Started(key).WaitAsync(Bound);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(Bound));
        await CancellationProbe.Cancelled(key).WaitAsync(Bound);
        Assert.Equal(0, await host.Client.WaitingActor.Get(key).GetCount().WaitAsync(Bound));
    }

    [Fact]
    public async Task An_action_past_its_timeout_sees_its_token_fire_and_fails_with_actor_action_timed_out()
    {
        // On the test host's fake clock: the timeout fires when the clock passes it, not after a real second.
        await using var host = await RivetTestHost.StartAsync();
        var key = NewKey();
        var call = host.Client.ImpatientActor.GetOrCreate(key).WaitForCancellation();
        await CancellationProbe.Started(key).WaitAsync(Bound);

        await host.AdvanceAsync(TimeSpan.FromMilliseconds(999));
        Assert.False(call.IsCompleted, "the action timed out before its 1 s ActionTimeout");
        await host.AdvanceAsync(TimeSpan.FromMilliseconds(1));
        var error = await Assert.ThrowsAsync<RivetException>(() => call.WaitAsync(Bound));

        Assert.Equal("actor.action_timed_out", error.Id);
        Assert.True(CancellationProbe.Cancelled(key).IsCompleted);
        Assert.Equal(0, await host.Client.ImpatientActor.Get(key).GetCount().WaitAsync(Bound));
    }

    [Fact]
    public async Task Stopping_the_host_fires_the_token_of_a_running_action_which_fails_with_actor_aborted()
    {
        var host = await RivetHost.StartAsync(new RivetHostOptions { Storage = new InMemoryActorStorage() });
        var key = NewKey();
        var call = host.Client.WaitingActor.GetOrCreate(key).WaitForCancellation();
        await CancellationProbe.Started(key).WaitAsync(Bound);

        await host.DisposeAsync().AsTask().WaitAsync(Bound);

        await CancellationProbe.Cancelled(key).WaitAsync(Bound);
        var error = await Assert.ThrowsAsync<RivetException>(() => call.WaitAsync(Bound));
        Assert.Equal("actor.aborted", error.Id);
    }
}
