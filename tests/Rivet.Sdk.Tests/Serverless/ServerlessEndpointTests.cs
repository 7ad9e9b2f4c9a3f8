using System;
using System.Buffers;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using Rivet.AspNetCore;
using Rivet.Protocol.Envoy;

namespace Rivet.Sdk.Tests.Serverless;

/// <summary>The serverless endpoints without an engine: metadata shape, token checks, malformed start bodies.</summary>
public sealed class ServerlessEndpointTests
{
    private static readonly HttpClient s_http = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>Secure options with an engine address where nothing listens: a start that got past validation would get 503, not 4xx.</summary>
    internal static void Secure(RivetServerlessOptions options)
    {
        options.Token = "right";
        options.EngineEndpoint = new Uri("http://127.0.0.1:9/");
        options.PoolNames = ["pool"];
    }

    [Fact]
    public async Task Metadata_has_the_shape_the_engine_accepts()
    {
        await using var app = await ServerlessTestApp.StartAsync(Secure);
        using var metadataRequest = new HttpRequestMessage(HttpMethod.Get, new Uri(app.Root, "/api/rivet/metadata"));
        metadataRequest.Headers.Add("x-rivet-token", "right");
        using var metadataResponse = await s_http.SendAsync(metadataRequest);
        var json = await metadataResponse.Content.ReadAsStringAsync();
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal("rivetkit", root.GetProperty("runtime").GetString());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("version").GetString()));
        Assert.Equal(8, root.GetProperty("envoyProtocolVersion").GetInt32());
        Assert.Equal(JsonValueKind.Object, root.GetProperty("envoy").GetProperty("kind").GetProperty("serverless").ValueKind);
        Assert.Equal(1, root.GetProperty("envoy").GetProperty("version").GetInt32());
        Assert.Equal("{}", root.GetProperty("actorNames").GetProperty("counter").GetProperty("metadata").GetRawText());

        Assert.Contains("Rivet", await s_http.GetStringAsync(new Uri(app.Root, "/api/rivet")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("wrong", HttpStatusCode.Forbidden)]
    public async Task Start_without_the_right_token_is_refused_and_nothing_runs(string? token, HttpStatusCode expected)
    {
        await using var app = await ServerlessTestApp.StartAsync(Secure);
        using var response = await PostStartAsync(app, ValidStartBody(), token);
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(0, app.Runtime.ConnectionCount);

        using var bearer = await PostStartAsync(app, ValidStartBody(), null, bearer: token ?? "");
        Assert.Equal(token is null ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden, bearer.StatusCode);
    }

    public static TheoryData<string, byte[]> MalformedBodies()
    {
        var valid = ValidStartBody();
        var wrongVersion = (byte[])valid.Clone();
        wrongVersion[0] = 7;
        return new TheoryData<string, byte[]>
        {
            { "empty", [] },
            { "version only", [8, 0] },
            { "wrong version", wrongVersion },
            { "truncated", valid[..(valid.Length - 5)] },
            { "trailing bytes", [.. valid, 1, 2, 3] },
            { "a stop command", Encode(new ToEnvoyCommands { Items = [new CommandWrapper { Checkpoint = Checkpoint(), Inner = new CommandStopActor { Reason = StopActorReason.StopIntent } }] }) },
            { "two starts", Encode(new ToEnvoyCommands { Items = [StartWrapper(), StartWrapper()] }) },
            { "a ping", Encode(new ToEnvoyPing { Ts = 1 }) },
        };
    }

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task A_malformed_start_body_gets_400_and_nothing_runs(string name, byte[] body)
    {
        await using var app = await ServerlessTestApp.StartAsync(Secure);
        using var response = await PostStartAsync(app, body, "right");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{name}: {(int)response.StatusCode} {text}");
        using var error = JsonDocument.Parse(text);
        Assert.Equal("invalid_start_payload", error.RootElement.GetProperty("code").GetString());
        Assert.Equal(0, app.Runtime.ConnectionCount);
    }

    [Fact]
    public async Task Start_without_the_engine_headers_gets_400()
    {
        await using var app = await ServerlessTestApp.StartAsync(Secure);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(app.Root, "/api/rivet/start")) { Content = new ByteArrayContent(ValidStartBody()) };
        request.Headers.Add("x-rivet-token", "right");
        using var response = await s_http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, app.Runtime.ConnectionCount);
    }

    internal static async Task<HttpResponseMessage> PostStartAsync(ServerlessTestApp app, byte[] body, string? token, string? bearer = null,
        string endpoint = "http://127.0.0.1:9/", string pool = "pool", string ns = "default", HttpClient? http = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(app.Root, "/api/rivet/start")) { Content = new ByteArrayContent(body) };
        request.Headers.Add("x-rivet-endpoint", endpoint);
        request.Headers.Add("x-rivet-pool-name", pool);
        request.Headers.Add("x-rivet-namespace-name", ns);
        if (token is not null)
        {
            request.Headers.Add("x-rivet-token", token);
        }
        if (bearer is { Length: > 0 })
        {
            request.Headers.Add("authorization", "Bearer " + bearer);
        }
        return await (http ?? s_http).SendAsync(request);
    }

    private static ActorCheckpoint Checkpoint() => new() { ActorId = "piemj52mg6vl86exqvyjo3mvzyal00", Generation = 1, Index = 0 };

    private static CommandWrapper StartWrapper() => new()
    {
        Checkpoint = Checkpoint(),
        Inner = new CommandStartActor
        {
            Config = new ActorConfig { Name = "counter", Key = "sl1", CreateTs = 1_700_000_000_000 },
            HibernatingRequests = new List<HibernatingRequest>(),
        },
    };

    internal static byte[] ValidStartBody() => Encode(new ToEnvoyCommands { Items = [StartWrapper()] });

    private static byte[] Encode(IToEnvoy message)
    {
        var buffer = new ArrayBufferWriter<byte>();
        buffer.Write(new byte[] { 8, 0 });
        ToEnvoy.Encode(message, buffer);
        return buffer.WrittenSpan.ToArray();
    }
}
