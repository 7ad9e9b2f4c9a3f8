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
    public async Task After_a_timed_out_action_the_next_actions_get_a_token_that_has_not_fired_and_still_time_out()
    {
        // Calls whose own token cannot cancel share one token source per actor, reset between actions; a source that
        // fired (here: the timeout) must never be handed to a later action.
        await using var host = await RivetTestHost.StartAsync();
        var key = NewKey();
        var actor = host.Client.ImpatientActor.GetOrCreate(key);
        for (var i = 0; i < 3; i++)
        {
            Assert.False(await actor.TokenFired().WaitAsync(Bound), "a fresh action's token had fired already");
        }

        for (var round = 0; round < 2; round++)
        {
            var probe = key + "-" + round;
            var call = actor.WaitAs(probe);
            await CancellationProbe.Started(probe).WaitAsync(Bound);
            await host.AdvanceAsync(TimeSpan.FromSeconds(1));
            var error = await Assert.ThrowsAsync<RivetException>(() => call.WaitAsync(Bound));
            Assert.Equal("actor.action_timed_out", error.Id);
            Assert.False(await actor.TokenFired().WaitAsync(Bound), $"the action after timeout {round + 1} got a token that had fired");
        }
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
