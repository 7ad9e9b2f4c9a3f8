using System;
using System.Diagnostics;
using System.Threading.Channels;
using System.Threading.Tasks;
using Rivet.Sdk.Tests.Behaviour;
using Rivet.Sdk.Tests.Runtime;

namespace Rivet.Sdk.Tests.MultiNode;

public sealed partial class MultiNodeTests
{
    /// <summary>
    /// A graceful restart of the runner's node: the runner moves to node B, calls through B go on, and once node A is
    /// back a client that knows only node A reaches the same actor with its state.
    /// </summary>
    [Fact]
    public async Task A_restarted_node_serves_the_same_actors_again()
    {
        var runner = await StartRunnerAsync(cluster.NodeA, cluster.NodeB);
        var onlyA = Client(cluster.NodeA);
        var onlyB = Client(cluster.NodeB);
        var key = "restart-" + Guid.NewGuid().ToString("N")[..8];
        Assert.Equal(5, await onlyA.Counter.GetOrCreate(key).Increment(5).WaitAsync(CallBound));

        var restart = Stopwatch.StartNew();
        await cluster.NodeA.StopAsync(); // SIGTERM: the node hands its database lease over before it exits
        var down = restart.Elapsed;
        Assert.Equal(6, await onlyB.Counter.Get(key).Increment(1).WaitAsync(RecoveryBound));
        var servedByB = restart.Elapsed;

        await cluster.NodeA.RestartAsync();
        var up = restart.Elapsed;
        Assert.Equal(7, await onlyA.Counter.Get(key).Increment(1).WaitAsync(RecoveryBound));
        output.WriteLine($"node A stopped in {down.TotalSeconds:0.0} s; node B served the actor {(servedByB - down).TotalSeconds:0.0} s later; "
            + $"node A up again after {(up - servedByB).TotalSeconds:0.0} s and served the actor {(restart.Elapsed - up).TotalSeconds:0.0} s later; "
            + $"runner now on {runner.Envoy.CurrentEndpoint}");
    }

    /// <summary>
    /// A realtime connection through node B (node A as failover), to an actor whose runner is on node A: after
    /// <c>kill -9</c> of a node the connection reconnects by itself (through the other node when its own is gone) and receives events of
    /// increments made after the loss.
    /// </summary>
    /// <summary>Connection cases: the suite loses the connection's node (B, not holding the lease); the long run all four.</summary>
    public static TheoryData<string, bool> ConnectionLosses()
    {
        var data = new TheoryData<string, bool> { { "B", false } };
        if (Full)
        {
            data.Add("B", true);
            data.Add("A", true);
            data.Add("A", false);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ConnectionLosses))]
    public async Task A_connection_across_a_node_loss_reconnects_and_receives_events_again(string killed, bool leaseHolder)
    {
        var node = killed == "A" ? cluster.NodeA : cluster.NodeB;
        await cluster.MakeLeaseHolderAsync(leaseHolder ? node : Other(node));
        await StartRunnerAsync(cluster.NodeA, cluster.NodeB);
        var client = Client(cluster.NodeB, cluster.NodeA);
        var room = client.Room.GetOrCreate("conn-" + Guid.NewGuid().ToString("N")[..8]);
        await UntilAnsweredAsync(() => room.GetCount(), CallBound); // placed (a node just restarted to move the lease can be slow to serve)
        await using var connection = await room.Connect(new JoinParams("watcher")).WaitAsync(CallBound);
        var events = Channel.CreateUnbounded<int>();
        connection.OnNewCount(count => events.Writer.TryWrite(count));
        await connection.GetCount().WaitAsync(CallBound); // the subscription is registered once a later call on the socket answers
        Assert.Equal(1, await room.Increment(1).WaitAsync(CallBound));
        Assert.Equal(1, await NextEventAsync(events.Reader, 1, CallBound));

        var fault = Stopwatch.StartNew();
        await MultiNodeEngineFixture.KillAsync(node);

        // Events are not durable: those broadcast while the socket is down are gone. Increment until one made after
        // the loss reaches the reconnected connection.
        int? received = null;
        var increments = 0;
        while (received is null)
        {
            if (fault.Elapsed > RecoveryBound)
            {
                throw new TimeoutException($"No event reached the connection within {RecoveryBound.TotalSeconds:0} s of losing node {killed} ({increments} increments answered).");
            }
            int count;
            try
            {
                count = await room.Increment(1).WaitAsync(RecoveryBound);
                increments++;
            }
            catch (Exception e) when (e is RivetException or TimeoutException)
            {
                output.WriteLine($"+{fault.Elapsed.TotalSeconds:0.0} s increment failed: {e.Message}");
                continue;
            }
            received = await NextEventOrNullAsync(events.Reader, count, TimeSpan.FromSeconds(2));
        }
        output.WriteLine($"kill -9 of node {killed} ({(leaseHolder ? "holding" : "not holding")} the database lease): the connection received event {received} {fault.Elapsed.TotalSeconds:0.0} s after the loss ({increments} increments)");
    }

    private static async Task<int> NextEventAsync(ChannelReader<int> reader, int expected, TimeSpan timeout) =>
        await NextEventOrNullAsync(reader, expected, timeout)
        ?? throw new TimeoutException($"The connection did not receive newCount {expected} within {timeout.TotalSeconds:0} s.");

    /// <summary>Reads events until one is <paramref name="expected"/> or later; null when none comes within <paramref name="timeout"/>.</summary>
    private static async Task<int?> NextEventOrNullAsync(ChannelReader<int> reader, int expected, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            using var wait = new System.Threading.CancellationTokenSource(timeout - deadline.Elapsed);
            try
            {
                var count = await reader.ReadAsync(wait.Token);
                if (count >= expected)
                {
                    return count;
                }
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }
        return null;
    }
}
