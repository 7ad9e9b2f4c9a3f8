using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Client;
using Rivet.Engine;
using Rivet.Sdk.Tests.Engine;
using Rivet.Sdk.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Rivet.Sdk.Tests.Chaos;

/// <summary>
/// Runner processes killed with SIGKILL and restarted with their key, frozen with SIGSTOP, and the engine restarted,
/// one fault after another, while callers increment counters and connections stay open. Afterwards: no acknowledged
/// increment is missing from the final counts, no call went without an answer past its bound, every counter answers
/// again, and every connection is open again or was told why it closed.
/// The short run (each fault once, about a minute in all) is part of the suite; <c>RIVET_CHAOS_MINUTES=N</c> runs N
/// minutes of faults in random order (seed <c>RIVET_CHAOS_SEED</c>, printed otherwise); see docs/reliability.md.
/// </summary>
[Collection("engine")]
public sealed class ChaosTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int RunnerCount = 3;
    private const int KeyCount = 6;
    private const int CallerCount = 6;
    private const int ConnectionCount = 3;

    /// <summary>
    /// How long after the last fault every counter and connection must answer again: the engine's own rescheduling
    /// (a lost runner is noticed after 15 s) plus a start on a busy machine.
    /// </summary>
    private static readonly TimeSpan s_settle = TimeSpan.FromSeconds(60);

    private readonly string _pool = "chaos-" + Guid.NewGuid().ToString("N")[..8];
    private readonly List<RunnerProcess> _runners = [];
    private RivetEngineProcess? _engine;

    public async Task InitializeAsync()
    {
        // Its own engine: the test restarts it.
        var engine = _engine = await RivetEngineProcess.StartAsync();
        var environment = new Dictionary<string, string> { ["RIVET_LOG"] = Environment.GetEnvironmentVariable("RIVET_CHAOS_RUNNER_LOG") ?? "information" };
        var starts = Enumerable.Range(0, RunnerCount)
            .Select(i => RunnerProcess.StartAsync(engine.Endpoint, _pool, $"{_pool}-{i}", environment))
            .ToArray();
        try
        {
            await Task.WhenAll(starts);
        }
        finally
        {
            // Those that started are disposed with the test even when another one failed.
            _runners.AddRange(starts.Where(s => s.IsCompletedSuccessfully).Select(s => s.Result));
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var runner in _runners)
        {
            await runner.DisposeAsync();
        }
        if (_engine is null)
        {
            return;
        }
        await _engine.StopAsync();
        output.WriteLine($"engine log kept at {EngineFixture.ArchiveLog(_engine.LogPath)}");
        await _engine.DisposeAsync();
    }

    [Fact]
    public async Task Acknowledged_writes_survive_runner_crashes_freezes_same_key_restarts_and_engine_restarts()
    {
        var engine = _engine!;
        var minutes = EnvironmentNumber("RIVET_CHAOS_MINUTES");
        var seed = (int?)EnvironmentNumber("RIVET_CHAOS_SEED") ?? Random.Shared.Next();
        output.WriteLine($"chaos: {(minutes is null ? "each fault once" : $"{minutes} minutes of random faults")}, seed {seed}, {RunnerCount} runner processes in pool {_pool}");

        var keys = Enumerable.Range(0, KeyCount).Select(i => $"chaos-{i}").ToArray();
        var ledger = new ChaosLedger(keys);
        var faults = new ChaosFaults(engine, _runners, new Random(seed));
        Dictionary<string, int>? finalCounts = null;
        var problems = new List<string>();
        try
        {
            await using var workload = await ChaosWorkload.StartAsync(engine.Endpoint, _pool, keys, CallerCount, ConnectionCount, ledger, seed);
            if (minutes is null)
            {
                await faults.RunEachOnceAsync();
            }
            else
            {
                await faults.RunRandomlyAsync(DateTime.UtcNow + TimeSpan.FromMinutes(minutes.Value));
            }
            ledger.ChaosEnded(DateTime.UtcNow);
            await workload.StopAsync();

            var (counts, recovery, silent) = await ChaosWorkload.ReadFinalCountsAsync(engine.Endpoint, _pool, keys, s_settle);
            finalCounts = counts;
            output.WriteLine("after the last fault, each counter answered within: "
                + string.Join(", ", recovery.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key} {r.Value.TotalSeconds:0.0} s")));
            problems.AddRange(silent.Select(s => "no answer after the chaos: " + s));
            problems.AddRange(ledger.LostWrites(counts).Select(l => "acknowledged write lost: " + l));
            problems.AddRange(ledger.UnansweredCalls.Select(u => "call without an answer within its bound: " + u));
            problems.AddRange(await CheckConnectionsAsync(workload.Connections));
            output.WriteLine(string.Join("\n", workload.Connections));
        }
        finally
        {
            output.WriteLine(Report(ledger, faults, finalCounts, problems));
        }

        Assert.True(problems.Count == 0, $"{problems.Count} problems after the chaos (seed {seed}):\n{string.Join("\n", problems.Take(30))}\n{Report(ledger, faults, finalCounts, [])}");
        Assert.True(ledger.AcknowledgedCount > 0, "no increment was acknowledged at all");
    }

    /// <summary>A whole number from the environment, or <see langword="null"/> when the variable is not set.</summary>
    private static long? EnvironmentNumber(string name) => Environment.GetEnvironmentVariable(name) switch
    {
        null or "" => null,
        var text when long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value is >= 0 and <= int.MaxValue => value,
        var text => throw new ArgumentException($"{name} must be a whole number from 0 to {int.MaxValue}, not \"{text}\".", name),
    };

    /// <summary>Each connection must be open again (and answer a call) or closed with the reason it was told.</summary>
    private static async Task<List<string>> CheckConnectionsAsync(IReadOnlyList<ChaosWorkload.HeldConnection> connections)
    {
        var deadline = DateTime.UtcNow + s_settle;
        var problems = await Task.WhenAll(connections.Select(held => CheckConnectionAsync(held, deadline)));
        return problems.OfType<string>().ToList();
    }

    private static async Task<string?> CheckConnectionAsync(ChaosWorkload.HeldConnection held, DateTime deadline)
    {
        while (held.Connection.Status == ActorConnectionStatus.Connecting && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        switch (held.Connection.Status)
        {
            case ActorConnectionStatus.Open:
                try
                {
                    using var bound = new CancellationTokenSource(ChaosWorkload.CallBound);
                    await held.Connection.InvokeRawAsync("getCount", default, bound.Token);
                    return null;
                }
                catch (Exception e) when (e is RivetException or TimeoutException or OperationCanceledException)
                {
                    return $"open connection does not answer ({e.GetType().Name}: {e.Message}): {held}";
                }
            case ActorConnectionStatus.Closed:
                return held.Errors.Count == 0 ? $"connection closed without being told why: {held}" : null;
            default:
                return $"connection still reconnecting {s_settle.TotalSeconds:0} s after the chaos: {held}";
        }
    }

    private string Report(ChaosLedger ledger, ChaosFaults faults, Dictionary<string, int>? finalCounts, List<string> problems)
    {
        var text = new StringBuilder();
        text.AppendLine($"faults: {string.Join(", ", faults.Counts.Select(c => $"{c.Key} x{c.Value}"))}");
        foreach (var line in faults.Log)
        {
            text.AppendLine("  " + line);
        }
        text.Append(ledger.Summary(finalCounts));
        if (problems.Count > 0)
        {
            foreach (var runner in _runners)
            {
                text.AppendLine($"--- runner {runner.Key} output (tail) ---").AppendLine(runner.OutputTail(40));
            }
        }
        return text.ToString();
    }
}
