using System;
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
    public async Task A_request_body_over_the_limit_gets_a_clear_error_and_the_actor_stays_alive()
    {
        await using var engine = await RivetEngineProcess.StartAsync();
        var pool = "big-" + Guid.NewGuid().ToString("N")[..8];
        await using var runner = await GatewayHttp.StartRunnerAsync(engine.Endpoint, pool);
        using var gateway = new GatewayHttp(engine.Endpoint, pool);
        Assert.Equal("{\"output\":1}", await gateway.PostUntilOkAsync("counter", "big", "increment", "{\"args\":[1]}", TimeSpan.FromSeconds(30)));

        var (status, body) = await gateway.PostAsync("counter", "big", "increment", "{\"args\":[1],\"pad\":\"" + new string('p', 5 * 1024 * 1024) + "\"}");
        Assert.Equal(400, status);
        Assert.Contains("incoming_too_long", body);
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
