using System;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Runtime;
using Xunit;
using static Rivet.Sdk.Tests.Connections.ConnectionTestHost;

namespace Rivet.Sdk.Tests.Connections;

/// <summary>The actor side of connections, driven on <see cref="ActorInstance"/> with an in-memory store.</summary>
public sealed class ConnectionRuntimeTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Hooks_run_in_order_and_OnDisconnect_runs_once()
    {
        await using var host = new ConnectionTestHost();
        var actor = await host.StartAsync();
        var room = (ConnRoom)actor.Actor;

        var alice = await actor.ConnectAsync(Open("alice"), new RecordingOutput(), None);

        Assert.Equal(["before:alice", "state:alice", "connect:alice"], room.Log);
        Assert.True(Guid.TryParse(alice.Id, out _), alice.Id);
        Assert.Equal(new RoomParams("alice"), alice.GetParams<RoomParams>());
        Assert.Equal("alice", alice.GetState<RoomConnState>()!.Name);
        Assert.Same(alice, Assert.Single(actor.ConnectionList));

        await actor.DisconnectAsync(alice, "client closed", None);
        await actor.DisconnectAsync(alice, "client closed again", None);

        Assert.Equal(["before:alice", "state:alice", "connect:alice", "disconnect:alice"], room.Log);
        Assert.Empty(actor.ConnectionList);
        // The hooks' state changes were saved like an action's.
        Assert.Equal("[0,1,1]", Text(await actor.InvokeAsync("stats", Args(), None)));
    }

    [Fact]
    public async Task A_connection_without_params_gets_default_params()
    {
        await using var host = new ConnectionTestHost();
        var actor = await host.StartAsync();

        var anonymous = await actor.ConnectAsync(Open(null), new RecordingOutput(), None);

        Assert.Null(anonymous.Params);
        Assert.Equal("anonymous", anonymous.GetState<RoomConnState>()!.Name);
        Assert.Equal(["before:(none)", "state:(none)", "connect:anonymous"], ((ConnRoom)actor.Actor).Log);
    }

    [Fact]
    public async Task OnBeforeConnect_rejects_with_the_user_error_and_registers_nothing()
    {
        await using var host = new ConnectionTestHost();
        var actor = await host.StartAsync();

        var error = await Assert.ThrowsAnyAsync<RivetException>(() => actor.ConnectAsync(Open("banned"), new RecordingOutput(), None));

        Assert.Equal(("user", "forbidden", "You are banned from this room."), (error.Group, error.Code, error.Message));
        Assert.Equal(["before:banned"], ((ConnRoom)actor.Actor).Log);
        Assert.Empty(actor.ConnectionList);
        Assert.Equal("[0,0,0]", Text(await actor.InvokeAsync("stats", Args(), None)));
    }

    [Fact]
    public async Task An_unexpected_exception_in_OnBeforeConnect_is_an_internal_error()
    {
        await using var host = new ConnectionTestHost();
        var actor = await host.StartAsync();

        var error = await Assert.ThrowsAsync<RivetException>(() => actor.ConnectAsync(Open("crash"), new RecordingOutput(), None));

        Assert.Equal("actor.internal_error", error.Id);
        Assert.IsType<InvalidOperationException>(error.InnerException);
        Assert.Empty(actor.ConnectionList);
    }

    [Fact]
    public async Task Params_that_are_not_valid_json_are_an_invalid_request_naming_the_actor()
    {
        await using var host = new ConnectionTestHost();
        var actor = await host.StartAsync();
        var open = Open(null) with { ParamsJson = "{\"User\":"u8.ToArray() };

        var error = await Assert.ThrowsAsync<RivetException>(() => actor.ConnectAsync(open, new RecordingOutput(), None));

        Assert.Equal("actor.invalid_request", error.Id);
        Assert.Contains("'connRoom'", error.Message);
        Assert.Empty(((ConnRoom)actor.Actor).Log);
    }

    [Fact]
    public async Task Undeclared_params_are_kept_but_must_be_json()
    {
        await using var host = new ConnectionTestHost();
        // A definition that declares no params type (the generated one now declares ConnRoom's).
        var actor = await host.StartAsync(new WithConnectionTypes(WithConnectionTypes.Of<ConnRoom>(), null, null));
        var open = Open(null) with { ParamsJson = "{\"User\":\"zed\"}"u8.ToArray() };

        var connection = await actor.ConnectAsync(open, new RecordingOutput(), None);
        var error = await Assert.ThrowsAsync<RivetException>(() => actor.ConnectAsync(open with { ParamsJson = "{\"User\""u8.ToArray() }, new RecordingOutput(), None));

        Assert.Null(connection.Params);
        Assert.Equal("{\"User\":\"zed\"}", Encoding.UTF8.GetString(connection.ParamsJson.Span));
        Assert.Equal("actor.invalid_request", error.Id);
    }

    [Fact]
    public async Task Broadcast_reaches_only_subscribed_connections()
    {
        await using var host = new ConnectionTestHost();
        var actor = await host.StartAsync();
        var aliceOut = new RecordingOutput();
        var bobOut = new RecordingOutput();
        var alice = await actor.ConnectAsync(Open("alice"), aliceOut, None);
        await actor.ConnectAsync(Open("bob"), bobOut, None);

        await actor.SetSubscriptionAsync(alice, "newCount", subscribe: true, None);
        await actor.InvokeAsync("increment", Args(5), None);

        Assert.Equal(["newCount [5]"], aliceOut.Events);
        Assert.Empty(bobOut.Events);
        Assert.True(alice.IsSubscribed("newCount"));

        await actor.SetSubscriptionAsync(alice, "newCount", subscribe: false, None);
        await actor.InvokeAsync("increment", Args(2), None);

        Assert.Equal(["newCount [5]"], aliceOut.Events);
        Assert.Empty(alice.Subscriptions);
    }

    [Fact]
    public async Task Send_reaches_one_connection_if_it_subscribed()
    {
        await using var host = new ConnectionTestHost();
        var actor = await host.StartAsync();
        var outputs = new[] { new RecordingOutput(), new RecordingOutput(), new RecordingOutput() };
        var alice = await actor.ConnectAsync(Open("alice"), outputs[0], None);
        var bob = await actor.ConnectAsync(Open("bob"), outputs[1], None);
        await actor.ConnectAsync(Open("carol"), outputs[2], None);
        await actor.SetSubscriptionAsync(alice, "direct", subscribe: true, None);
        await actor.SetSubscriptionAsync(bob, "direct", subscribe: true, None);

        await actor.InvokeAsync("sendTo", Args("bob", "hi bob"), None);
        await actor.InvokeAsync("sendTo", Args("carol", "hi carol"), None);

        Assert.Empty(outputs[0].Events);
        Assert.Equal(["direct [\"hi bob\"]"], outputs[1].Events);
        Assert.Empty(outputs[2].Events);
    }

    [Fact]
    public async Task Actions_list_the_open_connections()
    {
        await using var host = new ConnectionTestHost();
        var actor = await host.StartAsync();
        await actor.ConnectAsync(Open("bob"), new RecordingOutput(), None);
        var alice = await actor.ConnectAsync(Open("alice"), new RecordingOutput(), None);

        Assert.Equal("[\"alice\",\"bob\"]", Text(await actor.InvokeAsync("connectionNames", Args(), None)));

        await actor.DisconnectAsync(alice, null, None);

        Assert.Equal("[\"bob\"]", Text(await actor.InvokeAsync("connectionNames", Args(), None)));
    }

    [Fact]
    public async Task Caller_is_the_connection_that_sent_the_action()
    {
        await using var host = new ConnectionTestHost();
        var actor = await host.StartAsync();
        var alice = await actor.ConnectAsync(Open("alice"), new RecordingOutput(), None);
        var bob = await actor.ConnectAsync(Open("bob"), new RecordingOutput(), None);

        Assert.Equal("\"alice\"", Text(await actor.InvokeAsync("whoAmI", Args(), alice, None)));
        Assert.Equal("\"bob\"", Text(await actor.InvokeAsync("whoAmI", Args(), bob, None)));
        Assert.Equal("\"(no connection)\"", Text(await actor.InvokeAsync("whoAmI", Args(), None)));
        Assert.Equal("\"(no connection)\"", Text(await actor.InvokeAsync("whoAmI", Args(), caller: null, None)));
    }

    [Fact]
    public async Task Disconnect_inside_an_action_closes_now_and_runs_OnDisconnect_before_the_next_turn()
    {
        await using var host = new ConnectionTestHost();
        var actor = await host.StartAsync();
        var room = (ConnRoom)actor.Actor;
        var aliceOut = new RecordingOutput();
        var alice = await actor.ConnectAsync(Open("alice"), aliceOut, None);
        await actor.ConnectAsync(Open("bob"), new RecordingOutput(), None);
        await actor.SetSubscriptionAsync(alice, "newCount", subscribe: true, None);

        // The action still sees one connection (bob): alice left the registry when Disconnect() was called.
        Assert.Equal("1", Text(await actor.InvokeAsync("leave", Args(), alice, None)));

        // Closed at once; OnDisconnect runs after the action and before the next turn.
        Assert.Equal(["left the room"], aliceOut.Closes);
        Assert.Equal("[0,2,1]", Text(await actor.InvokeAsync("stats", Args(), None)));
        Assert.Equal(["leave-returned", "disconnect:alice"], room.Log.Skip(6));

        // The client's own close afterwards changes nothing, and a closed connection gets no more events.
        await actor.DisconnectAsync(alice, "client closed", None);
        await actor.InvokeAsync("increment", Args(1), None);
        Assert.Single(room.Log, entry => entry == "disconnect:alice");
        Assert.Empty(aliceOut.Events);
    }

    [Fact]
    public async Task Disconnect_outside_a_turn_runs_OnDisconnect_in_the_next_turn()
    {
        await using var host = new ConnectionTestHost();
        var actor = await host.StartAsync();
        var room = (ConnRoom)actor.Actor;
        var aliceOut = new RecordingOutput();
        var alice = await actor.ConnectAsync(Open("alice"), aliceOut, None);

        alice.Disconnect("kicked");

        Assert.Equal(["kicked"], aliceOut.Closes);
        Assert.Empty(actor.ConnectionList);
        // The queued OnDisconnect either took the turn first or runs at the end of the next one: done when it returns.
        await actor.InvokeAsync("stats", Args(), None);
        Assert.Contains("disconnect:alice", room.Log);
        Assert.Equal("[0,1,1]", Text(await actor.InvokeAsync("stats", Args(), None)));
    }
}
