using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Engine;
using Rivet.Hosting.Runner;
using Rivet.Sdk.Tests.Engine;
using Rivet.Sdk.Tests.Runner;
using Rivet.Sdk.Tests.Runtime;
using Xunit.Abstractions;

namespace Rivet.Sdk.Tests.MultiNode;

/// <summary>
/// The multi-node engine (<see cref="MultiNodeEngineFixture"/>: Postgres, NATS, nodes A and B) with runners and
/// clients that know both nodes: calls through either node reach the actor, and after <c>kill -9</c> of either node
/// mid-traffic no acknowledged write is lost and every actor answers again within the engine's rescheduling time.
/// In the "engine-waits" collection: its cluster is its own, and its longest tests wait on the engine's rescheduling
/// after a node loss, so they run next to the busy "engine" collection; every test leaves both nodes running. <c>RIVET_MULTINODE_FULL=1</c> runs every node-loss case with more traffic (the long run in
/// docs/deployment.md).
/// </summary>
[Collection(EngineWaitCollection.Name)]
public sealed partial class MultiNodeTests(MultiNodeEngineFixture cluster, ITestOutputHelper output) : IClassFixture<MultiNodeEngineFixture>, IAsyncLifetime
{
    /// <summary>How long an actor may take to answer again after a node loss: the engine's ~15-20 s rescheduling, doubled for a busy machine.</summary>
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(60);

    /// <summary>The bound of one call when nothing fails (a cold actor placement on a busy machine included).</summary>
    private static readonly TimeSpan CallBound = TimeSpan.FromSeconds(60);

    private readonly string _pool = "multinode-" + Guid.NewGuid().ToString("N")[..8];
    private readonly List<IAsyncDisposable> _owned = new();

    public async Task InitializeAsync()
    {
        await MultiNodeEngineFixture.EnsureRunningAsync(cluster.NodeA);
        await MultiNodeEngineFixture.EnsureRunningAsync(cluster.NodeB);
    }

    public async Task DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }
        await MultiNodeEngineFixture.EnsureRunningAsync(cluster.NodeA);
        await MultiNodeEngineFixture.EnsureRunningAsync(cluster.NodeB);
    }

    [Fact]
    public async Task Calls_through_either_node_reach_the_same_actor_whose_runner_is_on_node_A()
    {
        await StartRunnerAsync(cluster.NodeA, cluster.NodeB);
        var viaA = Client(cluster.NodeA);
        var viaB = Client(cluster.NodeB);
        var key = "either-" + Guid.NewGuid().ToString("N")[..8];

        Assert.Equal(1, await viaA.Counter.GetOrCreate(key).Increment(1).WaitAsync(CallBound));
        Assert.Equal(3, await viaB.Counter.GetOrCreate(key).Increment(2).WaitAsync(CallBound));
        Assert.Equal(3, await viaA.Counter.Get(key).GetCount().WaitAsync(CallBound));

        var calls = Full ? 400 : 40;
        var runnerNode = await TimeCallsAsync(viaA.Counter.Get(key), calls);
        var otherNode = await TimeCallsAsync(viaB.Counter.Get(key), calls);
        Assert.Equal(3 + 2 * calls, await viaB.Counter.Get(key).GetCount().WaitAsync(CallBound));
        output.WriteLine($"{calls} sequential increments each: via the runner's node A median {runnerNode.Median:0.00} ms (p90 {runnerNode.P90:0.00}), "
            + $"via node B median {otherNode.Median:0.00} ms (p90 {otherNode.P90:0.00})");
    }

    /// <summary>
    /// Which node is killed, and whether it holds the database lease then. The suite runs the worst case for the
    /// runner (its node, holding the lease) and the common case for clients (their node, not holding it);
    /// <c>RIVET_MULTINODE_FULL=1</c> runs all four.
    /// </summary>
    public static TheoryData<string, bool> NodeLosses()
    {
        var data = new TheoryData<string, bool> { { "A", true }, { "B", false } };
        if (Full)
        {
            data.Add("A", false);
            data.Add("B", true);
        }
        return data;
    }

    /// <summary>
    /// Runner on node A, clients on node B (with A as failover), traffic on several actors with an idempotency key per
    /// write, retried until acknowledged; then <c>kill -9</c> of one node. Every write acknowledged is in the actor's
    /// state exactly once, and every actor answers again within <see cref="RecoveryBound"/>.
    /// </summary>
    [Theory]
    [MemberData(nameof(NodeLosses))]
    public async Task Killing_a_node_mid_traffic_loses_no_acknowledged_write_and_every_actor_answers_again(string killed, bool leaseHolder)
    {
        var node = killed == "A" ? cluster.NodeA : cluster.NodeB;
        await cluster.MakeLeaseHolderAsync(leaseHolder ? node : Other(node));
        var runner = await StartRunnerAsync(cluster.NodeA, cluster.NodeB);
        var client = Client(cluster.NodeB, cluster.NodeA);
        var actors = Full ? 16 : 4;
        var ledgers = Enumerable.Range(0, actors).Select(i => client.IdemLedger.GetOrCreate($"kill{killed}-{i}-{Guid.NewGuid():N}")).ToArray();
        foreach (var ledger in ledgers)
        {
            // Placed before the fault. A read is safe to repeat: a placement slower than the client's 15 s request
            // timeout (a node just restarted to move the lease, a busy machine) is asked again.
            Assert.Equal(0, await UntilAnsweredAsync(() => ledger.Runs(), CallBound));
        }

        var traffic = new Traffic(ledgers);
        using var stop = new CancellationTokenSource();
        var workers = traffic.Run(stop.Token);
        await traffic.WaitForAcknowledgedAsync(ledgers.Length * 5, CallBound);

        traffic.MarkFault();
        await MultiNodeEngineFixture.KillAsync(node);

        try
        {
            await traffic.WaitForEveryActorAfterFaultAsync(RecoveryBound);
        }
        finally
        {
            await stop.CancelAsync();
            await workers;
        }

        for (var i = 0; i < ledgers.Length; i++)
        {
            var acknowledged = traffic.Acknowledged(i);
            var keyed = ledgers[i].WithIdempotencyKey("final-read"); // repeating a keyed Deposit(0) cannot count twice
            Assert.Equal(acknowledged, await UntilAnsweredAsync(() => keyed.Deposit(0), CallBound)); // every acknowledged deposit of 1, once
            Assert.Equal(acknowledged + 1, await UntilAnsweredAsync(() => ledgers[i].Runs(), CallBound)); // no deposit ran twice (+1: the Deposit(0))
        }
        if (killed == "A")
        {
            Assert.Equal(cluster.NodeB.Endpoint, runner.Envoy.CurrentEndpoint);
        }
        output.WriteLine($"kill -9 of node {killed} ({(killed == "A" ? "the runner's" : "the clients'")}, {(leaseHolder ? "holding" : "not holding")} the database lease): {traffic.Describe()}");
    }

    private async Task<RivetRunner> StartRunnerAsync(RivetEngineProcess node, params RivetEngineProcess[] failovers)
    {
        var runner = await GatewayHttp.StartRunnerAsync(node.Endpoint, _pool, configure: o => o.FailoverEndpoints = failovers.Select(f => f.Endpoint).ToList());
        _owned.Add(runner);
        return runner;
    }

    /// <summary>
    /// A client of <paramref name="node"/> failing over to <paramref name="failovers"/>. Its request timeout is 15 s: an
    /// action in flight through a node that dies can be left unanswered (the gateway never hears back), and the
    /// traffic sends it again with its key once the timeout ends it.
    /// </summary>
    private RivetClient Client(RivetEngineProcess node, params RivetEngineProcess[] failovers)
    {
        var client = RivetClient.Create(new RivetClientOptions
        {
            Endpoint = node.Endpoint,
            FailoverEndpoints = failovers.Select(f => f.Endpoint).ToList(),
            PoolName = _pool,
            RequestTimeout = TimeSpan.FromSeconds(15),
        });
        _owned.Add(client);
        return client;
    }

    /// <summary>A call that is safe to repeat, repeated after timeouts and routing errors until it answers; fails after <paramref name="bound"/>.</summary>
    private static async Task<int> UntilAnsweredAsync(Func<Task<int>> call, TimeSpan bound)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception e) when ((e is TimeoutException || (e is RivetException r && r.Group != "user")) && deadline.Elapsed < bound)
            {
                await Task.Delay(250);
            }
        }
    }

    private static async Task<(double Median, double P90)> TimeCallsAsync(CounterHandle counter, int calls)
    {
        await counter.GetCount().WaitAsync(CallBound); // warm: route learned, connection pooled
        var times = new double[calls];
        for (var i = 0; i < calls; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await counter.Increment(1).WaitAsync(CallBound);
            times[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
        Array.Sort(times);
        return (times[calls / 2], times[(int)(calls * 0.9)]);
    }

    /// <summary>The long run (<c>RIVET_MULTINODE_FULL=1</c>): every node-loss case, more actors and calls.</summary>
    private static bool Full => Environment.GetEnvironmentVariable("RIVET_MULTINODE_FULL") == "1";

    private RivetEngineProcess Other(RivetEngineProcess node) => node == cluster.NodeA ? cluster.NodeB : cluster.NodeA;
}
