using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Engine;
using Rivet.Sdk.Tests.Infrastructure;

namespace Rivet.Sdk.Tests.Chaos;

/// <summary>The faults the chaos test injects, one at a time.</summary>
internal enum ChaosFault
{
    /// <summary>SIGKILL a runner process, then start a new one with the same key (a StatefulSet pod restarting).</summary>
    KillAndRestartSameKey,

    /// <summary>SIGSTOP a runner process for a few seconds, then SIGCONT.</summary>
    Freeze,

    /// <summary>Stop the engine and start it again on the same ports and data.</summary>
    RestartEngine,
}

/// <summary>
/// Injects faults into the engine and the runner processes, one at a time: a fault, its recovery, a pause, the next.
/// Keeps a timestamped log of what it did for the report.
/// </summary>
internal sealed class ChaosFaults(RivetEngineProcess engine, IReadOnlyList<RunnerProcess> runners, Random random)
{
    private readonly List<string> _log = [];

    /// <summary>What was injected, when, and how long recovering from it took.</summary>
    public IReadOnlyList<string> Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToArray();
            }
        }
    }

    /// <summary>How many faults of each kind were injected.</summary>
    public Dictionary<ChaosFault, int> Counts { get; } = Enum.GetValues<ChaosFault>().ToDictionary(f => f, _ => 0);

    /// <summary>Injects each kind of fault once, in order (the short run of the suite).</summary>
    public async Task RunEachOnceAsync()
    {
        foreach (var fault in Enum.GetValues<ChaosFault>())
        {
            await InjectAndPauseAsync(fault);
        }
    }

    /// <summary>Injects faults of random kinds until <paramref name="until"/> (the long run).</summary>
    public async Task RunRandomlyAsync(DateTime until)
    {
        var kinds = Enum.GetValues<ChaosFault>();
        while (DateTime.UtcNow < until)
        {
            await InjectAndPauseAsync(kinds[random.Next(kinds.Length)]);
        }
    }

    /// <summary>One fault and its recovery (every runner running and the engine up again), then a pause of 3-6 s.</summary>
    private async Task InjectAndPauseAsync(ChaosFault fault)
    {
        await InjectAsync(fault);
        Counts[fault]++;
        await Task.Delay(TimeSpan.FromMilliseconds(random.Next(3_000, 6_000)));
    }

    private async Task InjectAsync(ChaosFault fault)
    {
        var watch = Stopwatch.StartNew();
        switch (fault)
        {
            case ChaosFault.KillAndRestartSameKey:
            {
                var runner = runners[random.Next(runners.Count)];
                runner.Kill();
                Note($"killed runner {runner.Key} (SIGKILL)");
                await Task.Delay(TimeSpan.FromMilliseconds(random.Next(500, 3_000)));
                await runner.RestartAsync();
                Note($"runner {runner.Key} restarted with the same key, connected {watch.Elapsed.TotalSeconds:0.0} s after the kill");
                break;
            }
            case ChaosFault.Freeze:
            {
                var runner = runners[random.Next(runners.Count)];
                var frozenFor = TimeSpan.FromMilliseconds(random.Next(3_000, 20_000));
                runner.Freeze();
                Note($"froze runner {runner.Key} (SIGSTOP) for {frozenFor.TotalSeconds:0.0} s");
                await Task.Delay(frozenFor);
                runner.Thaw();
                Note($"thawed runner {runner.Key}");
                break;
            }
            case ChaosFault.RestartEngine:
                Note("restarting the engine");
                await engine.RestartAsync();
                Note($"engine restarted in {watch.Elapsed.TotalSeconds:0.0} s");
                break;
        }
    }

    private void Note(string what)
    {
        lock (_log)
        {
            _log.Add(string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:HH:mm:ss.fff} {what}"));
        }
    }
}
