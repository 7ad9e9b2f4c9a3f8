using System;
using System.Collections.Concurrent;
using System.Threading.Tasks;
using Rivet.Client;
using Rivet.Engine;
using Rivet.Hosting.Runner;
using Rivet.Sdk.Tests.ActorConnect;
using Rivet.Sdk.Tests.Engine;
using Rivet.Sdk.Tests.Runner;

namespace Rivet.Sdk.Tests.ClientConnections;

/// <summary>
/// The .NET client's connections to a .NET actor (<see cref="ConnectRoom"/>) on this SDK's runner, through the real
/// engine: both ends of the wire are ours here, in each encoding.
/// </summary>
[Collection("engine")]
public sealed class RunnerConnectionTests(EngineFixture engine) : IAsyncLifetime
{
    private static readonly TimeSpan s_patience = TimeSpan.FromMinutes(3);
    private readonly string _pool = "conn-client-" + Guid.NewGuid().ToString("N")[..8];
    private RivetRunner _runner = null!;

    public static TheoryData<RivetEncoding> Encodings => new() { RivetEncoding.Json, RivetEncoding.Cbor, RivetEncoding.Bare };

    public async Task InitializeAsync() => _runner = await GatewayHttp.StartRunnerAsync(engine.Endpoint, _pool);

    public async Task DisposeAsync() => await _runner.DisposeAsync();

    private static int Number(ReadOnlyMemory<byte> json) => int.Parse(JsonText.Text(json), System.Globalization.CultureInfo.InvariantCulture);

    internal static async Task<ActorConnection> ConnectAsync(RivetClient client, string key)
    {
        // A loaded engine can take a while to place a new actor; stateless calls retry that until it runs.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await client.GetOrCreate("connectRoom", [key]).ConnectAsync();
            }
            catch (RivetException e) when (attempt < 4 && e.Id is "pegboard.route_resolve_query_timeout" or "guard.actor_ready_timeout")
            {
            }
        }
    }

    [Theory, MemberData(nameof(Encodings))]
    public async Task A_dotnet_client_and_a_dotnet_actor_talk_over_the_connection(RivetEncoding encoding)
    {
        await using var client = RivetClient.Create(new RivetClientOptions { Endpoint = engine.Endpoint, PoolName = _pool, Encoding = encoding, RequestTimeout = TimeSpan.FromSeconds(45) });
        await using var connection = await ConnectAsync(client, "room-" + Guid.NewGuid().ToString("N")[..8]);
        var handled = new EventProbe();
        using var subscription = connection.Subscribe("newCount", handled.Add);

        Assert.Equal(4, Number(await connection.InvokeRawAsync("increment", JsonText.Bytes("[4]"))));
        Assert.Equal("[4]", await handled.NextAsync("newCount"));
        Assert.Equal($"\"{connection.ConnectionId}\"", JsonText.Text(await connection.InvokeRawAsync("callerId", default)));
        var failure = await Assert.ThrowsAsync<RivetException>(() => connection.InvokeRawAsync("fail", default));
        Assert.Equal(("user", "my_code", "Not today"), (failure.Group, failure.Code, failure.Message));

        // The actor closes the connection inside the call: the call's answer still comes first, then the close, which
        // is final.
        await connection.InvokeRawAsync("leave", JsonText.Bytes("[\"bye\"]"));
        await Poll.UntilAsync(() => connection.Status == ActorConnectionStatus.Closed, s_patience, () => "the connection to close");
        var closed = await Assert.ThrowsAsync<RivetException>(() => connection.InvokeRawAsync("getCount", default));
        Assert.Equal(("client", "connection_closed"), (closed.Group, closed.Code));
    }
}

/// <summary>Reconnection against our runner across engine restarts; its own engine, since it restarts it.</summary>
[Collection("engine")]
public sealed class RunnerReconnectTests : IAsyncLifetime
{
    private static readonly TimeSpan s_patience = TimeSpan.FromMinutes(3);
    private readonly string _pool = "conn-restart-" + Guid.NewGuid().ToString("N")[..8];
    private RivetEngineProcess _engine = null!;
    private RivetRunner _runner = null!;

    public async Task InitializeAsync()
    {
        _engine = await RivetEngineProcess.StartAsync();
        _runner = await GatewayHttp.StartRunnerAsync(_engine.Endpoint, _pool);
    }

    public async Task DisposeAsync()
    {
        await _runner.DisposeAsync();
        await _engine.DisposeAsync();
    }

    [Fact]
    public async Task A_connection_reconnects_after_an_engine_restart_but_not_once_the_actor_rejects_it()
    {
        await using var client = RivetClient.Create(new RivetClientOptions { Endpoint = _engine.Endpoint, PoolName = _pool, Encoding = RivetEncoding.Bare, RequestTimeout = TimeSpan.FromSeconds(45) });
        await using var connection = await RunnerConnectionTests.ConnectAsync(client, "restart");
        var statuses = new StatusProbe(connection);
        var errors = new ConcurrentQueue<RivetException>();
        connection.Error += errors.Enqueue;
        var handled = new EventProbe();
        using var subscription = connection.Subscribe("newCount", handled.Add);
        await connection.InvokeRawAsync("increment", JsonText.Bytes("[1]"));
        Assert.Equal("[1]", await handled.NextAsync("newCount"));
        var firstConnection = connection.ConnectionId;

        await _engine.RestartAsync();
        Assert.Equal("2", JsonText.Text(await connection.InvokeRawAsync("increment", JsonText.Bytes("[1]")).WaitAsync(s_patience)));
        Assert.Equal("[2]", await handled.NextAsync("newCount after the restart"));
        await statuses.WaitForAsync(ActorConnectionStatus.Connecting, ActorConnectionStatus.Open, s_patience);
        Assert.NotEqual(firstConnection, connection.ConnectionId);

        // Now the actor refuses new connections: the next reconnection is rejected, and that is final.
        await connection.InvokeRawAsync("lock", default);
        await _engine.RestartAsync();
        await Poll.UntilAsync(() => connection.Status == ActorConnectionStatus.Closed, s_patience, () => $"Closed; seen {string.Join(", ", statuses.Seen)}");
        await Poll.UntilAsync(() => !errors.IsEmpty, s_patience, () => "the rejection to be raised");
        Assert.True(errors.TryPeek(out var rejection));
        Assert.Equal(("user", "locked"), (rejection.Group, rejection.Code));
        var closed = await Assert.ThrowsAsync<RivetException>(() => connection.InvokeRawAsync("getCount", default));
        Assert.Equal(("client", "connection_closed"), (closed.Group, closed.Code));
        Assert.Contains("user.locked", closed.Message, StringComparison.Ordinal);
    }
}
