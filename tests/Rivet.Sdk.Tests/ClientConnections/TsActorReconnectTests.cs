using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Rivet.Client;
using Rivet.Sdk.Tests.EngineClient;
using Xunit.Abstractions;

namespace Rivet.Sdk.Tests.ClientConnections;

/// <summary>
/// Connections to RivetKit's TypeScript counter across an engine restart. The test restarts the engine, so it runs on
/// an engine and a TypeScript actor of its own (still in the serialized engine collection).
/// </summary>
[Collection(TsActorCollection.Name)]
public sealed class TsActorReconnectTests : IAsyncLifetime
{
    private static readonly TimeSpan s_patience = TimeSpan.FromMinutes(3);

    private readonly TsActorFixture _own;
    private readonly List<IAsyncDisposable> _cleanup = new();

    public TsActorReconnectTests()
    {
        _own = new TsActorFixture(new Xunit.Sdk.NullMessageSink());
    }

    public Task InitializeAsync() => _own.InitializeAsync();

    public async Task DisposeAsync()
    {
        foreach (var item in Enumerable.Reverse(_cleanup))
        {
            await item.DisposeAsync();
        }
        await _own.DisposeAsync();
    }

    [Fact]
    public async Task Connections_in_every_encoding_reconnect_after_an_engine_restart_and_keep_their_subscriptions()
    {
        var key = "restart-" + Guid.NewGuid().ToString("N")[..8];
        var connections = new List<(RivetEncoding Encoding, ActorConnection Connection, StatusProbe Statuses, EventProbe Handled, IAsyncEnumerator<ReadOnlyMemory<byte>> Stream)>();
        foreach (var encoding in new[] { RivetEncoding.Json, RivetEncoding.Cbor, RivetEncoding.Bare })
        {
            var client = RivetClient.Create(_own.ClientOptions(encoding));
            _cleanup.Add(client);
            var connection = await TsActorConnectionTests.ConnectAsync(client.GetOrCreate(TsActorFixture.ActorName, [key]));
            _cleanup.Add(connection);
            var statuses = new StatusProbe(connection);
            var handled = new EventProbe();
            connection.Subscribe("newCount", handled.Add);
            var stream = connection.Events("newCount").GetAsyncEnumerator();
            _cleanup.Add(stream);
            connections.Add((encoding, connection, statuses, handled, stream));
        }
        foreach (var (_, connection, _, handled, stream) in connections)
        {
            var streamed = stream.MoveNextAsync().AsTask();
            var count = JsonText.Text(await connection.InvokeRawAsync("increment", JsonText.Bytes("[1]")));
            Assert.Equal($"[{count}]", await NextOwnAsync(handled, count));
            Assert.True(await streamed);
        }

        // The engine goes away with a call in flight on each connection: those calls fail, saying they may have run;
        // every connection notices and keeps trying.
        var inFlight = connections.Select(c => c.Connection.InvokeRawAsync("slow", JsonText.Bytes("[20000]"))).ToList();
        await _own.Engine.StopAsync();
        foreach (var call in inFlight)
        {
            var lost = await Assert.ThrowsAsync<RivetException>(() => call.WaitAsync(s_patience));
            Assert.Equal(("client", "connection_lost"), (lost.Group, lost.Code));
            Assert.Contains("'slow'", lost.Message, StringComparison.Ordinal);
            Assert.Contains("may or may not have run", lost.Message, StringComparison.Ordinal);
        }
        await Poll.UntilAsync(() => connections.All(c => c.Connection.Status == ActorConnectionStatus.Connecting), s_patience,
            () => "every connection to be reconnecting; statuses: " + string.Join(", ", connections.Select(c => $"{c.Encoding} {c.Connection.Status}")));

        // Calls made meanwhile wait for the new socket rather than fail.
        var waiting = connections.Select(c => c.Connection.InvokeRawAsync("increment", JsonText.Bytes("[1]"))).ToList();
        Assert.DoesNotContain(waiting, call => call.IsCompleted);

        await _own.Engine.RestartAsync();
        for (var i = 0; i < connections.Count; i++)
        {
            var (encoding, connection, statuses, handled, stream) = connections[i];
            var count = JsonText.Text(await waiting[i].WaitAsync(s_patience));
            Assert.Equal(ActorConnectionStatus.Open, connection.Status);
            await statuses.WaitForAsync(ActorConnectionStatus.Connecting, ActorConnectionStatus.Open, s_patience);

            // Subscribed again on the new socket before the call went out: both listeners get its event.
            Assert.Equal($"[{count}]", await NextOwnAsync(handled, count));
            var streamed = false;
            while (!streamed && await stream.MoveNextAsync().AsTask().WaitAsync(s_patience))
            {
                streamed = JsonText.Text(stream.Current) == $"[{count}]";
            }
            Assert.True(streamed, $"{encoding}: the stream did not deliver newCount {count}");
        }
    }

    /// <summary>The event carrying <paramref name="count"/>, skipping those other connections' calls caused.</summary>
    private static async Task<string> NextOwnAsync(EventProbe probe, string count)
    {
        while (true)
        {
            var next = await probe.NextAsync($"newCount {count}");
            if (next == $"[{count}]")
            {
                return next;
            }
        }
    }
}
