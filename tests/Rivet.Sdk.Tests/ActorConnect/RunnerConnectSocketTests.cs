using System;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Hosting.Runner;
using Rivet.Protocol.Client;
using Rivet.Sdk.Tests.Engine;
using Rivet.Sdk.Tests.Runner;

namespace Rivet.Sdk.Tests.ActorConnect;

/// <summary>
/// Raw WebSockets through the real engine's gateway to a .NET actor on our runner: the frames a client sees,
/// protocol violations, and paths other than <c>/connect</c>.
/// </summary>
[Collection("engine")]
public sealed class RunnerConnectSocketTests(EngineFixture engine) : IAsyncLifetime
{
    // Generous: a loaded engine can take minutes to place a new actor.
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(4);
    private readonly string _pool = "connect-ws-" + Guid.NewGuid().ToString("N")[..8];
    private RivetRunner _runner = null!;
    private GatewayHttp _http = null!;

    public async Task InitializeAsync()
    {
        _runner = await GatewayHttp.StartRunnerAsync(engine.Endpoint, _pool);
        _http = new GatewayHttp(engine.Endpoint, _pool);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _runner.DisposeAsync();
    }

    [Fact]
    public async Task A_malformed_frame_closes_the_connection_with_1011_invalid_request()
    {
        var key = "malformed-" + Guid.NewGuid().ToString("N");
        await _http.PostUntilOkAsync("connectRoom", key, "getCount", """{"args":[]}""", s_timeout);
        using var socket = await OpenAsync(key, "json", "/connect");

        var init = Assert.IsType<ConnectInit>(ConnectCodec.DecodeToClient(ClientEncodingKind.Json, await RawConnectSocket.ReceiveAsync(socket, WebSocketMessageType.Text)));
        Assert.False(string.IsNullOrEmpty(init.ConnectionId));

        // A plain-number id is accepted; the answer carries it as a bigint, as RivetKit writes it.
        await RawConnectSocket.SendTextAsync(socket, """{"body":{"tag":"ActionRequest","val":{"id":7,"name":"increment","args":[3]}}}""");
        Assert.Equal("""{"body":{"tag":"ActionResponse","val":{"id":["$BigInt","7"],"output":3}}}""",
            Encoding.UTF8.GetString(await RawConnectSocket.ReceiveAsync(socket, WebSocketMessageType.Text)));

        await RawConnectSocket.SendTextAsync(socket, "this is not a message");
        var (status, reason) = await RawConnectSocket.ReceiveCloseAsync(socket);
        Assert.Equal((WebSocketCloseStatus)1011, status);
        Assert.Equal("actor.invalid_request", reason);

        // The actor saw the connection go (OnDisconnect ran) and kept its state.
        var stats = JsonDocument.Parse(await _http.PostUntilOkAsync("connectRoom", key, "stats", """{"args":[]}""", s_timeout)).RootElement.GetProperty("output");
        Assert.Equal(3, stats.GetProperty("count").GetInt32());
        Assert.Equal(1, stats.GetProperty("connects").GetInt32());
        Assert.Equal(1, stats.GetProperty("disconnects").GetInt32());
    }

    [Fact]
    public async Task A_text_frame_on_a_bare_connection_and_other_paths_are_refused()
    {
        var key = "refused-" + Guid.NewGuid().ToString("N");
        await _http.PostUntilOkAsync("connectRoom", key, "getCount", """{"args":[]}""", s_timeout);

        using (var bare = await OpenAsync(key, "bare", "/connect"))
        {
            var init = ConnectCodec.DecodeToClient(ClientEncodingKind.Bare, await RawConnectSocket.ReceiveAsync(bare, WebSocketMessageType.Binary));
            Assert.IsType<ConnectInit>(init);
            await RawConnectSocket.SendTextAsync(bare, """{"body":{"tag":"ActionRequest","val":{"id":0,"name":"getCount","args":[]}}}""");
            Assert.Equal(((WebSocketCloseStatus)1011, "actor.invalid_request"), await RawConnectSocket.ReceiveCloseAsync(bare));
        }

        using var raw = await OpenAsync(key, "json", "/websocket/chat");
        Assert.Equal(((WebSocketCloseStatus)1011, "actor.websocket_not_supported"), await RawConnectSocket.ReceiveCloseAsync(raw));
    }

    private Task<ClientWebSocket> OpenAsync(string key, string encoding, string path) =>
        RawConnectSocket.OpenAsync(engine.Endpoint, _pool, "connectRoom", key, encoding, path);
}
