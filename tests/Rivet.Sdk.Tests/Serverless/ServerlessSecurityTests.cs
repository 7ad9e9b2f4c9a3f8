using System;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Rivet.AspNetCore;
using Rivet.Sdk.Tests.Infrastructure;
using static Rivet.Sdk.Tests.Serverless.ServerlessEndpointTests;

namespace Rivet.Sdk.Tests.Serverless;

/// <summary>
/// The attacks of issue 11 against the serverless endpoints, each on a real Kestrel app: a crafted <c>/start</c> must
/// not make the app dial an address of the caller's choosing, present the engine token anywhere but the configured
/// engine, open an envoy connection per invented pool, or hold the request while an engine does not answer.
/// </summary>
public sealed class ServerlessSecurityTests
{
    private static readonly HttpClient s_http = new() { Timeout = TimeSpan.FromSeconds(60) };

    [Fact]
    public async Task Without_a_token_or_an_engine_endpoint_the_endpoints_refuse_to_start()
    {
        var noToken = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerlessTestApp.StartAsync(o => o.EngineEndpoint = new Uri("http://127.0.0.1:9/")));
        Assert.Contains("RivetServerlessOptions.Token", noToken.Message, StringComparison.Ordinal);
        Assert.Contains("AllowUnauthenticatedStart", noToken.Message, StringComparison.Ordinal);

        var noEngine = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerlessTestApp.StartAsync(o => o.Token = "right"));
        Assert.Contains("RivetServerlessOptions.EngineEndpoint", noEngine.Message, StringComparison.Ordinal);

        var badLimit = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerlessTestApp.StartAsync(o =>
        {
            Secure(o);
            o.MaxEnvoyConnections = 0;
        }));
        Assert.Contains("MaxEnvoyConnections", badLimit.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Opting_out_of_the_token_is_logged_as_a_warning_and_start_then_needs_no_token()
    {
        var logs = new CapturingLoggerProvider();
        await using var app = await ServerlessTestApp.StartAsync(o =>
        {
            Secure(o);
            o.Token = null;
            o.AllowUnauthenticatedStart = true;
            o.ConnectTimeout = TimeSpan.FromSeconds(2);
            o.LoggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        });
        var warning = Assert.Single(logs.Entries, e => e.Level == LogLevel.Warning && e.Text.Contains("unauthenticated", StringComparison.Ordinal));
        Assert.Contains(app.App.Environment.EnvironmentName, warning.Text, StringComparison.Ordinal);

        // Past authentication: the start reaches the (unreachable) configured engine.
        using var response = await PostStartAsync(app, ValidStartBody(), token: null, http: s_http);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    [Fact]
    public async Task A_crafted_endpoint_header_is_never_dialled_and_the_engine_token_goes_only_to_the_configured_engine()
    {
        using var engine = new BlackHoleListener();
        using var attacker = new BlackHoleListener();
        await using var app = await ServerlessTestApp.StartAsync(o =>
        {
            Secure(o);
            o.EngineEndpoint = engine.Url;
            o.EngineToken = "engine-secret-7391";
            o.ConnectTimeout = TimeSpan.FromSeconds(2);
        });

        // No token: refused before anything is dialled.
        using (var anonymous = await PostStartAsync(app, ValidStartBody(), token: null, endpoint: attacker.Url.ToString()))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }
        // Even with the right token the header is ignored: the app dials its configured engine only.
        using (var authorized = await PostStartAsync(app, ValidStartBody(), token: "right", endpoint: attacker.Url.ToString()))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, authorized.StatusCode);
        }

        Assert.Equal(0, attacker.Accepted);
        Assert.Equal("", attacker.Received);
        await WaitUntilAsync(() => engine.Received.Contains("rivet_token.engine-secret-7391", StringComparison.Ordinal),
            "the configured engine to receive the envoy upgrade with the engine token");
    }

    [Fact]
    public async Task With_the_token_opted_out_an_endpoint_outside_the_allow_list_is_refused_and_not_dialled()
    {
        using var engine = new BlackHoleListener();
        using var attacker = new BlackHoleListener();
        await using var app = await ServerlessTestApp.StartAsync(o =>
        {
            o.AllowUnauthenticatedStart = true;
            o.AllowedEngineEndpoints = [engine.Url];
            o.EngineToken = "engine-secret-7391";
            o.PoolNames = ["pool"];
        });

        using var response = await PostStartAsync(app, ValidStartBody(), token: null, endpoint: attacker.Url.ToString());
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("endpoint_not_allowed", await ErrorCodeAsync(response));
        Assert.Equal(0, app.Runtime.ConnectionCount);
        Assert.Equal(0, attacker.Accepted);
        Assert.Equal(0, engine.Accepted);
    }

    [Fact]
    public async Task Thirty_crafted_pool_names_open_no_envoy_connection()
    {
        using var engine = new BlackHoleListener();
        await using var app = await ServerlessTestApp.StartAsync(o =>
        {
            Secure(o);
            o.Token = null;
            o.AllowUnauthenticatedStart = true; // the weakest configuration allowed
            o.EngineEndpoint = engine.Url;
        });

        var responses = await Task.WhenAll(Enumerable.Range(0, 30).Select(async i =>
        {
            using var response = await PostStartAsync(app, ValidStartBody(), token: null, pool: $"evil-{i}");
            return (response.StatusCode, Code: await ErrorCodeAsync(response));
        }));

        Assert.All(responses, r => Assert.Equal((HttpStatusCode.Forbidden, "pool_not_allowed"), r));
        Assert.Equal(0, app.Runtime.ConnectionCount);
        Assert.Equal(0, engine.Accepted);
    }

    [Fact]
    public async Task Envoy_connections_are_bounded_per_process()
    {
        using var engine = new BlackHoleListener();
        await using var app = await ServerlessTestApp.StartAsync(o =>
        {
            Secure(o);
            o.EngineEndpoint = engine.Url;
            o.PoolNames = [.. Enumerable.Range(0, 6).Select(i => $"p{i}")];
            o.MaxEnvoyConnections = 2;
            // The two admitted connects hold their slots this long: all six starts must arrive meanwhile, which a busy
            // machine may take seconds to do.
            o.ConnectTimeout = TimeSpan.FromSeconds(15);
        });

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(async i =>
        {
            using var response = await PostStartAsync(app, ValidStartBody(), token: "right", pool: $"p{i}", http: s_http);
            return (response.StatusCode, Code: await ErrorCodeAsync(response));
        }));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.ServiceUnavailable, r.StatusCode));
        Assert.Equal(4, responses.Count(r => r.Code == "too_many_connections"));
        Assert.Equal(2, responses.Count(r => r.Code == "connect_failed"));
        Assert.True(engine.Accepted <= 2, $"expected at most 2 envoy sockets to the engine, saw {engine.Accepted}");
    }

    [Fact]
    public async Task A_start_whose_engine_does_not_answer_fails_within_the_connect_timeout()
    {
        using var engine = new BlackHoleListener();
        await using var app = await ServerlessTestApp.StartAsync(o =>
        {
            Secure(o);
            o.EngineEndpoint = engine.Url; // default ConnectTimeout (10 s)
        });

        var watch = Stopwatch.StartNew();
        using var response = await PostStartAsync(app, ValidStartBody(), token: "right", http: s_http);
        var elapsed = watch.Elapsed;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("connect_failed", body, StringComparison.Ordinal);
        Assert.Contains("ConnectTimeout", body, StringComparison.Ordinal);
        Assert.True(elapsed < TimeSpan.FromSeconds(25), $"the start took {elapsed.TotalSeconds:0.0} s; expected about the 10 s connect timeout");
        await WaitUntilAsync(() => app.Runtime.ConnectionCount == 0, "the failed envoy connection to be forgotten");
    }

    [Fact]
    public async Task A_start_for_another_namespace_is_refused_and_nothing_is_dialled()
    {
        using var engine = new BlackHoleListener();
        await using var app = await ServerlessTestApp.StartAsync(o =>
        {
            Secure(o);
            o.EngineEndpoint = engine.Url;
        });

        using var response = await PostStartAsync(app, ValidStartBody(), token: "right", ns: "other");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("namespace_mismatch", await ErrorCodeAsync(response));
        Assert.Equal(0, engine.Accepted);
    }

    [Fact]
    public async Task Metadata_needs_the_token_and_health_says_nothing_but_ok()
    {
        await using var app = await ServerlessTestApp.StartAsync(Secure);

        using var anonymous = await s_http.GetAsync(new Uri(app.Root, "/api/rivet/metadata"));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.DoesNotContain("counter", await anonymous.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var wrong = new HttpRequestMessage(HttpMethod.Get, new Uri(app.Root, "/api/rivet/metadata"));
        wrong.Headers.Add("authorization", "Bearer wrong");
        using var wrongResponse = await s_http.SendAsync(wrong);
        Assert.Equal(HttpStatusCode.Forbidden, wrongResponse.StatusCode);

        Assert.Equal("{\"status\":\"ok\"}", await s_http.GetStringAsync(new Uri(app.Root, "/api/rivet/health")));
    }

    private static async Task<string?> ErrorCodeAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        try
        {
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.TryGetProperty("code", out var code) ? code.GetString() : null;
        }
        catch (JsonException)
        {
            return $"(not JSON: {text})";
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException($"Waited 30 s for {what}.");
            }
            await Task.Delay(50);
        }
    }
}
