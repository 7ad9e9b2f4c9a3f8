using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Rivet.Client.Engine;
using Rivet.AspNetCore;
using Rivet.Sdk.Tests.Engine;
using Rivet.Sdk.Tests.EngineClient;
using Rivet.Sdk.Tests.Infrastructure;
using Rivet.Sdk.Tests.Runtime;
using Xunit.Abstractions;

namespace Rivet.Sdk.Tests.Serverless;

/// <summary>The real engine calls a Kestrel app with <c>MapRivet</c> on loopback to run the test assembly's actors.</summary>
[Collection("engine")]
public sealed class ServerlessEngineTests(EngineFixture engine, ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _pool = "sls-" + Guid.NewGuid().ToString("N")[..8];
    private ServerlessTestApp _app = null!;

    public async Task InitializeAsync() => _app = await ServerlessTestApp.StartForEngineAsync(engine.Endpoint, _pool, engine.Engine.AdminToken);

    public Task DisposeAsync() => _app.DeletePoolAndDisposeAsync(engine, _pool);

    private Task ConfigurePoolAsync(TimeSpan lifespan, TimeSpan? drain = null) =>
        RivetServerless.ConfigurePoolAsync(new RivetServerlessPoolOptions
        {
            EngineEndpoint = engine.Endpoint,
            EngineToken = engine.Engine.AdminToken,
            PoolName = _pool,
            Url = _app.BaseUrl,
            RequestLifespan = lifespan,
            DrainGracePeriod = drain,
            ServerlessToken = _app.Token,
        });

    private RivetClient Client(RivetEncoding encoding = RivetEncoding.Json) =>
        RivetClient.Create(new RivetClientOptions { Endpoint = engine.Endpoint, PoolName = _pool, Encoding = encoding, Token = engine.Engine.AdminToken });

    [Fact]
    public async Task The_engine_starts_the_counter_through_start_and_the_dotnet_client_counts_right()
    {
        await ConfigurePoolAsync(TimeSpan.FromMinutes(5));
        await using var client = Client();
        var key = "e2e-" + Guid.NewGuid().ToString("N")[..8];

        var watch = Stopwatch.StartNew();
        Assert.Equal(5, await client.Counter.GetOrCreate(key).Increment(5));
        var firstCall = watch.Elapsed;
        Assert.Equal(7, await client.Counter.Get(key).Increment(2));
        Assert.Equal(7, await client.Counter.Get(key).GetCount());

        // Usually one /start; on a loaded machine the engine may send another while the first connection is still
        // coming up (seen at load ~30), which is its scaling, not ours: every start is checked, the first in detail.
        var starts = _app.Starts;
        Assert.NotEmpty(starts);
        Assert.All(starts, s => Assert.Equal(("POST", "/api/rivet/start"), (s.Method, s.Path)));
        var start = starts[0];
        Assert.Equal("POST", start.Method);
        Assert.Equal("/api/rivet/start", start.Path);
        Assert.Equal(_pool, start.Headers["x-rivet-pool-name"]);
        Assert.Equal("default", start.Headers["x-rivet-namespace-name"]);
        Assert.StartsWith("http://127.0.0.1:", start.Headers["x-rivet-endpoint"], StringComparison.Ordinal);
        Assert.Equal(new byte[] { 8, 0 }, start.Body[..2]);
        Assert.True(ServerlessRuntime.TryDecodeStart(start.Body, out var checkpoint, out _, out var problem), problem);
        Assert.Equal(0, checkpoint.Index);
        Assert.Equal(1u, checkpoint.Generation);
        Assert.Contains(_app.Requests, r => r.Path == "/api/rivet/metadata");
        Assert.InRange(_app.Runtime.ConnectionCount, 1, starts.Count);

        output.WriteLine($"first call (pool just configured, actor created and started via /start) {firstCall.TotalMilliseconds:0} ms");
        output.WriteLine($"/start {start.Method} {start.Path}, {start.Body.Length} body bytes: {Convert.ToHexString(start.Body)}");
        foreach (var (name, value) in start.Headers.OrderBy(h => h.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"  {name}: {value}");
        }
        var metadata = _app.Requests.First(r => r.Path == "/api/rivet/metadata");
        output.WriteLine("/metadata headers: " + string.Join(", ", metadata.Headers.Select(h => $"{h.Key}: {h.Value}")));
    }

    [Theory]
    [InlineData("json")]
    [InlineData("cbor")]
    [InlineData("bare")]
    public async Task The_TypeScript_client_calls_the_serverless_actor(string encoding)
    {
        await ConfigurePoolAsync(TimeSpan.FromMinutes(5));
        var key = $"ts-{encoding}-{Guid.NewGuid():N}";
        using var results = await RunTsClientAsync(encoding, key);
        var r = results.RootElement;
        Assert.Equal(5, Ok(r, "increment5").GetInt32());
        Assert.Equal(7, Ok(r, "increment2").GetInt32());
        Assert.Equal(7, Ok(r, "getCount").GetInt32());
        Assert.Equal("actor.action_not_found", ErrorId(r, "unknownAction"));
        Assert.Equal("actor.invalid_request", ErrorId(r, "wrongType"));
        Assert.Equal("user.insufficient_funds", ErrorId(r, "overdraw"));
        Assert.Equal("ts", Ok(r, "owner").GetString());
    }

    [Fact]
    public async Task The_engine_presents_the_token_on_start_and_metadata_and_actors_run()
    {
        await ConfigurePoolAsync(TimeSpan.FromMinutes(5));
        await using var client = Client();
        var key = "tok-" + Guid.NewGuid().ToString("N")[..8];
        Assert.Equal(3, await client.Counter.GetOrCreate(key).Increment(3));
        Assert.Equal(_app.Token, _app.Starts.Last().Headers["x-rivet-token"]);
        Assert.All(_app.Requests.Where(r => r.Path == "/api/rivet/metadata"), r => Assert.Equal(_app.Token, r.Headers["x-rivet-token"]));
    }

    [Fact]
    public async Task A_short_request_lifespan_drains_and_restarts_the_actor_without_losing_an_increment()
    {
        await ConfigurePoolAsync(TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(2));
        await using var client = Client();
        var key = "life-" + Guid.NewGuid().ToString("N")[..8];
        var expected = 0;
        var watch = Stopwatch.StartNew();
        var slowest = TimeSpan.Zero;
        while (watch.Elapsed < TimeSpan.FromSeconds(16))
        {
            var call = Stopwatch.StartNew();
            var count = await IncrementUntilOkAsync(client, key);
            expected++;
            slowest = call.Elapsed > slowest ? call.Elapsed : slowest;
            Assert.Equal(expected, count);
            await Task.Delay(100);
        }
        Assert.Equal(expected, await client.Counter.Get(key).GetCount());

        var starts = _app.Starts.OrderBy(s => s.At).ToList();
        Assert.True(starts.Count >= 2, $"expected the engine to restart the actor after the lifespan; saw {starts.Count} /start");
        var generations = starts.Select(s => ServerlessRuntime.TryDecodeStart(s.Body, out var c, out _, out _) ? c.Generation : 0u).ToList();
        Assert.Equal(generations.OrderBy(g => g), generations);
        for (var i = 1; i < starts.Count; i++)
        {
            var gap = starts[i].At - (starts[i - 1].EndedAt ?? starts[i].At);
            output.WriteLine($"/start #{i + 1} (generation {generations[i]}) came {gap.TotalMilliseconds:0} ms after stream #{i} ended; stream #{i} lived {((starts[i - 1].EndedAt ?? DateTime.UtcNow) - starts[i - 1].At).TotalSeconds:0.0} s");
        }
        output.WriteLine($"{expected} increments, slowest call {slowest.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task A_start_request_cut_by_the_server_mid_traffic_brings_the_actor_back_with_its_state()
    {
        await ConfigurePoolAsync(TimeSpan.FromMinutes(5));
        await using var client = Client();
        var key = "cut-" + Guid.NewGuid().ToString("N")[..8];
        for (var i = 1; i <= 5; i++)
        {
            Assert.Equal(i, await client.Counter.GetOrCreate(key).Increment(1));
        }
        Assert.Equal(1, _app.Runtime.AbortActiveStarts());
        var watch = Stopwatch.StartNew();
        var after = await IncrementUntilOkAsync(client, key);
        output.WriteLine($"first increment after the cut took {watch.ElapsedMilliseconds} ms; /start calls: {_app.Starts.Count}");
        Assert.Equal(6, after);
        for (var i = 7; i <= 10; i++)
        {
            Assert.Equal(i, await IncrementUntilOkAsync(client, key));
        }
        Assert.True(_app.Starts.Count >= 2);
    }

    /// <summary>
    /// One increment, sent again until it is answered. The attempts share an idempotency key: an attempt that failed
    /// after the actor ran it (its answer lost in a drain or a cut stream, which a busy machine makes likelier) is
    /// answered from the actor's memory instead of counting twice.
    /// </summary>
    private static async Task<int> IncrementUntilOkAsync(RivetClient client, string key)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(45);
        var operation = Guid.NewGuid().ToString("N");
        while (true)
        {
            try
            {
                return await client.Counter.GetOrCreate(key).WithIdempotencyKey(operation).Increment(1);
            }
            catch (Exception ex) when (ex is RivetException or TimeoutException or System.Net.Http.HttpRequestException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    private static JsonElement Ok(JsonElement results, string name) =>
        results.GetProperty(name).TryGetProperty("ok", out var ok) ? ok : throw new Xunit.Sdk.XunitException($"{name} failed: {results.GetProperty(name)}");

    private static string ErrorId(JsonElement results, string name) =>
        results.GetProperty(name).TryGetProperty("error", out var e)
            ? $"{e.GetProperty("group").GetString()}.{e.GetProperty("code").GetString()}"
            : throw new Xunit.Sdk.XunitException($"{name} should have failed: {results.GetProperty(name)}");

    private Task<JsonDocument> RunTsClientAsync(string encoding, string key) =>
        NodeScript.RunForJsonAsync(Path.Combine(RepoPaths.Root, "tests", "interop", "ts-client.mjs"),
            [engine.Endpoint.ToString().TrimEnd('/'), _pool, encoding, key], TimeSpan.FromMinutes(2), $"The TypeScript client ({encoding})");
}
