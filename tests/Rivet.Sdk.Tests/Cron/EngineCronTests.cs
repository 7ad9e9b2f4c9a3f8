using System;
using System.Linq;
using System.Threading.Tasks;
using Rivet.Engine;
using Rivet.Hosting.Runner;
using Rivet.Sdk.Tests.Engine;
using Rivet.Sdk.Tests.Lifecycle;
using Rivet.Sdk.Tests.Runner;

namespace Rivet.Sdk.Tests.Cron;

/// <summary>Cron jobs of a .NET runner on the real engine: the engine's alarm wakes the sleeping actor for each run.</summary>
[Collection("engine")]
public sealed class EngineCronTests(EngineFixture engine) : IAsyncLifetime
{
    private static readonly TimeSpan s_placement = TimeSpan.FromSeconds(150);
    private readonly string _pool = "cron-" + Guid.NewGuid().ToString("N")[..8];
    private GatewayHttp _gateway = null!;
    private RivetRunner? _runner;
    private EngineApiClient _api = null!;

    public async Task InitializeAsync()
    {
        _gateway = new GatewayHttp(engine.Endpoint, _pool);
        _api = engine.CreateClient(timeout: TimeSpan.FromSeconds(30));
        _runner = await GatewayHttp.StartRunnerAsync(engine.Endpoint, _pool);
    }

    public async Task DisposeAsync()
    {
        if (_runner is not null)
        {
            await _runner.DisposeAsync();
        }
        _api.Dispose();
        _gateway.Dispose();
    }

    [Fact]
    public async Task A_job_wakes_the_actor_the_engine_put_to_sleep_and_delete_stops_it()
    {
        var key = "cron-" + Guid.NewGuid().ToString("N");
        await _gateway.PostUntilOkAsync("cronProbe", key, "startEvery", "{\"args\":[\"tick\",1000,1]}", s_placement);
        var actorId = (await _api.GetActorByKeyAsync("cronProbe", key))?.ActorId ?? throw new InvalidOperationException($"The engine knows no cronProbe [{key}].");
        await _api.SleepActorAsync(actorId);
        await Journal.WaitForAsync(key, "sleep");

        // Nobody calls it: each run's alarm has the engine start it again.
        var ticks = Journal.Of(key).Count(e => e == "tick");
        await Journal.WaitForAsync(key, "tick", count: ticks + 2, timeoutSeconds: 90);
        Assert.Contains("wake", Journal.Of(key).SkipWhile(e => e != "sleep"));

        Assert.Equal("{\"output\":true}", await _gateway.PostUntilOkAsync("cronProbe", key, "deleteAndMark", "{\"args\":[\"tick\",3000]}", s_placement));
        var after = await _gateway.PostUntilOkAsync("cronProbe", key, "getTicks", "{\"args\":[]}", s_placement);
        // Three intervals later the marker runs: a job that survived the delete would have ticked by then.
        await Journal.WaitForAsync(key, "marker", timeoutSeconds: 90);
        Assert.Equal(after, await _gateway.PostUntilOkAsync("cronProbe", key, "getTicks", "{\"args\":[]}", s_placement));
    }
}
