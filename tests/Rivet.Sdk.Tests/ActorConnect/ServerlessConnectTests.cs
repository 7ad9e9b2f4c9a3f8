using System;
using System.Net.WebSockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Client.Engine;
using Rivet.AspNetCore;
using Rivet.Protocol.Client;
using Rivet.Sdk.Tests.Engine;
using Rivet.Sdk.Tests.Serverless;

namespace Rivet.Sdk.Tests.ActorConnect;

/// <summary>The serverless host (MapRivet in Kestrel, started by the real engine) serves <c>/connect</c> with the runner's code.</summary>
[Collection("engine")]
public sealed class ServerlessConnectTests(EngineFixture engine) : IAsyncLifetime
{
    private readonly string _pool = "sls-connect-" + Guid.NewGuid().ToString("N")[..8];
    private ServerlessTestApp _app = null!;

    public async Task InitializeAsync() => _app = await ServerlessTestApp.StartForEngineAsync(engine.Endpoint, _pool, engine.Engine.AdminToken);

    public Task DisposeAsync() => _app.DeletePoolAndDisposeAsync(engine, _pool);

    [Fact]
    public async Task A_serverless_actor_accepts_a_connection_answers_and_sends_events_in_cbor()
    {
        await RivetServerless.ConfigurePoolAsync(new RivetServerlessPoolOptions
        {
            EngineEndpoint = engine.Endpoint,
            EngineToken = engine.Engine.AdminToken,
            PoolName = _pool,
            Url = _app.BaseUrl,
            RequestLifespan = TimeSpan.FromMinutes(5),
            ServerlessToken = _app.Token,
        });
        await using var client = RivetClient.Create(new RivetClientOptions { Endpoint = engine.Endpoint, PoolName = _pool, Token = engine.Engine.AdminToken });
        var key = "sls-" + Guid.NewGuid().ToString("N")[..8];
        Assert.Equal(0, await client.ConnectRoom.GetOrCreate(key).GetCount());

        using var socket = await RawConnectSocket.OpenAsync(engine.Endpoint, _pool, "connectRoom", key, "cbor", "/connect");
        Assert.IsType<ConnectInit>(ConnectCodec.DecodeToClient(ClientEncodingKind.Cbor, await RawConnectSocket.ReceiveAsync(socket, WebSocketMessageType.Binary)));
        await RawConnectSocket.SendBinaryAsync(socket, ConnectCodec.Encode(ClientEncodingKind.Cbor, new ConnectSubscriptionRequest("newCount", true)));
        await RawConnectSocket.SendBinaryAsync(socket, ConnectCodec.Encode(ClientEncodingKind.Cbor, new ConnectActionRequest(0, "increment", Encoding.UTF8.GetBytes("[4]"))));

        var ev = Assert.IsType<ConnectEvent>(ConnectCodec.DecodeToClient(ClientEncodingKind.Cbor, await RawConnectSocket.ReceiveAsync(socket, WebSocketMessageType.Binary)));
        Assert.Equal(("newCount", "[4]"), (ev.Name, Encoding.UTF8.GetString(ev.ArgumentsJson.Span)));
        var response = Assert.IsType<ConnectActionResponse>(ConnectCodec.DecodeToClient(ClientEncodingKind.Cbor, await RawConnectSocket.ReceiveAsync(socket, WebSocketMessageType.Binary)));
        Assert.Equal((0UL, "4"), (response.Id, Encoding.UTF8.GetString(response.OutputJson.Span)));

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "Disposed", CancellationToken.None);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        ConnectRoomState stats;
        while ((stats = await client.ConnectRoom.Get(key).Stats()).Disconnects == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }
        Assert.Equal((4, 1, 1), (stats.Count, stats.Connects, stats.Disconnects));
    }
}
