using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Runtime;
using Rivet.Runtime.Connections;
using Rivet.Sdk.Tests.Connections;

namespace Rivet.Sdk.Tests.Generated;

/// <summary>
/// The generated event methods of <see cref="GenEventCounter"/> run inside a real actor instance with real
/// connections: broadcasts reach the subscribed connections only, as JSON argument arrays; the per-connection
/// overload reaches one; the generated connection parameter and state types decode what clients send.
/// </summary>
public sealed class GeneratedEventBroadcastTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static ActorDefinition Of<T>() where T : IGeneratedActor => T.Definition;

    private static ConnectionOpen Open(string paramsJson) =>
        new(Encoding.UTF8.GetBytes(paramsJson), "/connect", new Dictionary<string, string>(), null);

    private static byte[] Args(string json) => Encoding.UTF8.GetBytes(json);

    [Fact]
    public async Task Generated_events_reach_the_subscribed_connections_as_json_argument_arrays()
    {
        await using var host = new ConnectionTestHost();
        var actor = await host.StartAsync(Of<GenEventCounter>());
        var ada = new RecordingOutput();
        var bob = new RecordingOutput();
        var adaConnection = await actor.ConnectAsync(Open("""{"name":"ada"}"""), ada, None);
        var bobConnection = await actor.ConnectAsync(Open("""{"name":"bob"}"""), bob, None);
        await actor.SetSubscriptionAsync(adaConnection, "newCount", true, None);
        await actor.SetSubscriptionAsync(adaConnection, "cleared", true, None);
        await actor.SetSubscriptionAsync(bobConnection, "cleared", true, None);

        Assert.Equal("2", Encoding.UTF8.GetString(await actor.InvokeAsync("increment", Args("[2]"), None)));
        Assert.Equal("5", Encoding.UTF8.GetString(await actor.InvokeAsync("increment", Args("[3]"), None)));
        await actor.InvokeAsync("reset", Args("[]"), None);

        Assert.Equal(new[] { "newCount [2]", "newCount [5]", "cleared []" }, ada.Events);
        Assert.Equal(new[] { "cleared []" }, bob.Events);
    }

    [Fact]
    public async Task The_per_connection_overload_sends_to_that_connection_alone()
    {
        await using var host = new ConnectionTestHost();
        var actor = await host.StartAsync(Of<GenEventCounter>());
        var ada = new RecordingOutput();
        var bob = new RecordingOutput();
        var adaConnection = await actor.ConnectAsync(Open("""{"name":"ada"}"""), ada, None);
        var bobConnection = await actor.ConnectAsync(Open("""{"name":"bob"}"""), bob, None);
        await actor.SetSubscriptionAsync(adaConnection, "moved", true, None);
        await actor.SetSubscriptionAsync(bobConnection, "moved", true, None);

        // Wave sends Moved(connection, its name, 1, 2) to each connection.
        await actor.InvokeAsync("wave", Args("[]"), None);

        Assert.Equal(new[] { """moved ["ada",1,2]""" }, ada.Events);
        Assert.Equal(new[] { """moved ["bob",1,2]""" }, bob.Events);
    }

    [Fact]
    public async Task The_generated_connection_types_decode_parameters_and_create_state()
    {
        await using var host = new ConnectionTestHost();
        var actor = await host.StartAsync(Of<GenEventCounter>());
        var connection = await actor.ConnectAsync(Open("""{"name":"ada"}"""), new RecordingOutput(), None);
        Assert.Equal(new GenJoinParams("ada"), connection.GetParams<GenJoinParams>());
        Assert.Equal("ada", connection.GetState<GenMember>()?.Name);

        var rejected = await Assert.ThrowsAnyAsync<RivetException>(() => actor.ConnectAsync(Open("""{"name":""}"""), new RecordingOutput(), None));
        Assert.Equal("anonymous", rejected.Code);
        var invalid = await Assert.ThrowsAnyAsync<RivetException>(() => actor.ConnectAsync(Open("""{"name":3}"""), new RecordingOutput(), None));
        Assert.Equal(RivetErrors.InvalidRequest, invalid.Code);
    }
}
