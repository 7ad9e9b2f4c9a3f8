using System;
using System.Diagnostics;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Rivet.AspNetCore;
using Rivet.Sdk.Tests.Engine;
using Rivet.Sdk.Tests.Runtime;
using Xunit.Abstractions;

namespace Rivet.Sdk.Tests.Serverless;

/// <summary>Stopping a serverless app while an action runs ends within <see cref="RivetServerlessOptions.ShutdownTimeout"/>.</summary>
[Collection("engine")]
public sealed class ServerlessShutdownTests(EngineFixture engine, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Room over <see cref="ShutdownTimeout"/> for a busy machine, still well under the host's own 30 s limit.</summary>
    private static readonly TimeSpan StopSlack = TimeSpan.FromSeconds(15);
    private readonly string _pool = "slsstop-" + Guid.NewGuid().ToString("N")[..8];
    private ServerlessTestApp _app = null!;

    public async Task InitializeAsync() =>
        _app = await ServerlessTestApp.StartForEngineAsync(engine.Endpoint, _pool, engine.Engine.AdminToken, o => o.ShutdownTimeout = ShutdownTimeout);

    public Task DisposeAsync() => _app.DeletePoolAndDisposeAsync(engine, _pool);

    [Fact]
    public async Task Stopping_the_app_while_an_action_waits_on_its_token_ends_within_the_shutdown_timeout()
    {
        await ConfigurePoolAsync();
        await using var client = Client();
        var key = "stop-" + Guid.NewGuid().ToString("N")[..8];
        var call = client.WaitingActor.GetOrCreate(key).WaitForCancellation();
        await CancellationProbe.Started(key).WaitAsync(TimeSpan.FromSeconds(120));

        var took = await StopAppAsync();

        Assert.True(CancellationProbe.Cancelled(key).IsCompleted, "the running action's token did not fire during shutdown");
        Assert.True(took < ShutdownTimeout + StopSlack, $"stopping took {took.TotalSeconds:0.0} s, ShutdownTimeout is {ShutdownTimeout.TotalSeconds} s (the host's own limit, 30 s, is what a missed bound looks like)");
        _ = call.ContinueWith(t => t.Exception, TaskScheduler.Default);
    }

    [Fact]
    public async Task Stopping_the_app_while_an_action_ignores_its_token_ends_within_the_shutdown_timeout()
    {
        await ConfigurePoolAsync();
        await using var client = Client();
        var key = "stubborn-" + Guid.NewGuid().ToString("N")[..8];
        var call = client.StubbornActor.GetOrCreate(key).Hold();
        await CancellationProbe.Started(key).WaitAsync(TimeSpan.FromSeconds(120));
        try
        {
            var took = await StopAppAsync();
            Assert.True(took < ShutdownTimeout + StopSlack, $"stopping took {took.TotalSeconds:0.0} s, ShutdownTimeout is {ShutdownTimeout.TotalSeconds} s (the host's own limit, 30 s, is what a missed bound looks like)");
        }
        finally
        {
            StubbornActor.Release(key);
            _ = call.ContinueWith(t => t.Exception, TaskScheduler.Default);
        }
    }

    private async Task<TimeSpan> StopAppAsync()
    {
        var clock = Stopwatch.StartNew();
        // No token: the app's own bound is under test (the host's default limit is 30 s).
        await _app.App.StopAsync().WaitAsync(TimeSpan.FromSeconds(90));
        var took = clock.Elapsed;
        output.WriteLine($"app stopped {took.TotalSeconds:0.0} s after StopAsync with an action running (ShutdownTimeout {ShutdownTimeout.TotalSeconds} s)");
        return took;
    }

    private Task ConfigurePoolAsync() =>
        RivetServerless.ConfigurePoolAsync(new RivetServerlessPoolOptions
        {
            EngineEndpoint = engine.Endpoint,
            EngineToken = engine.Engine.AdminToken,
            PoolName = _pool,
            Url = _app.BaseUrl,
            RequestLifespan = TimeSpan.FromMinutes(5),
            ServerlessToken = _app.Token,
        });

    private RivetClient Client() =>
        RivetClient.Create(new RivetClientOptions { Endpoint = engine.Endpoint, PoolName = _pool, Token = engine.Engine.AdminToken });
}
