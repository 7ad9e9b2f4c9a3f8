using System;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Rivet.Sdk.Tests.Behaviour;

namespace Rivet.Sdk.Tests.Serverless;

// Queues and the run loop, on every host.
public abstract partial class HostBehaviourTests
{
    [Fact]
    public async Task Queue_messages_are_handled_in_order_and_a_waiting_sender_gets_the_completion()
    {
        var worker = Client.QueueWorker.GetOrCreate(NewKey());
        await worker.SendJobs(new Job("a"));
        await worker.SendJobs(new Job("b"));
        var result = await worker.SendJobsAndWait(new Job("c"), TimeSpan.FromSeconds(30));
        Assert.Equal(QueueSendStatus.Completed, result.Status);
        Assert.Equal(new JobResult("C", 3), result.Response);
        Assert.Equal(["a", "b", "c"], await worker.GetDone());
        Assert.Equal(0, await worker.Queued("jobs"));
    }

    [Fact]
    public async Task Queue_sends_are_checked_and_a_wait_on_an_unhandled_message_times_out()
    {
        var worker = Client.QueueWorker.GetOrCreate(NewKey());
        var tooLarge = await Assert.ThrowsAsync<RivetException>(() => worker.SendHold(new Job(new string('x', 70_000))));
        Assert.Equal("queue.message_too_large", tooLarge.Id);
        var invalid = await Assert.ThrowsAsync<RivetException>(() => worker.Handle.SendRawAsync("hold", Encoding.UTF8.GetBytes("{\"nope\":1}")));
        Assert.Equal("actor.invalid_request", invalid.Id);
        var refused = await Assert.ThrowsAsync<RivetException>(() => worker.SendClosed(new Job("x")));
        Assert.Equal("auth.forbidden", refused.Id);
        // Nobody receives "hold": the wait ends, the message stays.
        Assert.Equal(QueueSendStatus.TimedOut, await worker.SendHoldAndWait(new Job("h"), TimeSpan.FromMilliseconds(300)));
        Assert.Equal(1, await worker.Queued("hold"));
        Assert.Equal(0, await worker.Queued("closed"));
    }

    [Fact]
    public async Task Queued_messages_survive_a_restart_of_the_host()
    {
        var key = NewKey();
        var worker = Client.QueueWorker.GetOrCreate(key);
        await worker.SendHold(new Job("h1"));
        await worker.SendHold(new Job("h2"));
        Assert.Equal("c", (await worker.SendJobsAndWait(new Job("c"))).Response!.Upper.ToLowerInvariant());
        await RestartAsync();
        Assert.Equal(2, await CallUntilOkAsync(() => Client.QueueWorker.GetOrCreate(key).Queued("hold")));
        Assert.Equal(["c"], await Client.QueueWorker.Get(key).GetDone());
    }

    [Fact]
    public async Task A_run_loop_that_throws_undoes_the_message_which_is_handled_again_after_the_wake()
    {
        var key = NewKey();
        var worker = Client.QueueWorker.GetOrCreate(key);
        await worker.SendJobs(new Job("boom", FailOnce: true));
        await Probe.WaitForAsync(key, "failed boom", Patience);
        // The failed turn was undone and the actor went to sleep; the next call wakes it and the loop gets the job again.
        var deadline = DateTime.UtcNow + Patience;
        while (!(await CallUntilOkAsync(() => worker.GetDone())).SequenceEqual(["boom"]))
        {
            Assert.True(DateTime.UtcNow < deadline, $"the job was not handled again within {Patience.TotalSeconds} s after the run loop threw");
            await Task.Delay(100);
        }
    }
}
