using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using Rivet.Client;
using Rivet.Client.Engine;
using System.Threading.Tasks;
using Rivet.Hosting.Runner;
using Rivet.Sdk.Tests.Engine;
using Rivet.Sdk.Tests.EngineClient;
using Rivet.Sdk.Tests.Infrastructure;
using Rivet.Sdk.Tests.Runner;

namespace Rivet.Sdk.Tests.Interop;

/// <summary>RivetKit's own TypeScript client (rivetkit 2.3.19, Node 22) calls .NET actors hosted by our runner.</summary>
[Collection("engine")]
public sealed partial class TsClientInteropTests(EngineFixture engine) : IAsyncLifetime
{
    private static readonly TimeSpan s_clientTimeout = TimeSpan.FromMinutes(2);
    private readonly string _pool = "ts-client-" + Guid.NewGuid().ToString("N")[..8];
    private RivetRunner _runner = null!;

    public async Task InitializeAsync() => _runner = await GatewayHttp.StartRunnerAsync(engine.Endpoint, _pool);

    public async Task DisposeAsync() => await _runner.DisposeAsync();

    [Theory]
    [InlineData("json")]
    [InlineData("cbor")]
    [InlineData("bare")]
    public async Task The_TypeScript_client_calls_a_dotnet_actor_and_gets_the_right_results_and_errors(string encoding)
    {
        var key = $"{encoding}-{Guid.NewGuid():N}";
        using var results = await RunClientAsync(encoding, key);
        var r = results.RootElement;

        Assert.Equal(5, Ok(r, "increment5").GetInt32());
        Assert.Equal(7, Ok(r, "increment2").GetInt32());
        Assert.Equal(7, Ok(r, "getCount").GetInt32());
        AssertError(r, "unknownAction", "actor", "action_not_found");
        AssertError(r, "wrongType", "actor", "invalid_request");

        Assert.Equal(15, Ok(r, "deposit").GetInt32());
        var overdraw = AssertError(r, "overdraw", "user", "insufficient_funds");
        Assert.Equal("Balance of ts would go negative", overdraw.GetProperty("message").GetString());
        Assert.Equal("ts", Ok(r, "owner").GetString());

        var echoed = Ok(r, "roundtrip");
        Assert.Equal("héllo", echoed.GetProperty("text").GetString());
        Assert.Equal("9007199254740993", echoed.GetProperty("big").GetProperty("$bigint").GetString());
        Assert.Equal(42, echoed.GetProperty("small").GetInt32());
        Assert.Equal("[1,2,255]", echoed.GetProperty("bytes").GetProperty("$bytes").GetRawText());
        Assert.Equal("[\"a\",\"b\"]", echoed.GetProperty("tags").GetRawText());
        Assert.True(echoed.GetProperty("nested").GetProperty("flag").GetBoolean());
        Assert.Equal(0.5, echoed.GetProperty("nested").GetProperty("ratio").GetDouble());
        Assert.Equal(JsonValueKind.Null, echoed.GetProperty("missing").ValueKind);
        Assert.Equal("9007199254740995", Ok(r, "addLong").GetProperty("$bigint").GetString());
        AssertQueueSends(r);

        // docs/supported-types.md, the "wire" rows: what the TypeScript client gets back, and what .NET read.
        var zoo = """
            {"flag":true,"count":42,"big":{"$bigint":"9007199254740993"},"ratio":0.25,"price":12.5,"text":"héllo","id":"0f8fad5b-d9cb-469f-a165-70867728950e",
            "at":"2024-02-29T13:45:30+01:00","day":"2024-02-29","time":"13:45:30","bytes":{"$bytes":[0,1,255]},"level":"High","maybeInt":null,"maybeLevel":"Low",
            "maybeText":null,"items":[1,2,3],"byName":{"a":1},"byId":{"7":"seven"},"point":{"x":1,"y":2},"positional":{"name":"p","count":3},
            "init":{"name":"i","count":4},"derived":{"id":5,"extra":"e"},"renamed":{"n":"r"},"cents":"12.34","animal":{"$type":"cat","name":"c","lives":9},
            "memory":{"$bytes":[7,8,9]},"frozen":[4,5],"maybeItems":[1,null]}
            """.Replace("\n", "", StringComparison.Ordinal);
        Assert.Equal(zoo, Ok(r, "zooEcho").GetRawText());
        Assert.Equal("ZooCat:9|1234|2024-02-29|13:45:30|12.5|High|seven|9007199254740993|9|5|null", Ok(r, "zooDescribe").GetString());
    }

    [Fact]
    public async Task A_key_part_with_a_comma_names_the_same_actor_from_the_typescript_client_and_ours()
    {
        var key = $"comma-{Guid.NewGuid():N}";
        using var results = await RunClientAsync("json", key);
        Assert.Equal(15, Ok(results.RootElement, "deposit").GetInt32()); // TS: ledger.getOrCreate([key, "a,b/c"])

        // RivetKit's client sends the key as rvt-key=key,a,b/c, which the gateway splits on ','. Ours reads the key the
        // same way on every path: the query route, a REST lookup (resolve) and get-or-create with an input.
        await using var client = RivetClient.Create(new RivetClientOptions { Endpoint = engine.Endpoint, PoolName = _pool });
        var snapshot = await client.Get("ledger", [key, "a,b/c"]).InvokeRawAsync("snapshot", "[]"u8.ToArray());
        using (var state = JsonDocument.Parse(snapshot))
        {
            Assert.Equal(15, state.RootElement.GetProperty("balance").GetInt32());
            Assert.Equal("ts", state.RootElement.GetProperty("owner").GetString());
        }
        var id = await client.Get("ledger", [key, "a,b/c"]).ResolveAsync();
        Assert.Equal(id, await client.GetOrCreate("ledger", [key, "a", "b/c"]).ResolveAsync());
        var big = Encoding.UTF8.GetBytes($"{{\"owner\":\"{new string('x', EngineActorTransport.MaxQueryInputSize + 10)}\",\"opening\":0}}");
        var deposited = await client.Transport.InvokeAsync(ActorQuery.GetOrCreate("ledger", [key, "a,b/c"], big), "apply",
            "[{\"kind\":\"Deposit\",\"amount\":5}]"u8.ToArray(), default);
        Assert.Equal("20", Encoding.UTF8.GetString(deposited.Span));
        using var api = new Rivet.Engine.EngineApiClient(engine.Endpoint);
        Assert.Equal(new ActorKey(key, "a", "b/c").Serialize(), (await api.GetActorAsync(id))!.Key);
    }

    [Fact]
    public async Task The_TypeScript_clients_fetch_and_webSocket_reach_a_dotnet_actors_raw_handlers()
    {
        var key = $"raw-{Guid.NewGuid():N}";
        using var results = await RunClientAsync("json", key, "raw");
        var r = results.RootElement;

        Assert.Equal(200, Ok(r, "hello").GetProperty("status").GetInt32());
        Assert.Equal($"hello ?name=ts from {key}", Ok(r, "hello").GetProperty("body").GetString());
        Assert.Equal(201, Ok(r, "hits").GetProperty("status").GetInt32());
        Assert.Equal(4, JsonDocument.Parse(Ok(r, "hits").GetProperty("body").GetString()!).RootElement.GetProperty("hits").GetInt32());
        var echo = Ok(r, "echo");
        Assert.Equal(200, echo.GetProperty("status").GetInt32());
        Assert.Equal(1024 * 1024, echo.GetProperty("length").GetInt32());
        Assert.True(echo.GetProperty("same").GetBoolean());
        Assert.Equal("1048576", echo.GetProperty("header").GetString());
        Assert.Equal(500, Ok(r, "throw").GetProperty("status").GetInt32());
        var error = JsonDocument.Parse(Ok(r, "throw").GetProperty("body").GetString()!).RootElement;
        Assert.Equal("rivetkit.internal_error", error.GetProperty("group").GetString() + "." + error.GetProperty("code").GetString());
        Assert.Equal(404, Ok(r, "missing").GetProperty("status").GetInt32());

        var socket = Ok(r, "socket");
        var received = socket.GetProperty("received");
        Assert.Equal("welcome /chat?room=ts", received[0].GetString());
        Assert.Equal("hi #5", received[1].GetString());
        Assert.Equal("[1,2,3,255]", received[2].GetProperty("$bytes").GetRawText());
        Assert.Equal(6, Ok(r, "getHits").GetInt32());
        Assert.StartsWith(engine.Endpoint.ToString().TrimEnd('/') + "/gateway/", Ok(r, "gatewayUrl").GetString());

        // The handle's params reach the .NET actor's raw handlers as their connection (Caller), and its
        // OnBeforeConnectAsync refuses as a RivetKit actor does (500 with the error; a socket closed 1011 with its id).
        var caller = Ok(r, "callerFetch");
        Assert.Equal("ts (1 open)", caller.GetProperty("body").GetString());
        Assert.False(string.IsNullOrEmpty(caller.GetProperty("actor").GetString()));
        Assert.Equal(500, Ok(r, "callerRefused").GetProperty("status").GetInt32());
        Assert.Contains("\"code\":\"forbidden\"", Ok(r, "callerRefused").GetProperty("body").GetString());
        Assert.Equal("ts/ts", Ok(r, "callerSocket").GetProperty("message").GetString());
        Assert.Equal(1011, Ok(r, "callerSocketRefused").GetProperty("code").GetInt32());
        Assert.Equal("user.forbidden", Ok(r, "callerSocketRefused").GetProperty("reason").GetString());
    }

    [Fact]
    public async Task The_TypeScript_clients_webSocket_to_a_dotnet_actor_stays_open_while_the_actor_sleeps()
    {
        var key = $"raw-hib-{Guid.NewGuid():N}";
        using var results = await RunClientAsync("json", key, "raw-hibernate");
        var r = results.RootElement;

        // RawNapper: the socket hibernates, the actor slept (the engine showed sleep_ts), and the handler got it back.
        var received = Ok(r, "socket").GetProperty("received");
        Assert.Equal("welcome /hib/ts", received[0].GetString());
        Assert.Equal("one #1", received[1].GetString());
        Assert.Equal("two #2 restored", received[2].GetString());
        Assert.Equal("[7,8,9]", received[3].GetProperty("$bytes").GetRawText());
        Assert.Equal(3, Ok(r, "getHits").GetInt32());
    }

    private static JsonElement Ok(JsonElement results, string name) =>
        results.GetProperty(name).TryGetProperty("ok", out var ok) ? ok : throw new Xunit.Sdk.XunitException($"{name} failed: {results.GetProperty(name)}");

    private static JsonElement AssertError(JsonElement results, string name, string group, string code)
    {
        Assert.True(results.GetProperty(name).TryGetProperty("error", out var error), $"{name} should have failed: {results.GetProperty(name)}");
        Assert.Equal($"{group}.{code}", $"{error.GetProperty("group").GetString()}.{error.GetProperty("code").GetString()}");
        return error;
    }

    private Task<JsonDocument> RunClientAsync(string encoding, string key, string? mode = null)
    {
        var arguments = new List<string> { engine.Endpoint.ToString().TrimEnd('/'), _pool, encoding, key };
        if (mode is not null)
        {
            arguments.Add(mode);
        }
        return NodeScript.RunForJsonAsync(Path.Combine(RepoPaths.Root, "tests", "interop", "ts-client.mjs"), arguments, s_clientTimeout,
            $"The TypeScript client ({encoding}, key {key})");
    }
}
