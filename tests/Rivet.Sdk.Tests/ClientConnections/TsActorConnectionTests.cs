using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Rivet.Client;
using Rivet.Sdk.Tests.EngineClient;

namespace Rivet.Sdk.Tests.ClientConnections;

/// <summary>
/// <see cref="ActorConnection"/> over the engine's gateway to RivetKit's TypeScript counter (tests/interop/ts-actor.mjs:
/// <c>increment</c> broadcasts <c>newCount</c>, <c>ping</c> broadcasts <c>pong</c>, <c>onBeforeConnect</c> rejects a
/// wrong <c>token</c> parameter), in each encoding.
/// </summary>
[Collection(TsActorCollection.Name)]
public sealed class TsActorConnectionTests
{
    private const string Counter = TsActorFixture.ActorName;

    private readonly TsActorFixture _fixture;

    public TsActorConnectionTests(TsActorFixture fixture)
    {
        _fixture = fixture;
    }

    public static TheoryData<RivetEncoding> Encodings => new() { RivetEncoding.Json, RivetEncoding.Cbor, RivetEncoding.Bare };

    // One actor for the whole class, so the tests wake as few TypeScript actors as possible (each holds a libuv thread
    // of the envoy, see TsActorFixture); they count relative to what they find.
    private static readonly string s_key = "conn-" + Guid.NewGuid().ToString("N")[..12];

    private static int Number(ReadOnlyMemory<byte> json) => int.Parse(JsonText.Text(json), System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<int> CountAsync(ActorConnection connection) => Number(await connection.InvokeRawAsync("getCount", default));

    /// <summary>Opens a connection, riding out a loaded engine that cannot place the actor yet.</summary>
    internal static async Task<ActorConnection> ConnectAsync(ActorHandle handle, ReadOnlyMemory<byte> parameters = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await handle.ConnectAsync(parameters);
            }
            catch (RivetException e) when (e.Id == "pegboard.route_resolve_query_timeout" && attempt < 4)
            {
            }
        }
    }

    [Theory, MemberData(nameof(Encodings))]
    public async Task Actions_run_over_the_connection_and_events_reach_handlers_and_streams(RivetEncoding encoding)
    {
        await using var client = RivetClient.Create(_fixture.ClientOptions(encoding));
        var key = s_key;
        await using var connection = await ConnectAsync(client.GetOrCreate(Counter, [key]));
        var start = await CountAsync(connection);

        Assert.Equal(ActorConnectionStatus.Open, connection.Status);
        Assert.Equal(await client.Get(Counter, [key]).ResolveAsync(), connection.ActorId);
        Assert.False(string.IsNullOrEmpty(connection.ConnectionId));

        var handled = new EventProbe();
        using var subscription = connection.Subscribe("newCount", handled.Add);
        await using var stream = connection.Events("newCount").GetAsyncEnumerator();
        var streamed = stream.MoveNextAsync().AsTask(); // subscribes

        Assert.Equal(start + 3, Number(await connection.InvokeRawAsync("increment", JsonText.Bytes("[3]"))));
        Assert.Equal($"[{start + 3}]", await handled.NextAsync("newCount (handler)"));
        Assert.True(await streamed);
        Assert.Equal($"[{start + 3}]", JsonText.Text(stream.Current));

        // Calls are matched by id, whatever order they complete in; a failing one fails alone.
        var calls = new List<Task<ReadOnlyMemory<byte>>>();
        for (var i = 0; i < 5; i++)
        {
            calls.Add(connection.InvokeRawAsync("increment", JsonText.Bytes("[1]")));
        }
        var failure = await Assert.ThrowsAsync<RivetException>(() => connection.InvokeRawAsync("fail", JsonText.Bytes("[]")));
        Assert.Equal(("user", "my_code", "nope"), (failure.Group, failure.Code, failure.Message));
        Assert.Equal("""{"a":1}""", failure.Metadata?.GetRawText());
        var results = new SortedSet<int>();
        foreach (var call in calls)
        {
            results.Add(Number(await call));
        }
        Assert.Equal(Enumerable.Range(start + 4, 5), results);
        Assert.Equal(start + 8, await CountAsync(connection));
        Assert.Equal(ActorConnectionStatus.Open, connection.Status);

        // The same actor over HTTP sees the same state.
        Assert.Equal(start + 8, Number(await client.Get(Counter, [key]).InvokeRawAsync("getCount", JsonText.Bytes("[]"))));
    }

    [Theory, MemberData(nameof(Encodings))]
    public async Task Unsubscribing_the_last_listener_stops_the_actor_sending_the_event(RivetEncoding encoding)
    {
        await using var client = RivetClient.Create(_fixture.ClientOptions(encoding));
        await using var connection = await ConnectAsync(client.GetOrCreate(Counter, [s_key]));
        var start = await CountAsync(connection);
        var counts = new EventProbe();
        var pongs = new EventProbe();
        var subscription = connection.Subscribe("newCount", counts.Add);
        using var pongSubscription = connection.Subscribe("pong", pongs.Add);
        var stream = connection.Events("newCount").GetAsyncEnumerator();
        var streamed = stream.MoveNextAsync().AsTask();

        await connection.InvokeRawAsync("increment", JsonText.Bytes("[1]"));
        Assert.Equal($"[{start + 1}]", await counts.NextAsync("newCount"));
        Assert.True(await streamed);

        // One listener left: the event still comes, to the stream only.
        subscription.Dispose();
        streamed = stream.MoveNextAsync().AsTask();
        await connection.InvokeRawAsync("increment", JsonText.Bytes("[1]"));
        Assert.True(await streamed);
        Assert.Equal($"[{start + 2}]", JsonText.Text(stream.Current));

        // No listener left: the actor is told, and stops sending it. "pong" comes after the increment on the same
        // socket, so once it arrived a newCount sent by the increment would have too.
        await stream.DisposeAsync();
        var before = connection.EventsReceived;
        Assert.Equal(start + 3, Number(await connection.InvokeRawAsync("increment", JsonText.Bytes("[1]"))));
        await connection.InvokeRawAsync("ping", JsonText.Bytes("[\"sync\"]"));
        Assert.Equal("[\"sync\"]", await pongs.NextAsync("pong"));
        Assert.Equal(before + 1, connection.EventsReceived);
        Assert.Empty(counts.Drain());

        // Subscribing again brings it back.
        using var again = connection.Subscribe("newCount", counts.Add);
        await connection.InvokeRawAsync("increment", JsonText.Bytes("[1]"));
        Assert.Equal($"[{start + 4}]", await counts.NextAsync("newCount after subscribing again"));
    }

    [Theory, MemberData(nameof(Encodings))]
    public async Task A_rejected_connection_throws_the_actors_error_and_a_good_token_connects(RivetEncoding encoding)
    {
        await using var client = RivetClient.Create(_fixture.ClientOptions(encoding));
        var handle = client.GetOrCreate(Counter, [s_key]);

        var rejected = await Assert.ThrowsAsync<RivetException>(() => ConnectAsync(handle, JsonText.Bytes("""{"token":"wrong"}""")));
        Assert.Equal(("user", "invalid_token"), (rejected.Group, rejected.Code));
        Assert.Contains("invalid token", rejected.Message, StringComparison.Ordinal);
        Assert.Equal("""{"token":"wrong"}""", rejected.Metadata?.GetRawText());

        await using var accepted = await ConnectAsync(handle, JsonText.Bytes("""{"token":"let-me-in"}"""));
        Assert.Equal(ActorConnectionStatus.Open, accepted.Status);
        var start = await CountAsync(accepted);
        Assert.Equal(start + 2, Number(await accepted.InvokeRawAsync("increment", JsonText.Bytes("[2]"))));
    }

    [Theory, MemberData(nameof(Encodings))]
    public async Task Disposing_closes_the_connection_and_later_calls_fail_clearly(RivetEncoding encoding)
    {
        await using var client = RivetClient.Create(_fixture.ClientOptions(encoding));
        var connection = await ConnectAsync(client.GetOrCreate(Counter, [s_key]));
        var statuses = new StatusProbe(connection);
        var stream = connection.Events("newCount").GetAsyncEnumerator();
        var streamed = stream.MoveNextAsync().AsTask();
        await connection.InvokeRawAsync("increment", JsonText.Bytes("[1]"));
        Assert.True(await streamed);

        await connection.DisposeAsync();

        Assert.Equal(ActorConnectionStatus.Closed, connection.Status);
        Assert.False(await stream.MoveNextAsync()); // streams end
        var error = await Assert.ThrowsAsync<RivetException>(() => connection.InvokeRawAsync("increment", JsonText.Bytes("[1]")));
        Assert.Equal(("client", "connection_closed"), (error.Group, error.Code));
        Assert.Contains("increment", error.Message, StringComparison.Ordinal);
        await Poll.UntilAsync(() => statuses.Seen.Contains(ActorConnectionStatus.Closed), TimeSpan.FromSeconds(30), () => "Closed");
    }
}
