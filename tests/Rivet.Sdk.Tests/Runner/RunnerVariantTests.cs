using System;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Rivet.Engine;

namespace Rivet.Sdk.Tests.Runner;

/// <summary>The runner on engines configured differently: streaming gateway, auth. Each test starts its own engine.</summary>
[Collection("engine")]
public sealed class RunnerVariantTests
{
    [Fact]
    public async Task With_the_streaming_gateway_large_bodies_arrive_in_chunks_and_large_results_come_back()
    {
        await using var engine = await RivetEngineProcess.StartAsync(new RivetEngineProcessOptions
        {
            ExtraConfig = JsonNode.Parse("""{"features":{"guard_gateway_v3":{"mode":"on","percentage":100}}}""")!.AsObject(),
        });
        var pool = "v3-" + Guid.NewGuid().ToString("N")[..8];
        await using var runner = await GatewayHttp.StartRunnerAsync(engine.Endpoint, pool);
        using var gateway = new GatewayHttp(engine.Endpoint, pool);

        // ~1.5 MiB of arguments: more than the 1 MiB flow-control window, so the runner must return credit.
        var text = new string('x', 1_500_000);
        Assert.Equal("{\"output\":1500000}", await gateway.PostUntilOkAsync("echo", "big", "measure", $"{{\"args\":[\"{text}\"]}}", TimeSpan.FromSeconds(60)));

        var (status, body) = await gateway.PostAsync("echo", "big", "repeat", "{\"args\":[\"abcdefghij\",30000]}");
        Assert.Equal(200, status);
        Assert.Equal(300_000 + "{\"output\":\"\"}".Length, body.Length);
    }

    [Fact]
    public async Task With_the_streaming_gateway_oversized_bodies_are_refused_while_they_arrive_and_never_held_past_the_limit()
    {
        await using var engine = await RivetEngineProcess.StartAsync(new RivetEngineProcessOptions
        {
            ExtraConfig = JsonNode.Parse("""{"features":{"guard_gateway_v3":{"mode":"on","percentage":100}}}""")!.AsObject(),
        });
        var pool = "v3big-" + Guid.NewGuid().ToString("N")[..8];
        await using var runner = await GatewayHttp.StartRunnerAsync(engine.Endpoint, pool);
        using var gateway = new GatewayHttp(engine.Endpoint, pool);
        // A loaded engine can take minutes to place a new actor.
        Assert.Equal("{\"output\":1}", await gateway.PostUntilOkAsync("counter", "v3big", "increment", "{\"args\":[1]}", TimeSpan.FromMinutes(4)));

        // Eight concurrent 16 MB bodies: half declare their length (refused from content-length before any byte is
        // held), half are chunked with no length (refused from the running length once it passes the limit).
        var url = new Uri(engine.Endpoint, $"/gateway/counter/action/increment?rvt-namespace=default&rvt-method=getOrCreate&rvt-runner={pool}&rvt-key=v3big&rvt-crash-policy=sleep");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(120) };
        var body = new byte[16 * 1024 * 1024];
        body.AsSpan().Fill((byte)' ');
        "{\"args\":[1],\"pad\":\""u8.CopyTo(body);
        body[^2] = (byte)'"';
        body[^1] = (byte)'}';
        var calls = Enumerable.Range(0, 8).Select(async i =>
        {
            HttpContent content = i % 2 == 0 ? new ByteArrayContent(body) : new ChunkedContent(body);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            try
            {
                using var response = await http.PostAsync(url, content);
                return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
            }
            catch (HttpRequestException ex)
            {
                return (0, ex.Message);
            }
        }).ToArray();
        var results = await Task.WhenAll(calls);
        // The gateway may answer and close before it has read the whole upload (the client then sees the connection
        // end, not the answer); whatever reaches the client is the typed error.
        Assert.All(results, r => Assert.True(r.Item1 == 0 || (r.Item1 == 400 && r.Item2.Contains("incoming_too_long", StringComparison.Ordinal)),
            $"an oversized body got {r.Item1}: {r.Item2}"));
        await WaitForAsync(() => runner.RequestBodies.Refused >= 8, TimeSpan.FromMinutes(2),
            () => $"the runner to refuse all 8 oversized bodies (it refused {runner.RequestBodies.Refused})");

        Assert.InRange(runner.RequestBodies.LargestRequest, 0, Rivet.Hosting.ActorHttp.ActorHttpEndpoint.MaxRequestBody);
        await WaitForAsync(() => runner.RequestBodies.Held == 0, TimeSpan.FromMinutes(1),
            () => $"the runner to free every refused body (it still holds {runner.RequestBodies.Held} bytes)");
        Assert.Equal("{\"output\":2}", (await gateway.PostAsync("counter", "v3big", "increment", "{\"args\":[1]}")).Body);
    }

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout, Func<string> waitingFor)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {timeout.TotalSeconds} s for {waitingFor()}.");
            }
            await Task.Delay(100);
        }
    }

    /// <summary>A body sent with chunked transfer encoding: no content-length for anyone to check up front.</summary>
    private sealed class ChunkedContent(byte[] bytes) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            for (var offset = 0; offset < bytes.Length; offset += 64 * 1024)
            {
                await stream.WriteAsync(bytes.AsMemory(offset, Math.Min(64 * 1024, bytes.Length - offset)));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    [Fact]
    public async Task A_request_body_over_the_limit_gets_a_clear_error_and_the_actor_stays_alive()
    {
        await using var engine = await RivetEngineProcess.StartAsync();
        var pool = "big-" + Guid.NewGuid().ToString("N")[..8];
        await using var runner = await GatewayHttp.StartRunnerAsync(engine.Endpoint, pool);
        using var gateway = new GatewayHttp(engine.Endpoint, pool);
        Assert.Equal("{\"output\":1}", await gateway.PostUntilOkAsync("counter", "big", "increment", "{\"args\":[1]}", TimeSpan.FromSeconds(30)));

        // The default gateway sends the whole body in one envoy message: refused from its length, never copied.
        var (status, body) = await gateway.PostAsync("counter", "big", "increment", "{\"args\":[1],\"pad\":\"" + new string('p', 5 * 1024 * 1024) + "\"}");
        Assert.Equal(400, status);
        Assert.Contains("\"group\":\"message\"", body, StringComparison.Ordinal);
        Assert.Contains("\"code\":\"incoming_too_long\"", body, StringComparison.Ordinal);
        Assert.Contains("limit is 4194304 bytes", body, StringComparison.Ordinal);
        Assert.Equal(0, runner.RequestBodies.LargestRequest);
        Assert.Equal("{\"output\":2}", (await gateway.PostAsync("counter", "big", "increment", "{\"args\":[1]}")).Body);
    }

    [Fact]
    public async Task On_an_engine_with_auth_the_runner_needs_the_token_and_says_so_without_it()
    {
        await using var engine = await RivetEngineProcess.StartAsync(new RivetEngineProcessOptions { AdminToken = "s3cret-token" });
        var pool = "auth-" + Guid.NewGuid().ToString("N")[..8];

        var refused = await Assert.ThrowsAnyAsync<RivetException>(() => GatewayHttp.StartRunnerAsync(engine.Endpoint, pool));
        Assert.Contains("forbidden", refused.Id + refused.Message, StringComparison.OrdinalIgnoreCase);

        await using var runner = await GatewayHttp.StartRunnerAsync(engine.Endpoint, pool, configure: o => o.Token = "s3cret-token");
        using var http = new HttpClient();
        var url = new Uri(engine.Endpoint, $"/gateway/counter/action/increment?rvt-namespace=default&rvt-method=getOrCreate&rvt-runner={pool}&rvt-key=auth&rvt-crash-policy=sleep&rvt-token=s3cret-token");
        string last = "";
        for (var attempt = 0; attempt < 60; attempt++)
        {
            using var response = await http.PostAsync(url, new StringContent("{\"args\":[3]}", Encoding.UTF8, "application/json"));
            last = await response.Content.ReadAsStringAsync();
            if (response.IsSuccessStatusCode)
            {
                break;
            }
            await Task.Delay(500);
        }
        Assert.Equal("{\"output\":3}", last);
    }
}
