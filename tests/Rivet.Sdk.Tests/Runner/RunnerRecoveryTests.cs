using System;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using Rivet.Engine;
using Rivet.Sdk.Tests.ClientConnections;
using Rivet.Sdk.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Rivet.Sdk.Tests.Runner;

/// <summary>
/// Runner faults with the runner as a separate OS process (<see cref="RunnerProcess"/>) on a real engine of its own
/// per test: after a crash or an engine outage every actor must answer again within the engine's own rescheduling
/// time, with no acknowledged write lost; after a freeze every call in flight must end within a bound.
/// </summary>
[Collection(Engine.EngineWaitCollection.Name)]
public sealed class RunnerRecoveryTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>How long an actor may take to answer again after a fault: the engine's ~15-20 s rescheduling, doubled for a busy machine.</summary>
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(45);

    private readonly string _pool = "recovery-" + Guid.NewGuid().ToString("N")[..8];
    private RivetEngineProcess _engine = null!;
    private GatewayHttp _gateway = null!;

    public async Task InitializeAsync()
    {
        // RIVET_TEST_ENGINE_LOG=info,pegboard=debug,gas=debug shows the actor workflows' transitions in the kept engine log.
        _engine = await RivetEngineProcess.StartAsync(new RivetEngineProcessOptions { StartupTimeout = TimeSpan.FromSeconds(60), LogLevel = Environment.GetEnvironmentVariable("RIVET_TEST_ENGINE_LOG") ?? "info" });
        _gateway = new GatewayHttp(_engine.Endpoint, _pool);
    }

    public async Task DisposeAsync()
    {
        _gateway.Dispose();
        await _engine.StopAsync();
        output.WriteLine($"engine log kept at {Engine.EngineFixture.ArchiveLog(_engine.LogPath)}");
        await _engine.DisposeAsync();
    }

    private static int Output(string body) => int.Parse(body["{\"output\":".Length..^1], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Creates the actors with one increment each.</summary>
    private async Task<string[]> CreateActorsAsync(string prefix, int count)
    {
        var keys = Enumerable.Range(0, count).Select(i => $"{prefix}-{i}").ToArray();
        foreach (var key in keys)
        {
            Assert.Equal(1, Output(await _gateway.PostUntilOkAsync("counter", key, "increment", "{\"args\":[1]}", TimeSpan.FromSeconds(60))));
        }
        return keys;
    }

    /// <summary>Increments every actor once more, each within <see cref="RecoveryBound"/> of <paramref name="fault"/>; returns the slowest recovery.</summary>
    private async Task<TimeSpan> AssertAllAnswerAgainAsync(string[] keys, Stopwatch fault, RunnerProcess runner)
    {
        var recovered = await Task.WhenAll(keys.Select(async key =>
        {
            var body = await PostUntilOkAsync(key, "increment", "{\"args\":[1]}", fault, runner);
            Assert.Equal(2, Output(body)); // the acknowledged increment before the fault is kept, and this one counted once
            return fault.Elapsed;
        }));
        var slowest = recovered.Max();
        output.WriteLine($"{keys.Length} actors answered again; slowest {slowest.TotalSeconds:0.0} s after the fault; runner output:\n{runner.OutputTail(40)}");
        return slowest;
    }

    /// <summary>Calls until the call succeeds, failing with the runner's output once <see cref="RecoveryBound"/> after <paramref name="fault"/> has passed.</summary>
    private async Task<string> PostUntilOkAsync(string key, string action, string json, Stopwatch fault, RunnerProcess runner)
    {
        try
        {
            return await _gateway.PostUntilOkAsync("counter", key, action, json, RecoveryBound - fault.Elapsed);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"counter[{key}] did not answer within {RecoveryBound.TotalSeconds} s of the fault: {ex.Message}\nrunner output:\n{runner.OutputTail()}");
        }
    }

    [Fact]
    public async Task A_runner_killed_and_restarted_with_the_same_key_gets_every_actor_back()
    {
        await using var runner = await RunnerProcess.StartAsync(_engine.Endpoint, _pool, "pod-0");
        var keys = await CreateActorsAsync("same-key", 4);

        runner.Kill();
        var fault = Stopwatch.StartNew();
        await runner.RestartAsync();

        await AssertAllAnswerAgainAsync(keys, fault, runner);
    }

    [Fact]
    public async Task After_an_engine_outage_longer_than_the_lost_threshold_every_actor_answers_again_with_its_database_rows()
    {
        await using var runner = await RunnerProcess.StartAsync(_engine.Endpoint, _pool);
        var keys = await CreateActorsAsync("outage", 5);
        // An actor's database too: its rows are kept by the engine across the outage.
        Assert.Equal("{\"output\":1}", await _gateway.PostUntilOkAsync("journal", "outage-db", "add", "{\"args\":[\"before\"]}", TimeSpan.FromSeconds(60)));

        // Down (data kept) until the runner has given its actors up after its 15 s lost threshold.
        await _engine.StopAsync();
        await runner.WaitForLineAsync(LostWarning, TimeSpan.FromSeconds(60));
        await _engine.RestartAsync();
        var fault = Stopwatch.StartNew();

        await AssertAllAnswerAgainAsync(keys, fault, runner);
        Assert.Equal(1, runner.CountLines(LostWarning));
        Assert.Equal("{\"output\":2}", await _gateway.PostUntilOkAsync("journal", "outage-db", "add", "{\"args\":[\"after\"]}", RecoveryBound));
        Assert.Equal("{\"output\":\"before,after\"}", await _gateway.PostUntilOkAsync("journal", "outage-db", "entries", "{\"args\":[]}", RecoveryBound));
    }

    [Fact]
    public async Task After_a_runner_is_frozen_for_45_s_every_call_in_flight_ends_and_every_actor_answers_again_within_45_s_of_the_thaw()
    {
        await using var runner = await RunnerProcess.StartAsync(_engine.Endpoint, _pool);
        var keys = await CreateActorsAsync("frozen", 4);

        runner.Freeze();
        var calls = keys.SelectMany(key => Enumerable.Range(0, 3).Select(async _ =>
        {
            try
            {
                return (await _gateway.PostAsync("counter", key, "increment", "{\"args\":[1]}")).Status;
            }
            catch (Exception ex) when (ex is System.Net.Http.HttpRequestException or TaskCanceledException)
            {
                return 0;
            }
        })).ToArray();
        await Task.Delay(TimeSpan.FromSeconds(45)); // the fault itself: frozen past the engine's lost threshold
        runner.Thaw();
        var thawed = Stopwatch.StartNew();
        // Callers that keep retrying from the thaw on (every 250 ms): each request reaches the engine's actor workflow.
        var recovered = keys.Select(async key =>
        {
            try
            {
                return (key, Body: await _gateway.PostUntilOkAsync("counter", key, "getCount", "{\"args\":[]}", ThawRecoveryBound), At: thawed.Elapsed);
            }
            catch (TimeoutException ex)
            {
                throw new TimeoutException($"counter[{key}] did not answer within {ThawRecoveryBound.TotalSeconds} s of the thaw: {ex.Message}\nrunner output:\n{runner.OutputTail()}");
            }
        }).ToArray();

        var ended = await Task.WhenAll(calls).WaitAsync(CallBound);
        output.WriteLine($"all {calls.Length} calls in flight during the freeze ended {thawed.Elapsed.TotalSeconds:0.0} s after the thaw; statuses {string.Join(",", ended)}");

        // Back under its key, the runner drops (without a save) the actors the engine wrote off while it was frozen: one
        // line per actor, as the engine's stop commands arrive (not necessarily together).
        await Poll.UntilAsync(() => runner.CountLines(LostByEngine) >= keys.Length, CallBound,
            () => $"the runner to drop all {keys.Length} actors the engine wrote off (\"{LostByEngine}\": {runner.CountLines(LostByEngine)} lines); output:\n{runner.OutputTail()}");
        Assert.Equal(keys.Length, runner.CountLines(LostByEngine));

        // And every actor answers again, then with every acknowledged increment (read once every call has ended).
        var answers = await Task.WhenAll(recovered);
        for (var i = 0; i < keys.Length; i++)
        {
            var acknowledged = 1 + ended.Skip(i * 3).Take(3).Count(status => status == 200); // calls are 3 per key, in key order
            var count = Output(await _gateway.PostUntilOkAsync("counter", keys[i], "getCount", "{\"args\":[]}", CallBound));
            Assert.True(count >= acknowledged, $"counter[{keys[i]}] lost an acknowledged increment: count {count}, acknowledged {acknowledged}");
        }
        output.WriteLine($"{keys.Length} actors answered again {string.Join(", ", answers.Select(a => a.At.TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)))} s after the thaw; runner output:\n{runner.OutputTail(40)}");
        Assert.False(runner.HasExited);
    }

    /// <summary>How long after the thaw every actor must answer again: the engine's ~20 s rescheduling, with room for a busy machine.</summary>
    private static readonly TimeSpan ThawRecoveryBound = TimeSpan.FromSeconds(45);

    private const string LostByEngine = "the engine declared it lost while this runner was unreachable";

    /// <summary>How long a call in flight during a fault may take to end (answered or failed) once the fault is over.</summary>
    private static readonly TimeSpan CallBound = TimeSpan.FromSeconds(30);

    private const string LostWarning = "the engine now considers this runner's actors lost";
}
