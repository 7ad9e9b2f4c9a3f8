using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Rivet.Runtime;
using Rivet.Testing;

namespace Rivet.Sdk.Testing.Tests.TestHost;

/// <summary>Each capability of <see cref="RivetTestHost"/> beyond the docs' Counter examples, on an actor that waits on its clock.</summary>
public sealed class RivetTestHostTests
{
    private static RivetTestHostOptions Options() => new() { Registry = new ActorRegistry().Add<Clockwork>() };

    [Fact]
    public async Task The_actor_reads_the_fake_clock_and_its_delays_end_when_the_clock_moves()
    {
        await using var host = await RivetTestHost.StartAsync(Options());
        var actor = host.Client.Clockwork.GetOrCreate("a");
        Assert.Equal(RivetTestHostOptions.DefaultStart.ToUnixTimeSeconds(), await actor.NowUnixSeconds());

        var call = actor.AddThenWait(3, 5);
        await host.AdvanceAsync(TimeSpan.FromSeconds(4));
        Assert.False(call.IsCompleted, "the action's 5 s delay ended after 4 s of fake time");
        await host.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(3, await call.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task An_action_past_its_timeout_fails_on_the_fake_clock_and_its_changes_roll_back()
    {
        await using var host = await RivetTestHost.StartAsync(Options());
        var actor = host.Client.Clockwork.GetOrCreate("a");
        await actor.Add(1);

        var call = actor.AddThenWait(5, 3600);
        await host.AdvanceAsync(TimeSpan.FromSeconds(10)); // ActionTimeout is 10 s
        var error = await Assert.ThrowsAsync<RivetException>(() => call.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal("action_timed_out", error.Code);
        Assert.Equal(1, (await host.ReadStateAsync<Clockwork, ClockworkState>("a")).Value);
    }

    [Fact]
    public async Task Idle_sleep_fires_exactly_at_the_sleep_timeout()
    {
        await using var host = await RivetTestHost.StartAsync(Options());
        await host.Client.Clockwork.GetOrCreate("a").Add(1);

        await host.AdvanceAsync(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        Assert.True(await host.IsAwakeAsync<Clockwork>("a"));
        await host.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.False(await host.IsAwakeAsync<Clockwork>("a"));
        var state = await host.ReadStateAsync<Clockwork, ClockworkState>("a");
        Assert.Equal((1, 1), (state.Wakes, state.Sleeps));
    }

    [Fact]
    public async Task A_schedule_wakes_a_sleeping_actor_at_its_time_and_across_a_restart()
    {
        await using var host = await RivetTestHost.StartAsync(Options());
        var actor = host.Client.Clockwork.GetOrCreate("a");
        var due = host.Time.GetUtcNow().AddHours(2);
        await actor.AddAt(7, due.ToUnixTimeSeconds());
        Assert.Equal(due, Assert.Single(await host.ReadScheduleAsync<Clockwork>("a")).At);

        await host.SleepAsync<Clockwork>("a");
        await host.RestartAsync();
        await host.AdvanceAsync(TimeSpan.FromHours(2) - TimeSpan.FromSeconds(1));
        Assert.Equal(0, (await host.ReadStateAsync<Clockwork, ClockworkState>("a")).Value);
        await host.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(7, (await host.ReadStateAsync<Clockwork, ClockworkState>("a")).Value);
        Assert.Empty(await host.ReadScheduleAsync<Clockwork>("a"));
    }

    [Fact]
    public async Task Sleep_asked_by_the_actor_is_awaitable()
    {
        await using var host = await RivetTestHost.StartAsync(Options());
        await host.Client.Clockwork.GetOrCreate("a").GoToSleep();
        await host.WaitUntilAsleepAsync<Clockwork>("a");
        Assert.Equal(1, (await host.ReadStateAsync<Clockwork, ClockworkState>("a")).Sleeps);
    }

    [Fact]
    public async Task A_crash_mid_action_loses_the_action_and_no_sleep_is_saved()
    {
        await using var host = await RivetTestHost.StartAsync(Options());
        var actor = host.Client.Clockwork.GetOrCreate("a");
        await actor.Add(1);

        var call = actor.AddThenWait(100, 60); // changes the state, then waits
        await host.CrashAsync();
        await Assert.ThrowsAsync<RivetException>(() => call.WaitAsync(TimeSpan.FromSeconds(30)));

        var state = await host.ReadStateAsync<Clockwork, ClockworkState>("a");
        Assert.Equal((1, 0), (state.Value, state.Sleeps)); // neither the action's change nor an OnSleep reached storage
        Assert.Equal(2, await actor.Add(1));
    }

    [Fact]
    public async Task A_write_fault_for_one_actor_leaves_the_others_alone()
    {
        await using var host = await RivetTestHost.StartAsync(Options());
        await host.Client.Clockwork.GetOrCreate("a").Add(1);
        await host.Client.Clockwork.GetOrCreate("b").Add(1);

        host.Faults.FailNextWrite(await host.ActorIdAsync<Clockwork>("b"));
        Assert.Equal(2, await host.Client.Clockwork.Get("a").Add(1));
        await Assert.ThrowsAsync<RivetException>(() => host.Client.Clockwork.Get("b").Add(1));
        Assert.Equal(2, await host.Client.Clockwork.Get("b").Add(1));
    }

    [Fact]
    public async Task Events_are_recorded_with_their_actor()
    {
        await using var host = await RivetTestHost.StartAsync(Options());
        await host.Client.Clockwork.GetOrCreate("a").Add(4);
        await host.Client.Clockwork.Get("a").Tick();

        var sent = Assert.Single(host.SentEvents);
        Assert.Equal(("clockwork", "a", "ticked", "[4]"), (sent.ActorName, sent.Key.ToString().Trim('[', ']', '"'), sent.EventName, sent.ArgumentsJson));
        host.ClearSentEvents();
        Assert.Empty(host.SentEvents);
    }

    [Fact]
    public async Task A_failing_seed_is_reported_and_replays_the_same_order()
    {
        var runs = new List<string>();
        Task Step(string name)
        {
            runs.Add(name);
            return name == "b1" && runs.Count < 3 ? throw new InvalidOperationException("b1 ran early") : Task.CompletedTask;
        }
        IReadOnlyList<Func<Task>>[] callers =
        [
            [() => Step("a0"), () => Step("a1")],
            [() => Step("b0"), () => Step("b1")],
        ];
        InterleavingException? failure = null;
        for (var seed = 0; seed < 100 && failure is null; seed++)
        {
            runs.Clear();
            failure = await Record.ExceptionAsync(() => Interleaving.RunAsync(seed, callers)) as InterleavingException;
        }
        Assert.NotNull(failure);
        Assert.Contains($"seed {failure.Seed}", failure.Message);
        var firstRun = runs.ToArray();

        runs.Clear();
        var replay = await Assert.ThrowsAsync<InterleavingException>(() => Interleaving.RunAsync(failure.Seed, callers));
        Assert.Equal(firstRun, runs);
        Assert.Equal(failure.Order, replay.Order);
    }

    [Fact]
    public async Task Bad_settings_and_unknown_actors_fail_with_a_clear_message()
    {
        var bad = await Assert.ThrowsAsync<ArgumentException>(() => RivetTestHost.StartAsync(new RivetTestHostOptions { WaitTimeout = TimeSpan.Zero }));
        Assert.Contains("WaitTimeout", bad.Message);
        await using var host = await RivetTestHost.StartAsync(Options());
        var missing = await Assert.ThrowsAsync<InvalidOperationException>(() => host.SleepAsync<Clockwork>("nobody"));
        Assert.Contains("'clockwork'", missing.Message);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => host.AdvanceAsync(TimeSpan.FromSeconds(-1)));
    }
}
