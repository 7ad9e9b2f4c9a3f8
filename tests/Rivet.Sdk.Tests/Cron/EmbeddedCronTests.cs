using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Rivet.Hosting;
using Rivet.Sdk.Tests.Lifecycle;
using Rivet.Storage;

namespace Rivet.Sdk.Tests.Cron;

/// <summary>Cron jobs (the generated typed <c>Cron</c>) on the embedded host: repeat, sleep, restart, delete, bad input.</summary>
public sealed class EmbeddedCronTests : IAsyncLifetime
{
    private readonly InMemoryActorStorage _storage = new();
    private RivetHost _host = null!;

    private RivetClient Client => _host.Client;

    public async Task InitializeAsync() => _host = await RivetHost.StartAsync(new RivetHostOptions { Storage = _storage, ReadEnvironment = false });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static string NewKey() => "cron-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task An_interval_job_fires_repeatedly_is_listed_and_delete_stops_it()
    {
        var key = NewKey();
        var actor = Client.CronProbe.GetOrCreate(key);
        var job = await actor.StartEvery("tick", 100, 2);
        Assert.Equal(new CronView("tick", null, null, 100, "tick", job.NextMs), job);

        await Journal.WaitForAsync(key, "tick", count: 3);
        Assert.Equal("tick", Assert.Single(await actor.ListJobs()).Name);
        Assert.True(await actor.HistoryCount("tick") >= 3);

        Assert.True(await actor.DeleteAndMark("tick", 400));
        var ticks = await actor.GetTicks();
        // The marker runs 400 ms (four intervals) after the delete: by then a job that survived would have ticked.
        await Journal.WaitForAsync(key, "marker");
        Assert.Equal(ticks, await actor.GetTicks());
        Assert.Empty(await actor.ListJobs());
        Assert.Null(await actor.GetJob("tick"));
        Assert.False(await actor.DeleteAndMark("tick", 0));
    }

    [Fact]
    public async Task A_cron_expression_in_a_time_zone_wakes_the_sleeping_actor_and_keeps_firing()
    {
        var key = NewKey();
        var actor = Client.CronProbe.GetOrCreate(key);
        // Six fields: every second.
        var job = await actor.StartCron("each-second", "* * * * * *", "Europe/Berlin");
        Assert.Equal(("* * * * * *", "Europe/Berlin", (long?)null), (job.Expression, job.TimeZone, job.IntervalMs));
        await actor.GoToSleep();
        await Journal.WaitForAsync(key, "sleep");

        // Nobody calls the actor: the job's alarm wakes it, and the job re-arms itself run after run.
        var journal = await Journal.WaitForAsync(key, "tick", count: 2);
        Assert.Equal(["wake", "sleep", "wake"], journal.Where(e => e != "tick").Take(3));
        Assert.Equal("each-second", (await actor.GetJob("each-second"))!.Name);
    }

    [Fact]
    public async Task Setting_a_job_again_replaces_it()
    {
        var actor = Client.CronProbe.GetOrCreate(NewKey());
        await actor.StartEvery("job", 60_000, 1);
        var replaced = await actor.StartCron("job", "0 9 * * 1", null);
        var only = Assert.Single(await actor.ListJobs());
        Assert.Equal(replaced, only);
        Assert.Equal(("0 9 * * 1", "UTC"), (only.Expression, only.TimeZone));
        Assert.Equal(DayOfWeek.Monday, DateTimeOffset.FromUnixTimeMilliseconds(only.NextMs).DayOfWeek);
    }

    [Fact]
    public async Task A_bad_expression_or_time_zone_is_refused_with_an_error_naming_it_and_sets_nothing()
    {
        var actor = Client.CronProbe.GetOrCreate(NewKey());
        var badExpression = await actor.TryStartCron("bad", "61 * * * *", null);
        Assert.Contains("'61 * * * *'", badExpression);
        Assert.Contains("'bad'", badExpression);
        var badZone = await actor.TryStartCron("zone", "* * * * *", "Mars/Olympus");
        Assert.Contains("'Mars/Olympus'", badZone);
        Assert.Empty(await actor.ListJobs());
    }

    [Fact]
    public async Task A_job_survives_a_host_restart_on_the_sqlite_store()
    {
        var directory = Path.Combine(Path.GetTempPath(), "rivet-cron-" + Guid.NewGuid().ToString("N"));
        var options = () => new RivetHostOptions { StoragePath = Path.Combine(directory, "actors.db"), ReadEnvironment = false };
        var key = NewKey();
        try
        {
            await using (var first = await RivetHost.StartAsync(options()))
            {
                await first.Client.CronProbe.GetOrCreate(key).StartEvery("tick", 1000, 1);
            }
            var before = Journal.Of(key).Count(e => e == "tick");
            await using var second = await RivetHost.StartAsync(options());
            // The new host's alarm wakes the actor without any call; the job keeps running there.
            await Journal.WaitForAsync(key, "tick", count: before + 2);
            Assert.Equal("tick", Assert.Single(await second.Client.CronProbe.Get(key).ListJobs()).Name);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
