using System;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Rivet.Client.Engine;
using Rivet.Engine;
using Rivet.Hosting.Runner;
using Rivet.AspNetCore;
using Rivet.Sdk.Tests.ActorConnect;
using Rivet.Sdk.Tests.Infrastructure;
using Rivet.Sdk.Tests.Runtime;
using Rivet.Sdk.Tests.Serverless;
using Xunit.Abstractions;

namespace Rivet.Sdk.Tests.Security;

/// <summary>
/// A real engine with auth on (<c>auth.admin_token</c>): runners, clients, connections and the serverless host work
/// with the token; a wrong token fails fast with a typed error; the token never shows in logs or errors.
/// </summary>
[Collection("engine")]
public sealed class EngineAuthTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _token = "tok-" + Guid.NewGuid().ToString("N");
    private readonly string _wrong = "wrong-" + Guid.NewGuid().ToString("N");
    private readonly CapturingLoggerProvider _logs = new();
    private RivetEngineProcess _engine = null!;

    public async Task InitializeAsync() =>
        _engine = await RivetEngineProcess.StartAsync(new RivetEngineProcessOptions { AdminToken = _token });

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    private ILoggerFactory Logging => LoggerFactory.Create(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Trace));

    [Fact]
    public async Task A_runner_and_a_client_with_the_token_work_end_to_end_and_no_log_shows_the_token()
    {
        var pool = "auth-" + Guid.NewGuid().ToString("N")[..8];
        await using var runner = await RivetRunnerWithLogsAsync(pool, _token);
        await using var client = RivetClient.Create(new RivetClientOptions { Endpoint = _engine.Endpoint, PoolName = pool, Token = _token, LoggerFactory = Logging });
        var key = "auth-" + Guid.NewGuid().ToString("N")[..8];

        Assert.Equal(3, await CallUntilOkAsync(() => client.ConnectRoom.GetOrCreate(key).Increment(3)));
        await using (var connection = await client.ConnectRoom.Get(key).Handle.ConnectAsync())
        {
            Assert.Equal("5", Encoding.UTF8.GetString((await connection.InvokeRawAsync("increment", "[2]"u8.ToArray())).Span));
        }
        // The id route (the key resolved over the REST API first) with the token too.
        var id = await client.ConnectRoom.Get(key).Handle.ResolveAsync();
        Assert.Equal(5, await client.ConnectRoom.GetForId(id).GetCount());

        Assert.NotEmpty(_logs.Entries);
        Assert.DoesNotContain(_token, _logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_token_fails_fast_with_a_typed_error_that_does_not_show_the_token()
    {
        var pool = "auth-" + Guid.NewGuid().ToString("N")[..8];
        await using var runner = await RivetRunnerWithLogsAsync(pool, _token);
        await using var client = RivetClient.Create(new RivetClientOptions { Endpoint = _engine.Endpoint, PoolName = pool, Token = _wrong, LoggerFactory = Logging });
        var key = "wrong-" + Guid.NewGuid().ToString("N")[..8];

        var watch = Stopwatch.StartNew();
        var create = await Assert.ThrowsAnyAsync<RivetException>(() => client.ConnectRoom.Create([key]));
        var resolve = await Assert.ThrowsAnyAsync<RivetException>(() => client.ConnectRoom.Get(key).Handle.ResolveAsync());
        var runnerError = await Assert.ThrowsAnyAsync<RivetException>(() => RivetRunnerWithLogsAsync(pool, _wrong));
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Exception? envoyOnly = null;
        try
        {
            await using var never = await RivetRunnerWithLogsAsync(pool, _wrong, ensureConfig: false, bound.Token);
        }
        catch (Exception ex)
        {
            envoyOnly = ex;
        }
        var elapsed = watch.Elapsed;
        output.WriteLine($"create: {create}\nresolve: {resolve}\nrunner: {runnerError}\nenvoy: {envoyOnly}\nall four refused in {elapsed.TotalMilliseconds:0} ms");
        output.WriteLine(string.Join("\n", _logs.Entries.Where(e => e.Category.StartsWith("Rivet", StringComparison.Ordinal)).Select(e => $"{e.Level} {e.Category}: {e.Text}").Take(20)));

        var envoyError = Assert.IsType<RivetException>(envoyOnly);
        Assert.True(elapsed < TimeSpan.FromSeconds(30), $"the four refusals took {elapsed.TotalSeconds:0.0} s");
        foreach (var error in new[] { create, resolve, runnerError, envoyError })
        {
            Assert.Contains("forbidden", error.Id + " " + error.Message, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(_wrong, error.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(_wrong, Describe(error), StringComparison.Ordinal);
        }

        // The gateway of engine 2.3.19 does not check engine tokens on actor traffic: that is left to the actor
        // (connection params, OnBeforeConnectAsync). A wrong token still reaches the actor.
        Assert.Equal(1, await CallUntilOkAsync(() => client.ConnectRoom.GetOrCreate(key).Increment(1)));
        Assert.DoesNotContain(_wrong, _logs.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(_token, _logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_serverless_pool_on_an_engine_with_auth_runs_actors_and_a_wrong_engine_token_fails_the_start_fast()
    {
        var pool = "auth-sls-" + Guid.NewGuid().ToString("N")[..8];
        await using var app = await ServerlessTestApp.StartForEngineAsync(_engine.Endpoint, pool, _token, o => o.LoggerFactory = Logging);
        try
        {
            await RivetServerless.ConfigurePoolAsync(new RivetServerlessPoolOptions
            {
                EngineEndpoint = _engine.Endpoint,
                EngineToken = _token,
                PoolName = pool,
                Url = app.BaseUrl,
                RequestLifespan = TimeSpan.FromMinutes(5),
                ServerlessToken = app.Token,
            });
            await using var client = RivetClient.Create(new RivetClientOptions { Endpoint = _engine.Endpoint, PoolName = pool, Token = _token });
            var key = "sls-" + Guid.NewGuid().ToString("N")[..8];
            try
            {
                Assert.Equal(4, await CallUntilOkAsync(() => client.Counter.GetOrCreate(key).Increment(4)));
            }
            finally
            {
                foreach (var r in app.Requests.Where(r => r.Path.EndsWith("/start", StringComparison.Ordinal)).Take(1))
                {
                    output.WriteLine($"{r.Path} headers on an engine with auth: " + string.Join(", ", r.Headers.Select(h => $"{h.Key}={h.Value.Replace(_token, "<admin token>").Replace(app.Token!, "<serverless token>")}")));
                }
            }
            // Engine 2.3.19 with auth on sends the pool's x-rivet-token and its own admin token as a second one.
            Assert.Equal($"{app.Token},{_token}", app.Starts.Last().Headers["x-rivet-token"]);
        }
        finally
        {
            using var api = new EngineApiClient(_engine.Endpoint, token: _token);
            await api.DeleteRunnerConfigAsync(pool);
        }

        // The same start through an app whose engine token is wrong: refused at once, not after the connect timeout.
        await using var wrongApp = await ServerlessTestApp.StartForEngineAsync(_engine.Endpoint, pool, _wrong, o => o.LoggerFactory = Logging);
        var body = app.Starts.Last().Body;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(wrongApp.BaseUrl + "/start")) { Content = new ByteArrayContent(body) };
        request.Headers.Add("x-rivet-token", wrongApp.Token);
        request.Headers.Add("x-rivet-pool-name", pool);
        request.Headers.Add("x-rivet-namespace-name", "default");
        var watch = Stopwatch.StartNew();
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        output.WriteLine($"wrong engine token: {(int)response.StatusCode} {text} after {watch.ElapsedMilliseconds} ms");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("api.forbidden", text, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < wrongApp.Runtime.Options.ConnectTimeout, $"the refused start took {watch.Elapsed.TotalSeconds:0.0} s");
        Assert.DoesNotContain(_wrong, text, StringComparison.Ordinal);
        Assert.DoesNotContain(_wrong, _logs.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(_token, _logs.AllText, StringComparison.Ordinal);
    }

    private Task<RivetRunner> RivetRunnerWithLogsAsync(string pool, string token, bool ensureConfig = true, CancellationToken cancellationToken = default) =>
        RivetRunner.StartAsync(
            new RunnerOptions { Endpoint = _engine.Endpoint, PoolName = pool, Token = token, EnsureRunnerConfig = ensureConfig, ReconnectDelay = TimeSpan.FromMilliseconds(200) },
            Rivet.Runtime.ActorRegistry.Default, Logging, client: null, cancellationToken);

    /// <summary>The whole chain: messages and ToString of every inner exception.</summary>
    private static string Describe(Exception error)
    {
        var text = new StringBuilder();
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            text.Append(e.GetType().FullName).Append(": ").Append(e.Message).Append('\n').Append(e).Append('\n');
        }
        return text.ToString();
    }

    private static async Task<T> CallUntilOkAsync<T>(Func<Task<T>> call)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception ex) when (ex is RivetException or TimeoutException && deadline.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(200);
            }
        }
    }
}
