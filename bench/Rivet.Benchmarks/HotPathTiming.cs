using System;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;

namespace Rivet.Benchmarks;

/// <summary>
/// Quick timing of <see cref="EmbeddedHotPathBenchmarks"/>' typed-client calls for interleaved A/B runs on a loaded
/// machine: one process per build, alternated by the caller (docs/performance.md), each printing the median over
/// <see cref="Rounds"/> rounds of ns per call. <c>dotnet run -c Release --project bench/Rivet.Benchmarks -- --hotpath-time</c>.
/// </summary>
internal static class HotPathTiming
{
    private const int Rounds = 7;
    private const int CallsPerRound = 100_000;

    public static async Task RunAsync()
    {
        await using var host = await BenchHosts.StartInMemoryAsync();
        var hot = host.Client.BenchCounter.GetOrCreate("hot");
        await hot.Increment(0);
        var save = await MedianAsync(async () => await hot.Increment(1));
        var readOnly = await MedianAsync(async () => await hot.GetCount());
        Console.WriteLine($"save {save:0} ns/call, read-only {readOnly:0} ns/call (median of {Rounds} rounds of {CallsPerRound:N0})");
    }

    /// <summary>Calls one kind of call (<c>save</c> or <c>read-only</c>) for <paramref name="seconds"/>, for a sampling
    /// profiler attached from outside (docs/performance.md, "Embedded call path, fourth round").</summary>
    public static async Task LoopAsync(string kind, int seconds)
    {
        await using var host = await BenchHosts.StartInMemoryAsync();
        var hot = host.Client.BenchCounter.GetOrCreate("hot");
        await hot.Increment(0);
        Func<Task> call = kind == "save" ? async () => await hot.Increment(1) : async () => await hot.GetCount();
        var until = Stopwatch.GetTimestamp() + seconds * Stopwatch.Frequency;
        long calls = 0;
        while (Stopwatch.GetTimestamp() < until)
        {
            for (var i = 0; i < 10_000; i++)
            {
                await call();
            }
            calls += 10_000;
        }
        Console.WriteLine($"{kind}: {calls:N0} calls in {seconds} s");
    }

    private static async Task<double> MedianAsync(Func<Task> call)
    {
        // Warm-up past tiered compilation.
        for (var i = 0; i < 3 * CallsPerRound; i++)
        {
            await call();
        }
        var rounds = new double[Rounds];
        for (var round = 0; round < Rounds; round++)
        {
            var started = Stopwatch.GetTimestamp();
            for (var i = 0; i < CallsPerRound; i++)
            {
                await call();
            }
            rounds[round] = Stopwatch.GetElapsedTime(started).TotalNanoseconds / CallsPerRound;
        }
        return rounds.Order().ElementAt(Rounds / 2);
    }
}
