using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using CounterSample;
using Rivet.Client;
using Rivet.Runtime;
using Rivet.Testing;

namespace Rivet.Sdk.Testing.Tests.Docs;

/// <summary>
/// The examples of docs/testing.md, one test of each kind, on the Counter sample. The page quotes the regions
/// between "// docs:NAME" and "// end" verbatim; DocsExamplesTests keeps the two the same.
/// </summary>
public sealed class CounterTestingExamples
{
    private static RivetTestHostOptions Options() => new() { Registry = new ActorRegistry().Add<Counter>() };

    [Fact]
    public async Task Virtual_time_idle_sleep_and_a_schedule()
    {
        // docs:virtual-time
        await using var host = await RivetTestHost.StartAsync(Options());
        var counter = host.Client.Counter.GetOrCreate("room-1");
        await counter.Increment(5);
        await counter.IncrementLater(10, 60);             // Increment(10) in a minute

        await host.AdvanceAsync(TimeSpan.FromSeconds(31)); // idle past SleepTimeout (30 s): it sleeps
        Assert.False(await host.IsAwakeAsync<Counter>("room-1"));

        await host.AdvanceAsync(TimeSpan.FromSeconds(30)); // the alarm wakes it; the scheduled call runs
        Assert.Equal(15, await host.ReadStateAsync<Counter, CounterState>("room-1") is { } s ? s.Count : -1);
        Assert.Empty(await host.ReadScheduleAsync<Counter>("room-1"));
        // end
    }

    [Fact]
    public async Task Lifecycle_sleep_wake_restart_destroy()
    {
        // docs:lifecycle
        await using var host = await RivetTestHost.StartAsync(Options());
        var counter = host.Client.Counter.GetOrCreate("room-1");
        await counter.Increment(1);

        await host.SleepAsync<Counter>("room-1");         // OnSleep runs, the state is saved
        Assert.False(await host.IsAwakeAsync<Counter>("room-1"));
        await host.WakeAsync<Counter>("room-1");          // OnWake runs, no call needed
        Assert.True(await host.IsAwakeAsync<Counter>("room-1"));

        await host.RestartAsync();                         // a new process on the same storage
        Assert.Equal(2, await counter.Increment(1));       // handles survive the restart

        await host.DestroyAsync<Counter>("room-1");       // OnDestroy runs, the key is free again
        Assert.False(await host.ExistsAsync<Counter>("room-1"));
        Assert.Equal(1, await host.Client.Counter.GetOrCreate("room-1").Increment(1));
        // end
    }

    [Fact]
    public async Task Faults_failed_write_and_host_lost_after_a_save()
    {
        // docs:faults
        await using var host = await RivetTestHost.StartAsync(Options());
        var counter = host.Client.Counter.GetOrCreate("room-1");
        await counter.Increment(1);

        host.Faults.FailNextWrite();                       // the save fails: the action fails, the state rolls back
        var failed = await Assert.ThrowsAsync<RivetException>(() => counter.Increment(10));
        Assert.Equal("internal_error", failed.Code);
        Assert.Equal(1, await counter.GetCount());

        host.Faults.LoseHostAfterNextWrite();              // saved, but the host dies before it answers
        await Assert.ThrowsAsync<RivetException>(() => counter.Increment(10));
        await host.CrashAsync();                           // the restarted process finds the write
        Assert.Equal(11, await counter.GetCount());
        // end
    }

    [Fact]
    public async Task Faults_a_dropped_connection_reconnects()
    {
        // docs:dropped-connection
        await using var host = await RivetTestHost.StartAsync(Options());
        await using var connection = await host.Client.Counter.GetOrCreate("room-1").Connect();
        Assert.Equal(1, await connection.Increment(1));
        var reopened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Connection.StatusChanged += status =>
        {
            if (status == ActorConnectionStatus.Open) reopened.TrySetResult();
        };

        Assert.Equal(1, await host.DropConnectionsAsync<Counter>("room-1")); // as if the network failed
        await reopened.Task.WaitAsync(TimeSpan.FromSeconds(30));            // it reconnects by itself
        Assert.Equal(2, await connection.Increment(1));
        // end
    }

    [Fact]
    public async Task Concurrency_seeded_interleavings()
    {
        // docs:concurrency
        for (var seed = 0; seed < 20; seed++)
        {
            await using var host = await RivetTestHost.StartAsync(Options());
            var seen = new List<int>();
            // Three callers, each reads the count and then adds to it: 6 steps, interleaved by the seed.
            var callers = Enumerable.Range(0, 3).Select(i =>
            {
                var counter = host.Client.Counter.GetOrCreate("shared");
                return (IReadOnlyList<Func<Task>>)
                [
                    async () => seen.Add(await counter.GetCount()),
                    async () => seen.Add(await counter.Increment(i + 1)),
                ];
            }).ToArray();

            var order = await Interleaving.RunAsync(seed, callers); // a failure names its seed: replay it alone
            Assert.Equal(6, await host.Client.Counter.Get("shared").GetCount());
            Assert.Equal(order, Interleaving.Order(seed, [2, 2, 2]));
        }
        // end
    }

    [Fact]
    public async Task State_seed_read_and_sent_events()
    {
        // docs:state
        await using var host = await RivetTestHost.StartAsync(Options());
        await host.SeedStateAsync<Counter, CounterState>("room-1", new CounterState { Count = 41 });

        Assert.Equal(42, await host.Client.Counter.Get("room-1").Increment(1));
        Assert.Equal(42, (await host.ReadStateAsync<Counter, CounterState>("room-1")).Count);
        var sent = Assert.Single(host.SentEvents);        // what the actor broadcast, listened to or not
        Assert.Equal(("newCount", 42), (sent.EventName, sent.Argument<int>()));
        // end
    }
}
