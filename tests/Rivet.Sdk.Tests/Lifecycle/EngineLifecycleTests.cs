using System;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using Rivet.Engine;
using Rivet.Hosting.Runner;
using Rivet.Sdk.Tests.Engine;
using Rivet.Sdk.Tests.Runner;
using Xunit.Abstractions;

namespace Rivet.Sdk.Tests.Lifecycle;

/// <summary>Sleep, alarms, destroy and actor-to-actor calls of a .NET runner on the real engine.</summary>
[Collection("engine")]
public sealed class EngineLifecycleTests(EngineFixture engine, ITestOutputHelper output) : IAsyncLifetime
{
    // Placing a new actor can stall on a loaded engine (its workflow worker picks the actor's workflow up late, and
    // the gateway answers route_resolve_query_timeout after 15 s meanwhile): first calls retry for this long.
    private static readonly TimeSpan s_placement = TimeSpan.FromSeconds(150);
    private readonly string _pool = "life-" + Guid.NewGuid().ToString("N")[..8];
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

    private static string NewKey() => "life-" + Guid.NewGuid().ToString("N");

    private async Task<string> ActorIdAsync(string name, string key) =>
        (await _api.GetActorByKeyAsync(name, key))?.ActorId ?? throw new InvalidOperationException($"The engine knows no {name} [{key}].");

    [Fact]
    public async Task An_actor_put_to_sleep_by_the_engine_wakes_on_the_next_call_with_its_state()
    {
        var key = NewKey();
        Assert.Equal("{\"output\":5}", await _gateway.PostUntilOkAsync("lifecycleProbe", key, "increment", "{\"args\":[5]}", s_placement));
        await _api.SleepActorAsync(await ActorIdAsync("lifecycleProbe", key));
        await Journal.WaitForAsync(key, "sleep");

        var watch = Stopwatch.StartNew();
        Assert.Equal("{\"output\":5}", await _gateway.PostUntilOkAsync("lifecycleProbe", key, "getCount", "{\"args\":[]}", s_placement));
        output.WriteLine($"wake latency (sleeping actor, call to answer): {watch.ElapsedMilliseconds} ms");
        Assert.Equal(new[] { "create", "wake", "increment:5", "sleep", "wake" }, Journal.Of(key));
    }

    [Fact]
    public async Task An_idle_actor_asks_the_engine_to_sleep_and_wakes_with_its_state()
    {
        var key = NewKey();
        Assert.Equal("{\"output\":4}", await _gateway.PostUntilOkAsync("drowsyProbe", key, "increment", "{\"args\":[4]}", s_placement));
        await Journal.WaitForAsync(key, "sleep");
        // The journal's "sleep" is written by OnSleepAsync, before the runner reports the actor stopped; the engine
        // records the sleep once that report arrived.
        var actorId = await ActorIdAsync("drowsyProbe", key);
        var deadline = DateTime.UtcNow + s_placement;
        while ((await _api.GetActorAsync(actorId))?.SleepTs is null)
        {
            Assert.True(DateTime.UtcNow < deadline, $"The engine did not record actor {actorId} as asleep within {s_placement.TotalSeconds} s of its OnSleepAsync.");
            await Task.Delay(100);
        }

        Assert.Equal("{\"output\":4}", await _gateway.PostUntilOkAsync("drowsyProbe", key, "getCount", "{\"args\":[]}", s_placement));
        Assert.Equal(new[] { "wake", "sleep", "wake" }, Journal.Of(key).Take(3));
    }

    [Fact]
    public async Task A_schedule_of_a_sleeping_actor_runs_when_the_engine_alarm_wakes_it()
    {
        var key = NewKey();
        var body = await _gateway.PostUntilOkAsync("lifecycleProbe", key, "scheduleAndSleep", "{\"args\":[3000,4]}", s_placement);
        var at = ScheduledAt(body);
        await Journal.WaitForAsync(key, "sleep");

        // Nobody calls it: the engine starts a new generation at the alarm and the start runs the due event.
        await Journal.WaitForAsync(key, "increment:4", timeoutSeconds: 90);
        output.WriteLine($"engine alarm: scheduled action ran {(Journal.TimeOf(key, "increment:4") - at).TotalMilliseconds:0} ms after its time");
        Assert.Equal(new[] { "create", "wake", "sleep", "wake", "increment:4" }, Journal.Of(key));
        Assert.Equal("{\"output\":4}", await _gateway.PostUntilOkAsync("lifecycleProbe", key, "getCount", "{\"args\":[]}", s_placement));
    }

    [Fact]
    public async Task A_schedule_runs_after_its_runner_stopped_and_another_one_joined_the_pool()
    {
        var key = NewKey();
        var body = await _gateway.PostUntilOkAsync("lifecycleProbe", key, "scheduleIncrement", "{\"args\":[6000,6]}", s_placement);
        var at = ScheduledAt(body);
        await _runner!.DisposeAsync(); // graceful: the engine puts the actor to sleep, its schedule saved in the engine's KV
        _runner = null;
        Assert.Equal(new[] { "create", "wake", "sleep" }, Journal.Of(key));

        _runner = await GatewayHttp.StartRunnerAsync(engine.Endpoint, _pool);
        await Journal.WaitForAsync(key, "increment:6", timeoutSeconds: 90);
        output.WriteLine($"after a runner restart: scheduled action ran {(Journal.TimeOf(key, "increment:6") - at).TotalMilliseconds:0} ms after its time");
        Assert.Equal(new[] { "create", "wake", "sleep", "wake", "increment:6" }, Journal.Of(key));
        Assert.Equal("{\"output\":6}", await _gateway.PostUntilOkAsync("lifecycleProbe", key, "getCount", "{\"args\":[]}", s_placement));
    }

    [Fact]
    public async Task An_actor_that_destroys_itself_is_gone_and_its_key_creates_a_new_actor()
    {
        var key = NewKey();
        Assert.Equal("{\"output\":2}", await _gateway.PostUntilOkAsync("lifecycleProbe", key, "increment", "{\"args\":[2]}", s_placement));
        var oldId = await ActorIdAsync("lifecycleProbe", key);

        Assert.Equal(200, (await _gateway.PostAsync("lifecycleProbe", key, "selfDestruct", "{\"args\":[]}")).Status);
        await Journal.WaitForAsync(key, "destroy");
        var deadline = DateTime.UtcNow + s_placement;
        while (await _api.GetActorAsync(oldId) is { DestroyTs: null })
        {
            Assert.True(DateTime.UtcNow < deadline, $"The engine did not destroy actor {oldId} within {s_placement.TotalSeconds} s.");
            await Task.Delay(100);
        }

        Assert.Equal("{\"output\":1}", await _gateway.PostUntilOkAsync("lifecycleProbe", key, "increment", "{\"args\":[1]}", s_placement));
        Assert.NotEqual(oldId, await ActorIdAsync("lifecycleProbe", key));
        Assert.Equal(new[] { "create", "wake", "increment:2", "destroy", "create", "wake", "increment:1" }, Journal.Of(key));
    }

    [Fact]
    public async Task An_actor_on_a_runner_calls_another_actor_through_the_engine()
    {
        var counterKey = "counter-" + Guid.NewGuid().ToString("N");
        var key = NewKey();
        // Both actors exist first, so the call under test does not wait for a placement.
        Assert.Equal("{\"output\":0}", await _gateway.PostUntilOkAsync("counter", counterKey, "increment", "{\"args\":[0]}", s_placement));
        Assert.Equal("{\"output\":0}", await _gateway.PostUntilOkAsync("lifecycleProbe", key, "getCount", "{\"args\":[]}", s_placement));

        Assert.Equal((200, "{\"output\":7}"), await _gateway.PostAsync("lifecycleProbe", key, "callCounter", $"{{\"args\":[\"{counterKey}\",7]}}"));
        Assert.Equal((200, "{\"output\":7}"), await _gateway.PostAsync("counter", counterKey, "getCount", "{\"args\":[]}"));
    }

    private static DateTimeOffset ScheduledAt(string body)
    {
        using var document = System.Text.Json.JsonDocument.Parse(body);
        return DateTimeOffset.FromUnixTimeMilliseconds(document.RootElement.GetProperty("output").GetProperty("atMs").GetInt64());
    }
}
