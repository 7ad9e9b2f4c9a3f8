using System;
using System.Collections.Generic;
using System.Linq;

namespace Rivet.LoadTest;

/// <summary>The table of a run (markdown, to paste into docs/performance.md) and the ratios against the goals.</summary>
internal static class Report
{
    public static void Print(IReadOnlyList<(string Workload, string Target, Latencies Result)> results, LoadOptions options)
    {
        Console.WriteLine();
        Console.WriteLine($"| workload | target | calls | errors | calls/s | p50 ms | p99 ms |");
        Console.WriteLine($"|---|---|---:|---:|---:|---:|---:|");
        foreach (var (workload, target, r) in results)
        {
            // A wake sample includes putting the actor to sleep first: its calls/s means nothing.
            var throughput = workload == "wake" ? "–" : r.Throughput.ToString("0", System.Globalization.CultureInfo.InvariantCulture);
            Console.WriteLine($"| {Describe(workload, options)} | {target} | {r.Count} | {r.Errors} | {throughput} | {r.PercentileMs(50):0.00} | {r.PercentileMs(99):0.00} |");
        }

        if (results.Any(r => !r.Result.Cpu.IsEmpty))
        {
            // Where the CPU goes: per call, and in cores while measuring (of 2 here; "machine" counts everything, other users too).
            Console.WriteLine();
            Console.WriteLine("| workload | target | engine CPU ms/call | target CPU ms/call | driver CPU ms/call | engine cores | target cores | driver cores | machine busy cores | engine run-queue wait ms/call |");
            Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var (workload, target, r) in results.Where(r => !r.Result.Cpu.IsEmpty && r.Workload != "wake"))
            {
                var c = r.Cpu;
                Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"| {Describe(workload, options)} | {target} | {PerCall(c.EngineSeconds, r)} | {PerCall(c.TargetSeconds, r)} | {PerCall(c.DriverSeconds, r)} | {c.EngineSeconds / c.WallSeconds:0.00} | {c.TargetSeconds / c.WallSeconds:0.00} | {c.DriverSeconds / c.WallSeconds:0.00} | {c.MachineBusyCoreSeconds / c.WallSeconds:0.00} | {PerCall(c.EngineWaitSeconds, r)} |"));
            }
        }

        Console.WriteLine();
        Console.WriteLine("| workload | ours/floor p50 | ours/floor p99 | ours/TS calls/s | ours p99 vs TS p99 | ours, query route/cached id: p50, calls/s | ours/before: calls/s, p50 | throttled/TS calls/s, p99 vs TS p99 | ours/floor-durable: calls/s, p50; floor-durable/TS calls/s, /floor p50 |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var workload in results.Select(r => r.Workload).Distinct())
        {
            var ours = Find(results, workload, "dotnet");
            var floor = Find(results, workload, "floor");
            var ts = Find(results, workload, "ts");
            var before = Find(results, workload, "dotnet-query");
            var baseline = Find(results, workload, "dotnet-before");
            var throttled = Find(results, workload, "dotnet-throttled");
            var durable = Find(results, workload, "floor-durable");
            if (ours is null || ours.Count == 0)
            {
                continue;
            }
            Console.WriteLine($"| {Describe(workload, options)} | {Ratio(ours.PercentileMs(50), floor?.PercentileMs(50))} | {Ratio(ours.PercentileMs(99), floor?.PercentileMs(99))} | "
                + $"{(workload == "wake" ? "–" : Ratio(ours.Throughput, ts?.Throughput))} | {ours.PercentileMs(99):0.00} vs {(ts is null ? "–" : ts.PercentileMs(99).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture))} | "
                + (before is null ? "–" : $"{Ratio(before.PercentileMs(50), ours.PercentileMs(50))}, {Ratio(before.Throughput, ours.Throughput)}") + " | "
                + (baseline is null || workload == "wake" ? "–" : $"{Ratio(ours.Throughput, baseline.Throughput)}, {Ratio(ours.PercentileMs(50), baseline.PercentileMs(50))}") + " | "
                + (throttled is null || ts is null || workload == "wake" ? "–" : $"{Ratio(throttled.Throughput, ts.Throughput)}, {throttled.PercentileMs(99):0.00} vs {ts.PercentileMs(99):0.00}") + " | "
                + (durable is null || workload == "wake" ? "–" : $"{Ratio(ours.Throughput, durable.Throughput)}, {Ratio(ours.PercentileMs(50), durable.PercentileMs(50))}; {Ratio(durable.Throughput, ts?.Throughput)}, {Ratio(durable.PercentileMs(50), floor?.PercentileMs(50))}") + " |");
        }
        Console.WriteLine();
        Console.WriteLine("Goals: ours/floor latency ≤ 1.2×; ours/TS throughput ≥ 2× with a lower p99.");
    }

    /// <summary>CPU milliseconds per completed call.</summary>
    public static string PerCall(double cpuSeconds, Latencies result) =>
        result.Count > 0 ? (cpuSeconds * 1000 / result.Count).ToString("0.000", System.Globalization.CultureInfo.InvariantCulture) : "–";

    private static Latencies? Find(IReadOnlyList<(string Workload, string Target, Latencies Result)> results, string workload, string target) =>
        results.FirstOrDefault(r => r.Workload == workload && r.Target == target).Result;

    private static string Ratio(double ours, double? other) =>
        other is { } o && o > 0 && !double.IsNaN(o) && !double.IsNaN(ours) ? $"{ours / o:0.00}×" : "–";

    private static string Describe(string workload, LoadOptions o) => workload switch
    {
        "http-hot-1" => "HTTP, 1 actor, 1 caller",
        "http-hot-1-get" => "HTTP, 1 actor, 1 caller, getCount (no save)",
        "http-hot-n" => $"HTTP, 1 actor, {o.Concurrency} callers",
        "http-many-n" => $"HTTP, {o.Actors} actors, {o.Concurrency} callers",
        "ws-hot-1" => "WS, 1 actor, 1 connection",
        "ws-hot-n" => $"WS, 1 actor, {o.Concurrency} connections",
        "ws-hot-64" => "WS, 1 actor, 64 connections",
        "ws-hot-256" => "WS, 1 actor, 256 connections",
        "wake" => $"wake (sleeping → first action), {o.WakeSamples} samples",
        _ => workload,
    };
}
