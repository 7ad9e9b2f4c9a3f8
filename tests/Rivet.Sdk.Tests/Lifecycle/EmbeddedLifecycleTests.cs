using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Rivet.Hosting;
using Rivet.Sdk.Tests.Runtime;
using Rivet.Storage;
using Rivet.Testing;

namespace Rivet.Sdk.Tests.Lifecycle;

/// <summary>
/// Sleep, wake, destroy, schedules and actor-to-actor calls on the embedded host. Tests that depend on time (idle sleep,
/// schedules, alarms) run on the test host's fake clock (Rivet.Sdk.Testing): the same runtime, no real waiting.
/// </summary>
public sealed class EmbeddedLifecycleTests : IAsyncLifetime
{
    private readonly InMemoryActorStorage _storage = new();
    private RivetHost _host = null!;

    private RivetClient Client => _host.Client;

    public async Task InitializeAsync() => _host = await RivetHost.StartAsync(new RivetHostOptions { Storage = _storage, ReadEnvironment = false });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static string NewKey() => "life-" + Guid.NewGuid().ToString("N");

    private static Task<RivetTestHost> StartTestHostAsync(IActorStorage? storage = null) =>
        RivetTestHost.StartAsync(new RivetTestHostOptions { Storage = storage });

    [Fact]
    public async Task OnCreate_can_schedule_and_a_destroy_asked_for_while_starting_takes_effect()
    {
        await using var host = await StartTestHostAsync();
        var key = NewKey();
        Assert.Equal(0, await host.Client.EagerProbe.GetOrCreate(key, "stay").GetCount());
        await host.AdvanceAsync(TimeSpan.FromMilliseconds(49));
        Assert.DoesNotContain("tick:from-create", Journal.Of(key));
        await host.AdvanceAsync(TimeSpan.FromMilliseconds(1)); // OnCreate scheduled the tick 50 ms after the start
        Assert.Contains("tick:from-create", Journal.Of(key));

        var doomed = NewKey();
        var handle = host.Client.EagerProbe.GetOrCreate(doomed, "vanish");
        var id = await handle.ResolveAsync();
        try
        {
            await handle.GetCount(); // starts it; it asks to be destroyed from OnWake, so this call may be refused
        }
        catch (RivetException e) when (e.Code is "stopped" or RivetErrors.NotFound)
        {
        }
        await host.WaitUntilSettledAsync();
        Assert.Contains("destroy", Journal.Of(doomed));
        Assert.Equal("actor.not_found", (await Assert.ThrowsAsync<RivetException>(() => host.Client.EagerProbe.GetForId(id).GetCount())).Id);
    }

    [Fact]
    public async Task The_first_start_runs_create_then_wake_and_a_wake_after_sleep_runs_only_wake_with_the_state_intact()
    {
        var key = NewKey();
        var actor = Client.LifecycleProbe.GetOrCreate(key);
        Assert.Equal(2, await actor.Increment(2));
        Assert.Equal(new[] { "create", "wake", "increment:2" }, Journal.Of(key));

        await actor.GoToSleep();
        await Journal.WaitForAsync(key, "sleep");

        Assert.Equal(2, await actor.GetCount());
        Assert.Equal(new[] { "create", "wake", "increment:2", "sleep", "wake" }, Journal.Of(key));
        Assert.Equal(5, await actor.Increment(3));
    }

    [Fact]
    public async Task Fields_of_the_actor_are_ephemeral_and_start_over_on_every_wake()
    {
        var key = NewKey();
        var actor = Client.LifecycleProbe.GetOrCreate(key);
        var first = await actor.Vars();
        Assert.Equal(1, first.CallsSinceWake);
        Assert.Equal(new VarsView(first.InstanceId, 2), await actor.Vars());

        await actor.GoToSleep();
        await Journal.WaitForAsync(key, "sleep");

        var afterWake = await actor.Vars();
        Assert.NotEqual(first.InstanceId, afterWake.InstanceId);
        Assert.Equal(1, afterWake.CallsSinceWake);
    }

    [Fact]
    public async Task An_idle_actor_goes_to_sleep_by_itself_and_the_next_call_wakes_it_with_its_state()
    {
        await using var host = await StartTestHostAsync();
        var key = NewKey();
        var actor = host.Client.DrowsyProbe.GetOrCreate(key);
        Assert.Equal(5, await actor.Increment(5));

        await host.AdvanceAsync(TimeSpan.FromMilliseconds(299)); // its SleepTimeout is 300 ms
        Assert.Equal(new[] { "wake" }, Journal.Of(key));
        await host.AdvanceAsync(TimeSpan.FromMilliseconds(1));
        Assert.Equal(new[] { "wake", "sleep" }, Journal.Of(key));
        Assert.False(await host.IsAwakeAsync<DrowsyProbe>(key));

        Assert.Equal(5, await actor.GetCount());
        Assert.Equal("wake", Journal.Of(key)[2]);
    }

    [Fact]
    public async Task Destroy_from_an_action_runs_OnDestroy_forgets_the_id_and_frees_the_key_for_a_new_actor()
    {
        var key = NewKey();
        var actor = Client.LifecycleProbe.GetOrCreate(key);
        Assert.Equal(4, await actor.Increment(4));
        var oldId = await actor.ResolveAsync();

        await actor.SelfDestruct();
        await Journal.WaitForAsync(key, "destroy");
        Assert.Equal(new[] { "create", "wake", "increment:4", "destroy" }, Journal.Of(key));

        var gone = await Assert.ThrowsAsync<RivetException>(() => Client.LifecycleProbe.GetForId(oldId).GetCount());
        Assert.Equal("actor.not_found", gone.Id);
        Assert.Equal("actor.not_found", (await Assert.ThrowsAsync<RivetException>(() => Client.LifecycleProbe.Get(key).GetCount())).Id);

        // The key is free: a new actor with a new id and fresh state.
        var again = Client.LifecycleProbe.GetOrCreate(key);
        Assert.Equal(0, await again.GetCount());
        Assert.NotEqual(oldId, await again.ResolveAsync());
        Assert.Equal(new[] { "create", "wake", "increment:4", "destroy", "create", "wake" }, Journal.Of(key));

        // The first handle reached the destroyed instance last (the host's lookup cache): it reaches the new actor now.
        Assert.Equal(1, await actor.Increment(1));
        Assert.Equal(1, await again.GetCount());
    }

    [Fact]
    public async Task A_scheduled_action_runs_while_the_actor_is_awake_and_leaves_the_schedule()
    {
        await using var host = await StartTestHostAsync();
        var key = NewKey();
        var actor = host.Client.LifecycleProbe.GetOrCreate(key);
        var scheduled = await actor.ScheduleIncrement(200, 3);
        Assert.Equal("increment", scheduled.Action);
        Assert.Equal("[3]", scheduled.Arguments);
        Assert.Equal((host.Time.GetUtcNow() + TimeSpan.FromMilliseconds(200)).ToUnixTimeMilliseconds(), scheduled.AtMs);

        await host.AdvanceAsync(TimeSpan.FromMilliseconds(200));
        Assert.Contains("increment:3", Journal.Of(key));
        Assert.Equal(3, await actor.GetCount());
        Assert.Empty(await actor.ListSchedule());
        Assert.DoesNotContain("sleep", Journal.Of(key));
    }

    [Fact]
    public async Task A_scheduled_action_wakes_the_sleeping_actor_when_it_is_due()
    {
        await using var host = await StartTestHostAsync();
        var key = NewKey();
        var actor = host.Client.LifecycleProbe.GetOrCreate(key);
        await actor.ScheduleAndSleep(1500, 4);
        await host.WaitUntilAsleepAsync<LifecycleProbe>(key);

        // Nobody calls the actor: its alarm wakes it, on time.
        await host.AdvanceAsync(TimeSpan.FromMilliseconds(1499));
        Assert.Equal(new[] { "create", "wake", "sleep" }, Journal.Of(key));
        await host.AdvanceAsync(TimeSpan.FromMilliseconds(1));
        Assert.Equal(new[] { "create", "wake", "sleep", "wake", "increment:4" }, Journal.Of(key));
        Assert.Equal(4, await actor.GetCount());
        Assert.Empty(await actor.ListSchedule());
    }

    [Fact]
    public async Task A_schedule_survives_a_host_restart_on_the_sqlite_store()
    {
        var directory = Path.Combine(Path.GetTempPath(), "rivet-schedule-" + Guid.NewGuid().ToString("N"));
        var key = NewKey();
        try
        {
            await using var storage = new SqliteActorStorage(Path.Combine(directory, "actors.db"));
            await using var host = await StartTestHostAsync(storage);
            await host.Client.LifecycleProbe.GetOrCreate(key).ScheduleIncrement(2000, 6);

            // Stopping the host put the actor to sleep; the new host's alarm wakes it without any call.
            await host.RestartAsync();
            Assert.Equal(new[] { "create", "wake", "sleep" }, Journal.Of(key));
            await host.AdvanceAsync(TimeSpan.FromSeconds(2));
            Assert.Equal(new[] { "create", "wake", "sleep", "wake", "increment:6" }, Journal.Of(key));
            Assert.Equal(6, await host.Client.LifecycleProbe.Get(key).GetCount());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task The_schedule_lists_pending_events_earliest_first_cancels_them_and_keeps_them_across_a_sleep()
    {
        var key = NewKey();
        var actor = Client.LifecycleProbe.GetOrCreate(key);
        var late = await actor.ScheduleIncrement(120_000, 2);
        var early = await actor.ScheduleIncrement(60_000, 1);

        var listed = await actor.ListSchedule();
        Assert.Equal(new[] { early, late }, listed);
        Assert.NotEqual(early.Id, late.Id);
        Assert.True(Guid.TryParse(early.Id, out _));

        Assert.True(await actor.CancelScheduled(early.Id));
        Assert.False(await actor.CancelScheduled(early.Id));
        Assert.Equal(new[] { late }, await actor.ListSchedule());

        // An action that throws drops what it scheduled, with its state changes.
        var error = await Assert.ThrowsAsync<RivetException>(() => actor.ScheduleThenFail(1000, 9));
        Assert.Equal("schedule_then_fail", error.Code);
        Assert.Equal(new[] { late }, await actor.ListSchedule());
        Assert.Equal(0, await actor.GetCount());

        await actor.GoToSleep();
        await Journal.WaitForAsync(key, "sleep");
        Assert.Equal(new[] { late }, await actor.ListSchedule());
    }

    [Fact]
    public async Task An_actor_calls_another_actor_through_its_context_client()
    {
        var counterKey = "counter-" + Guid.NewGuid().ToString("N");
        var actor = Client.LifecycleProbe.GetOrCreate(NewKey());
        Assert.Equal(7, await actor.CallCounter(counterKey, 7));
        Assert.Equal(9, await actor.CallCounter(counterKey, 2));
        Assert.Equal(9, await Client.Counter.Get(counterKey).GetCount());
    }

    [Fact]
    public async Task Disposing_the_host_puts_running_actors_to_sleep_and_the_next_host_wakes_them_with_their_state()
    {
        var key = NewKey();
        var storage = new InMemoryActorStorage();
        await using (var host = await RivetHost.StartAsync(new RivetHostOptions { Storage = storage, ReadEnvironment = false }))
        {
            Assert.Equal(3, await host.Client.LifecycleProbe.GetOrCreate(key).Increment(3));
        }
        Assert.Equal("sleep", Journal.Of(key).Last());
        await using var next = await RivetHost.StartAsync(new RivetHostOptions { Storage = storage, ReadEnvironment = false });
        Assert.Equal(3, await next.Client.LifecycleProbe.Get(key).GetCount());
        Assert.Equal(new[] { "create", "wake", "increment:3", "sleep", "wake" }, Journal.Of(key));
    }
}
