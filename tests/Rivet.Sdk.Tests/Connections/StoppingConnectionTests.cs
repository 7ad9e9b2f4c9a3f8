using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Runtime;
using Rivet.Runtime.Lifecycle;
using Rivet.Storage.Persistence;
using Xunit;
using static Rivet.Sdk.Tests.Connections.ConnectionTestHost;

namespace Rivet.Sdk.Tests.Connections;

/// <summary>What a stopping actor does with its connections (<see cref="ActorInstance.CloseConnectionsForStopAsync"/>).</summary>
public sealed class StoppingConnectionTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Sleep_keeps_hibernatable_connections_and_closes_the_others()
    {
        await using var host = new ConnectionTestHost();
        var actor = await host.StartAsync();
        var aliceOut = new RecordingOutput();
        var bobOut = new RecordingOutput();
        var alice = await actor.ConnectAsync(Open("alice", Ticket(1, 2)), aliceOut, None);
        await actor.ConnectAsync(Open("bob"), bobOut, None);

        await actor.CloseConnectionsForStopAsync(ActorStopReason.Sleep);

        Assert.Empty(aliceOut.Closes);
        Assert.Equal([ActorInstance.StoppingCloseReason], bobOut.Closes);
        Assert.Equal("disconnect:bob", ((ConnRoom)actor.Actor).Log[^1]);
        Assert.DoesNotContain("disconnect:alice", ((ConnRoom)actor.Actor).Log);
        Assert.Same(alice, Assert.Single(actor.ConnectionList));
        Assert.NotNull((await host.Kv.GetAsync([KvKeys.Connection(alice.Id)]))[0]);
    }

    [Fact]
    public async Task Destroy_closes_every_connection()
    {
        await using var host = new ConnectionTestHost();
        var actor = await host.StartAsync();
        var aliceOut = new RecordingOutput();
        var alice = await actor.ConnectAsync(Open("alice", Ticket(1, 2)), aliceOut, None);
        await actor.ConnectAsync(Open("bob"), new RecordingOutput(), None);

        await actor.CloseConnectionsForStopAsync(ActorStopReason.Destroy);

        Assert.Equal([ActorInstance.DestroyedCloseReason], aliceOut.Closes);
        Assert.Equal(["disconnect:alice", "disconnect:bob"], ((ConnRoom)actor.Actor).Log.Where(e => e.StartsWith("disconnect:", StringComparison.Ordinal)));
        Assert.Empty(actor.ConnectionList);
        Assert.Null((await host.Kv.GetAsync([KvKeys.Connection(alice.Id)]))[0]);
    }
}
