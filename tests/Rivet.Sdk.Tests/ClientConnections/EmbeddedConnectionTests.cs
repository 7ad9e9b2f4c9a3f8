using System;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging.Abstractions;
using Rivet.Client;
using Rivet.Hosting.Embedded;
using Rivet.Runtime;
using Rivet.Sdk.Tests.Connections;
using Rivet.Storage;

namespace Rivet.Sdk.Tests.ClientConnections;

/// <summary>
/// <see cref="ActorConnection"/> on the embedded host: an in-process pipe to the actor's ConnectSession (the server
/// code the engine hosts run), with the <see cref="ConnRoom"/> test actor (<c>increment</c> broadcasts <c>newCount</c>
/// with a raw JSON array; user "banned" is rejected in <c>OnBeforeConnectAsync</c>).
/// </summary>
public sealed class EmbeddedConnectionTests : IAsyncLifetime
{
    private EmbeddedActorSystem _system = null!;

    public Task InitializeAsync()
    {
        var registry = new ActorRegistry().Add(ConnectionTestHost.Room);
        _system = new EmbeddedActorSystem(registry, new InMemoryActorStorage(), ownsStorage: true, NullLoggerFactory.Instance);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _system.DisposeAsync();

    private ActorHandle Room(string key = "room") => _system.Client.GetOrCreate("connRoom", [key]);

    private static ReadOnlyMemory<byte> User(string name) => JsonSerializer.SerializeToUtf8Bytes(new RoomParams(name), ConnectionTestJson.Default.RoomParams);

    private static int Number(ReadOnlyMemory<byte> json) => int.Parse(JsonText.Text(json), System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Actions_and_events_flow_through_the_in_process_connection()
    {
        await using var connection = await Room().ConnectAsync(User("ann"));
        Assert.Equal(ActorConnectionStatus.Open, connection.Status);
        Assert.Equal(await Room().ResolveAsync(), connection.ActorId);
        Assert.False(string.IsNullOrEmpty(connection.ConnectionId));

        var handled = new EventProbe();
        using var subscription = connection.Subscribe("newCount", handled.Add);
        await using var stream = connection.Events("newCount").GetAsyncEnumerator();
        var streamed = stream.MoveNextAsync().AsTask();

        Assert.Equal(5, Number(await connection.InvokeRawAsync("increment", JsonText.Bytes("[5]"))));
        Assert.Equal("[5]", await handled.NextAsync("newCount"));
        Assert.True(await streamed);
        Assert.Equal("[5]", JsonText.Text(stream.Current));

        // The connection is the caller; a failing call fails alone.
        Assert.Equal("\"ann\"", JsonText.Text(await connection.InvokeRawAsync("whoAmI", default)));
        var failure = await Assert.ThrowsAsync<RivetException>(() => connection.InvokeRawAsync("sendTo", JsonText.Bytes("[\"nobody\",\"hi\"]")));
        Assert.Equal(("actor", "internal_error"), (failure.Group, failure.Code));
        Assert.Equal(6, Number(await connection.InvokeRawAsync("increment", JsonText.Bytes("[1]"))));
        Assert.Equal("[6]", await handled.NextAsync("newCount"));
    }

    [Fact]
    public async Task Unsubscribing_the_last_listener_stops_the_actor_sending_the_event()
    {
        await using var connection = await Room("unsub").ConnectAsync(User("bob"));
        var counts = new EventProbe();
        var subscription = connection.Subscribe("newCount", counts.Add);
        await connection.InvokeRawAsync("increment", JsonText.Bytes("[1]"));
        Assert.Equal("[1]", await counts.NextAsync("newCount"));

        subscription.Dispose();
        var before = connection.EventsReceived;
        // The event of an action is queued before its response: once the call returned, it would have arrived.
        Assert.Equal(2, Number(await connection.InvokeRawAsync("increment", JsonText.Bytes("[1]"))));
        Assert.Equal(before, connection.EventsReceived);
        Assert.Empty(counts.Drain());

        using var again = connection.Subscribe("newCount", counts.Add);
        await connection.InvokeRawAsync("increment", JsonText.Bytes("[1]"));
        Assert.Equal("[3]", await counts.NextAsync("newCount after subscribing again"));
    }

    [Fact]
    public async Task A_rejected_connection_throws_the_actors_error()
    {
        var rejected = await Assert.ThrowsAsync<RivetException>(() => Room("guarded").ConnectAsync(User("banned")));
        Assert.Equal(("user", "forbidden"), (rejected.Group, rejected.Code));
        Assert.Contains("You are banned from this room.", rejected.Message, StringComparison.Ordinal);

        await using var accepted = await Room("guarded").ConnectAsync(User("carol"));
        Assert.Equal("[\"carol\"]", JsonText.Text(await accepted.InvokeRawAsync("connectionNames", default)));
    }

    [Fact]
    public async Task Closing_either_side_runs_on_disconnect_and_an_actor_close_is_final()
    {
        var left = await Room("close").ConnectAsync(User("dan"));
        var statuses = new StatusProbe(left);
        await using (var staying = await Room("close").ConnectAsync(User("eve")))
        {
            Assert.Equal("[\"dan\",\"eve\"]", JsonText.Text(await staying.InvokeRawAsync("connectionNames", default)));

            // The actor closes dan's connection inside the call: the call's answer still comes first, then the
            // close, which is final (no reconnect).
            await left.InvokeRawAsync("leave", default);
            await Poll.UntilAsync(() => left.Status == ActorConnectionStatus.Closed, TimeSpan.FromSeconds(30), () => "the left connection to close");
            var error = await Assert.ThrowsAsync<RivetException>(() => left.InvokeRawAsync("whoAmI", default));
            Assert.Equal(("client", "connection_closed"), (error.Group, error.Code));
            await Poll.UntilAsync(() => statuses.Seen.Contains(ActorConnectionStatus.Closed), TimeSpan.FromSeconds(30), () => "Closed reported");
            Assert.DoesNotContain(ActorConnectionStatus.Connecting, statuses.Seen);
            Assert.Equal("[\"eve\"]", JsonText.Text(await staying.InvokeRawAsync("connectionNames", default)));
        }
        await left.DisposeAsync();

        // The client closed eve's: OnDisconnect ran for both.
        await using var observer = await Room("close").ConnectAsync(User("fay"));
        Assert.Equal("[0,3,2]", JsonText.Text(await observer.InvokeRawAsync("stats", default)).Replace(" ", "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_throwing_handler_neither_stops_the_connection_nor_the_other_listeners()
    {
        await using var connection = await Room("throwing").ConnectAsync(User("gus"));
        var calls = 0;
        using var faulty = connection.Subscribe("newCount", _ =>
        {
            calls++;
            throw new InvalidOperationException("handler bug");
        });
        var handled = new EventProbe();
        using var healthy = connection.Subscribe("newCount", handled.Add);

        for (var i = 1; i <= 3; i++)
        {
            Assert.Equal(i, Number(await connection.InvokeRawAsync("increment", JsonText.Bytes("[1]"))));
            Assert.Equal($"[{i}]", await handled.NextAsync("newCount"));
        }
        Assert.Equal(3, calls);
        Assert.Equal(ActorConnectionStatus.Open, connection.Status);
    }

    [Fact]
    public async Task A_stream_read_too_slowly_ends_with_an_overflow_error_after_the_buffered_events()
    {
        await using var connection = await Room("slow").ConnectAsync(User("hal"));
        await using var stream = connection.Events("newCount").GetAsyncEnumerator();
        var first = stream.MoveNextAsync().AsTask();
        var sent = ActorConnection.EventStreamCapacity + 10;
        for (var i = 0; i < sent; i++)
        {
            await connection.InvokeRawAsync("increment", JsonText.Bytes("[1]"));
        }

        Assert.True(await first);
        var read = 1;
        var overflow = await Assert.ThrowsAsync<RivetException>(async () =>
        {
            while (await stream.MoveNextAsync())
            {
                Assert.Equal($"[{read + 1}]", JsonText.Text(stream.Current)); // in order, none skipped
                read++;
            }
        });
        Assert.Equal(("client", "events_overflow"), (overflow.Group, overflow.Code));
        Assert.InRange(read, ActorConnection.EventStreamCapacity, ActorConnection.EventStreamCapacity + 1);
        // The connection itself is unharmed.
        Assert.Equal(sent + 1, Number(await connection.InvokeRawAsync("increment", JsonText.Bytes("[1]"))));
    }

    [Fact]
    public async Task Status_changes_are_raised_for_what_happens_after_the_connection_opened()
    {
        var connection = await Room("status").ConnectAsync(User("ida"));
        var statuses = new StatusProbe(connection);
        Assert.Equal(ActorConnectionStatus.Open, connection.Status);

        await connection.DisposeAsync();
        await Poll.UntilAsync(() => statuses.Seen.Count > 0, TimeSpan.FromSeconds(30), () => "a status change");
        Assert.Equal([ActorConnectionStatus.Closed], statuses.Seen);
    }

    [Fact]
    public async Task A_custom_transport_without_connections_says_so()
    {
        await using var client = new RivetClient(new CallsOnlyTransport(_system));
        Assert.Equal(1, Number(await client.GetOrCreate("connRoom", ["custom"]).InvokeRawAsync("increment", JsonText.Bytes("[1]"))));
        var error = await Assert.ThrowsAsync<NotSupportedException>(() => client.GetOrCreate("connRoom", ["custom"]).ConnectAsync());
        Assert.Contains(typeof(CallsOnlyTransport).FullName!, error.Message, StringComparison.Ordinal);
    }

    /// <summary>A user's transport written before connections existed: it implements only the calls.</summary>
    private sealed class CallsOnlyTransport(IActorTransport inner) : IActorTransport
    {
        public Task<ReadOnlyMemory<byte>> InvokeAsync(ActorQuery query, string action, ReadOnlyMemory<byte> arguments, System.Threading.CancellationToken cancellationToken) =>
            inner.InvokeAsync(query, action, arguments, cancellationToken);

        public Task<string> ResolveAsync(ActorQuery query, System.Threading.CancellationToken cancellationToken) => inner.ResolveAsync(query, cancellationToken);

        public Task<string> CreateAsync(string name, ActorKey key, ReadOnlyMemory<byte> input, System.Threading.CancellationToken cancellationToken) =>
            inner.CreateAsync(name, key, input, cancellationToken);

        public ValueTask DisposeAsync() => default;
    }
}
