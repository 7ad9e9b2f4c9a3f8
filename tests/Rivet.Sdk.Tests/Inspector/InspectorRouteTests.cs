using System;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Rivet.Engine;
using Rivet.Hosting.Runner;
using Rivet.Sdk.Tests.Engine;
using Rivet.Sdk.Tests.Runner;

namespace Rivet.Sdk.Tests.Inspector;

/// <summary>
/// RivetKit's inspector routes on a .NET actor, through the real engine's gateway the way the Rivet dashboard calls
/// them: the token comes from the actor's engine KV key [3], and requests without it are refused.
/// </summary>
[Collection("engine")]
public sealed class InspectorRouteTests(EngineFixture engine) : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);
    private readonly string _pool = "insp-" + Guid.NewGuid().ToString("N")[..8];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private RivetRunner _runner = null!;
    private RivetClient _client = null!;

    public async Task InitializeAsync()
    {
        _runner = await GatewayHttp.StartRunnerAsync(engine.Endpoint, _pool);
        _client = RivetClient.Create(new RivetClientOptions { Endpoint = engine.Endpoint, PoolName = _pool });
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _client.DisposeAsync();
        await _runner.DisposeAsync();
    }

    [Fact]
    public async Task The_routes_answer_with_the_token_from_kv_3_and_refuse_requests_without_it()
    {
        var handle = _client.InspectedCounter.GetOrCreate(Guid.NewGuid().ToString("N"));
        Assert.Equal(3, await handle.Increment(3).WaitAsync(Bound));
        var actorId = await handle.ResolveAsync().WaitAsync(Bound);
        using var api = new EngineApiClient(engine.Endpoint);
        var entry = await api.ReadKvAsync(actorId, new byte[] { 3 }).WaitAsync(Bound);
        Assert.NotNull(entry);
        var token = Encoding.UTF8.GetString(entry.Value);
        Assert.Matches("^[0-9a-f]{64}$", token);

        // No token, a wrong token: 401 in RivetKit's error shape, and the state is not shown.
        var (status, body) = await SendAsync(HttpMethod.Get, actorId, "/inspector/state", token: null);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("unauthorized", Json(body).GetProperty("code").GetString());
        (status, _) = await SendAsync(HttpMethod.Get, actorId, "/inspector/state", token: new string('0', 64));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        (status, _) = await SendAsync(HttpMethod.Post, actorId, "/inspector/action/increment", token: "wrong", json: "{\"args\":[1]}");
        Assert.Equal(HttpStatusCode.Unauthorized, status);

        // /metadata is public, as in RivetKit: the dashboard learns the protocol from the version.
        (status, body) = await SendAsync(HttpMethod.Get, actorId, "/metadata", token: null);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("2.3.19", Json(body).GetProperty("version").GetString());

        (status, body) = await SendAsync(HttpMethod.Get, actorId, "/inspector/state", token);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(Json(body).GetProperty("isStateEnabled").GetBoolean());
        Assert.Equal(3, Json(body).GetProperty("state").GetProperty("count").GetInt32());

        (status, body) = await SendAsync(HttpMethod.Get, actorId, "/inspector/rpcs", token);
        Assert.Equal("[\"getCount\",\"increment\"]", Json(body).GetProperty("rpcs").GetRawText());

        (status, body) = await SendAsync(HttpMethod.Post, actorId, "/inspector/action/increment", token, "{\"args\":[2]}");
        Assert.Equal((HttpStatusCode.OK, "{\"output\":5}"), (status, body));
        (status, body) = await SendAsync(HttpMethod.Post, actorId, "/inspector/action/nope", token, "{\"args\":[]}");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("action_not_found", Json(body).GetProperty("code").GetString());

        (status, body) = await SendAsync(new HttpMethod("PATCH"), actorId, "/inspector/state", token, "{\"state\":{\"count\":42,\"label\":\"patched\"}}");
        Assert.Equal((HttpStatusCode.OK, "{\"ok\":true}"), (status, body));
        Assert.Equal(42, await handle.GetCount().WaitAsync(Bound));
        (status, body) = await SendAsync(new HttpMethod("PATCH"), actorId, "/inspector/state", token, "{\"state\":{\"count\":\"many\"}}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(42, await handle.GetCount().WaitAsync(Bound));

        await using var connection = await handle.Connect().WaitAsync(Bound);
        (status, body) = await SendAsync(HttpMethod.Get, actorId, "/inspector/connections", token);
        var connections = Json(body).GetProperty("connections");
        Assert.Equal(1, connections.GetArrayLength());
        Assert.False(string.IsNullOrEmpty(connections[0].GetProperty("id").GetString()));

        (status, body) = await SendAsync(HttpMethod.Get, actorId, "/inspector/summary", token);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("patched", Json(body).GetProperty("state").GetProperty("label").GetString());
        Assert.Equal(1, Json(body).GetProperty("connections").GetArrayLength());
    }

    [Fact]
    public async Task The_inspector_socket_sends_init_to_the_right_token_and_refuses_a_wrong_one()
    {
        var handle = _client.InspectedCounter.GetOrCreate(Guid.NewGuid().ToString("N"));
        Assert.Equal(4, await handle.Increment(4).WaitAsync(Bound));
        var actorId = await handle.ResolveAsync().WaitAsync(Bound);
        using var api = new EngineApiClient(engine.Endpoint);
        var token = Encoding.UTF8.GetString((await api.ReadKvAsync(actorId, new byte[] { 3 }).WaitAsync(Bound))!.Value);

        // A wrong token: the socket is closed without a single inspector message.
        using (var refused = await OpenSocketAsync(actorId, "0123"))
        {
            var (type, _) = await ReceiveAsync(refused);
            Assert.Equal(WebSocketMessageType.Close, type);
            Assert.Equal("inspector.unauthorized", refused.CloseStatusDescription);
        }

        // The dashboard's handshake: Init (tag 17) first, its state the actor's (CBOR).
        using var socket = await OpenSocketAsync(actorId, token);
        var (kind, init) = await ReceiveAsync(socket);
        Assert.Equal(WebSocketMessageType.Binary, kind);
        Assert.Equal(17, init[0]);
        Assert.Contains("\"count\":4", Encoding.UTF8.GetString(Rivet.Codecs.Cbor.CborJson.CborToJson(ReadInitState(init))));

        // An action over the socket (ActionRequest, tag 3): ActionResponse (tag 2) with the output, then StateUpdated (tag 5).
        var args = Rivet.Codecs.Cbor.CborJson.JsonToCbor("[2]"u8);
        var request = new byte[] { 3, 9, (byte)"increment".Length }.Concat(Encoding.UTF8.GetBytes("increment")).Append((byte)args.Length).Concat(args).ToArray();
        await socket.SendAsync(request, WebSocketMessageType.Binary, true, default).WaitAsync(Bound);
        var (_, response) = await ReceiveAsync(socket);
        Assert.Equal(new byte[] { 2, 9 }, response[..2]);
        Assert.Equal("6", Encoding.UTF8.GetString(Rivet.Codecs.Cbor.CborJson.CborToJson(response.AsSpan(3, response[2]))));
        var (_, updated) = await ReceiveAsync(socket);
        Assert.Equal(5, updated[0]);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", default).WaitAsync(Bound);
    }

    // Init = connections list, optional state (data), ...: the state's bytes of an Init with no connections.
    private static byte[] ReadInitState(byte[] init)
    {
        Assert.Equal(0, init[1]); // no connections
        Assert.Equal(1, init[2]); // state present
        return init.AsSpan(4, init[3]).ToArray();
    }

    private async Task<ClientWebSocket> OpenSocketAsync(string actorId, string token)
    {
        var socket = new ClientWebSocket();
        foreach (var protocol in new[] { "rivet", "rivet_target.actor", "rivet_actor." + actorId, "rivet_encoding.bare", "rivet_inspector_token." + token })
        {
            socket.Options.AddSubProtocol(protocol);
        }
        var uri = new UriBuilder(engine.Endpoint) { Scheme = "ws", Path = $"/gateway/{actorId}/inspector/connect", Query = "protocol_version=6" }.Uri;
        await socket.ConnectAsync(uri, default).WaitAsync(Bound);
        return socket;
    }

    private static async Task<(WebSocketMessageType Type, byte[] Data)> ReceiveAsync(ClientWebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        using var timeout = new System.Threading.CancellationTokenSource(Bound);
        var result = await socket.ReceiveAsync(buffer, timeout.Token);
        return (result.MessageType, buffer[..result.Count]);
    }

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpMethod method, string actorId, string path, string? token, string? json = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(engine.Endpoint, $"/gateway/{actorId}{path}"));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        using var response = await _http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static JsonElement Json(string body) => JsonDocument.Parse(body).RootElement.Clone();
}
