using System.Linq;
using System.Threading.Tasks;
using Rivet.Sdk.Tests.Cron;
using Rivet.Sdk.Tests.Lifecycle;

namespace Rivet.Sdk.Tests.Serverless;

// Cron jobs on every host: they repeat, survive a host restart (the host's alarm wakes the actor) and stop when deleted.
public abstract partial class HostBehaviourTests
{
    [Fact]
    public async Task A_cron_job_repeats_survives_a_host_restart_and_stops_when_deleted()
    {
        var key = NewKey();
        await CallUntilOkAsync(() => Client.CronProbe.GetOrCreate(key).StartEvery("tick", 300, 1));
        await Journal.WaitForAsync(key, "tick", count: 2);

        await RestartAsync();
        var ticks = Journal.Of(key).Count(e => e == "tick");
        // Nobody calls the actor after the restart: the job's alarm wakes it.
        await Journal.WaitForAsync(key, "tick", count: ticks + 2, timeoutSeconds: 90);

        var actor = Client.CronProbe.Get(key);
        Assert.True(await CallUntilOkAsync(() => actor.DeleteAndMark("tick", 1200)));
        var after = await actor.GetTicks();
        // Four intervals later the marker runs: a job that survived the delete would have ticked by then.
        await Journal.WaitForAsync(key, "marker", timeoutSeconds: 90);
        Assert.Equal(after, await actor.GetTicks());
    }
}
