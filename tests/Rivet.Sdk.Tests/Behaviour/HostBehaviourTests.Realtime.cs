using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Rivet.Client;
using Rivet.Sdk.Tests.Behaviour;
using Rivet.Sdk.Tests.Runtime;

namespace Rivet.Sdk.Tests.Serverless;

// Issue 5's behaviour suite: connections, events, lifecycle, schedule and actor-to-actor calls, run on the
// embedded, runner and serverless hosts by the subclasses in HostBehaviourTests.cs.
public abstract partial class HostBehaviourTests
{
    /// <summary>Engine hosts keep connections across sleep (hibernation) and reconnect them across host restarts.</summary>
    protected abstract bool IsEngineHost { get; }

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Events_fan_out_to_every_subscribed_connection()
    {
        var room = Client.Room.GetOrCreate(NewKey());
        var connections = new List<RoomConnection>();
        var received = new List<Received<int>>();
        try
        {
            for (var i = 0; i < 6; i++)
            {
                var connection = await room.Connect(new JoinParams("m" + i));
                connections.Add(connection);
                var counts = new Received<int>();
                connection.OnNewCount(counts.Add);
                received.Add(counts);
                await connection.GetCount(); // the subscription is registered once a later call on the socket answers
            }
            Assert.Equal(3, await room.Increment(3));
            foreach (var counts in received)
            {
                await counts.WaitForAsync(3);
            }
            Assert.Equal(["m0", "m1", "m2", "m3", "m4", "m5"], await room.Members());
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task An_unsubscribed_connection_stops_receiving_and_streams_deliver_events()
    {
        var room = Client.Room.GetOrCreate(NewKey());
        await using var connection = await room.Connect(new JoinParams("ada"));
        var counts = new Received<int>();
        var markers = new Received<string>();
        var subscription = connection.OnNewCount(counts.Add);
        connection.OnMarker(markers.Add);
        using var cancel = new System.Threading.CancellationTokenSource(Patience);
        var stream = connection.NewCountEvents(cancel.Token).GetAsyncEnumerator(cancel.Token);
        var first = stream.MoveNextAsync().AsTask();
        await connection.GetCount();

        await room.Increment(1);
        await counts.WaitForAsync(1);
        Assert.True(await first);
        Assert.Equal(1, stream.Current);
        await markers.WaitForAsync("after-increment-1");

        subscription.Dispose();
        await stream.DisposeAsync();
        await connection.GetCount();
        await room.Increment(1);
        await markers.WaitForAsync("after-increment-2");
        Assert.Equal([1], counts.Snapshot());
    }

    [Fact]
    public async Task A_rejected_connection_gets_the_actors_error_and_never_connects()
    {
        var key = NewKey();
        var room = Client.Room.GetOrCreate(key);
        var error = await Assert.ThrowsAsync<RivetException>(() => room.Connect(new JoinParams("mallory", "bad")));
        Assert.Equal("user.forbidden", error.Id);
        Assert.Contains("mallory", error.Message, StringComparison.Ordinal);
        Assert.Empty(await room.Members());
        Assert.DoesNotContain("connect:mallory", await room.GetLog());
    }

    [Fact]
    public async Task Connection_params_and_state_reach_the_actor_and_events_can_target_one_connection()
    {
        var key = NewKey();
        var room = Client.Room.GetOrCreate(key);
        var ada = await room.Connect(new JoinParams("ada"));
        await using var bob = await room.Connect(new JoinParams("bob"));
        var adaHeard = new Received<string>();
        var bobHeard = new Received<string>();
        var bobMarkers = new Received<string>();
        ada.OnWhisper(e => adaHeard.Add(e.From + ":" + e.Text));
        bob.OnWhisper(e => bobHeard.Add(e.From + ":" + e.Text));
        bob.OnMarker(bobMarkers.Add);
        Assert.Equal("ada", await ada.WhoAmI());
        Assert.Equal("bob", await bob.WhoAmI());
        Assert.Equal(["ada", "bob"], await room.Members());

        Assert.True(await bob.WhisperTo("ada", "hi"));
        await adaHeard.WaitForAsync("bob:hi");
        await bob.Mark("sync");
        await bobMarkers.WaitForAsync("sync");
        Assert.Empty(bobHeard.Snapshot());

        await ada.DisposeAsync();
        await Probe.WaitForAsync(key, "disconnect:ada", Patience);
        Assert.Equal(["bob"], await room.Members());
        Assert.Null(await room.WhoAmI()); // a stateless call has no connection
    }

    [Fact]
    public async Task Hooks_run_in_order_and_state_and_vars_behave_across_sleep()
    {
        var key = NewKey();
        var room = Client.Room.GetOrCreate(key);
        Assert.Equal(2, await room.Increment(2));
        var before = await room.Incarnation();
        await room.GoToSleep();
        await Probe.WaitForAsync(key, "sleep", Patience);

        Assert.Equal(2, await CallUntilOkAsync(() => room.GetCount()));
        Assert.NotEqual(before, await room.Incarnation());
        Assert.Equal(["create", "wake", "sleep", "wake"], await room.GetLog());
    }

    [Fact]
    public async Task A_connection_keeps_working_while_its_actor_sleeps_and_wakes()
    {
        var key = NewKey();
        var room = Client.Room.GetOrCreate(key);
        await using var connection = await room.Connect(new JoinParams("ada"));
        var counts = new Received<int>();
        connection.OnNewCount(counts.Add);
        Assert.Equal(1, await connection.Increment(1));
        await counts.WaitForAsync(1);
        var connectionId = connection.Connection.ConnectionId;

        await connection.GoToSleep();
        await Probe.WaitForAsync(key, "sleep", Patience);

        Assert.Equal(6, await CallUntilOkAsync(() => connection.Increment(5)));
        await counts.WaitForAsync(6);
        var log = await room.GetLog();
        Assert.Equal(2, log.Count(e => e == "wake"));
        if (IsEngineHost)
        {
            // Hibernated: the socket stayed open at the gateway, the actor restored the same connection.
            Assert.Equal(connectionId, connection.Connection.ConnectionId);
            Assert.Equal(1, log.Count(e => e == "connect:ada"));
        }
        Assert.Equal(ActorConnectionStatus.Open, connection.Connection.Status);
    }

    [Fact]
    public async Task A_schedule_wakes_the_sleeping_actor_and_runs()
    {
        var key = NewKey();
        var room = Client.Room.GetOrCreate(key);
        await room.ScheduleTick(4000, "t1");
        Assert.Equal(["tick"], await room.PendingTicks());
        await room.GoToSleep();
        await Probe.WaitForAsync(key, "sleep", Patience);

        await Probe.WaitForAsync(key, "tick:t1", Patience);
        var entries = Probe.Entries(key).ToList();
        var slept = entries.IndexOf("sleep");
        Assert.True(slept < entries.LastIndexOf("wake") && entries.LastIndexOf("wake") < entries.IndexOf("tick:t1"),
            "expected sleep, then wake, then the tick: " + string.Join(", ", entries));
        Assert.Empty(await room.PendingTicks());
    }

    [Fact]
    public async Task A_schedule_survives_a_restart_of_the_host_and_a_cancelled_one_never_runs()
    {
        var key = NewKey();
        var room = Client.Room.GetOrCreate(key);
        var cancelled = await room.ScheduleTick(2500, "cancelled");
        await room.ScheduleTick(3000, "t2");
        Assert.True(await room.CancelTick(cancelled));
        Assert.False(await room.CancelTick(cancelled));

        await RestartAsync();

        await Probe.WaitForAsync(key, "tick:t2", Patience);
        Assert.DoesNotContain("tick:cancelled", Probe.Entries(key));
        Assert.DoesNotContain("tick:cancelled", await CallUntilOkAsync(() => Client.Room.Get(key).GetLog()));
    }

    [Fact]
    public async Task A_destroyed_actor_is_gone_and_its_key_can_be_created_again()
    {
        var key = NewKey();
        var room = Client.Room.GetOrCreate(key);
        Assert.Equal(7, await room.Increment(7));
        var firstId = await room.ResolveAsync();
        await room.SelfDestruct();
        await Probe.WaitForAsync(key, "destroy", Patience);

        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            try
            {
                await Client.Room.GetForId(firstId).GetCount();
            }
            catch (RivetException error) when (error.Code == RivetErrors.NotFound)
            {
                break;
            }
            catch (RivetException) when (DateTime.UtcNow < deadline)
            {
            }
            Assert.True(DateTime.UtcNow < deadline, "the destroyed actor still answers");
            await Task.Delay(200);
        }

        var again = Client.Room.GetOrCreate(key);
        Assert.Equal(0, await CallUntilOkAsync(() => again.GetCount()));
        Assert.NotEqual(firstId, await again.ResolveAsync());
        Assert.Equal(["create", "wake"], await again.GetLog());
    }

    [Fact]
    public async Task An_actor_calls_another_actor_through_its_context_client()
    {
        var counterKey = NewKey();
        var room = Client.Room.GetOrCreate(NewKey());
        Assert.Equal(4, await room.CallCounter(counterKey, 4));
        Assert.Equal(9, await room.CallCounter(counterKey, 5));
        Assert.Equal(9, await Client.Counter.Get(counterKey).GetCount());
    }

    [Fact]
    public async Task A_connection_across_a_host_restart()
    {
        var key = NewKey();
        var room = Client.Room.GetOrCreate(key);
        await using var connection = await room.Connect(new JoinParams("ada"));
        var counts = new Received<int>();
        connection.OnNewCount(counts.Add);
        Assert.Equal(1, await connection.Increment(1));

        await RestartAsync();

        if (IsEngineHost)
        {
            // The client reconnects by itself and subscribes again.
            Assert.Equal(2, await CallUntilOkAsync(() => connection.Increment(1)));
            await counts.WaitForAsync(2);
            Assert.Equal(ActorConnectionStatus.Open, connection.Connection.Status);
        }
        else
        {
            // In-process connections end with their host (the client's one reconnect attempt finds it disposed);
            // the new host serves new connections.
            var deadline = DateTime.UtcNow + Patience;
            while (connection.Connection.Status != ActorConnectionStatus.Closed)
            {
                Assert.True(DateTime.UtcNow < deadline, $"the connection is still {connection.Connection.Status} after its host stopped");
                await Task.Delay(20);
            }
            await using var again = await Client.Room.Get(key).Connect(new JoinParams("ada"));
            Assert.Equal(2, await again.Increment(1));
        }
    }

    /// <summary>Collects what a subscription delivered and lets a test wait for a value.</summary>
    private sealed class Received<T>
    {
        private readonly ConcurrentQueue<T> _items = new();

        public void Add(T item) => _items.Enqueue(item);

        public T[] Snapshot() => _items.ToArray();

        public async Task WaitForAsync(T expected)
        {
            var deadline = DateTime.UtcNow + Patience;
            while (!_items.Contains(expected))
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"Never received {expected}; received: {string.Join(", ", _items)}");
                }
                await Task.Delay(20);
            }
        }
    }
}
