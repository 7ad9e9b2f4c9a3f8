using System;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;

namespace Rivet.Benchmarks;

/// <summary>
/// <c>--hotpath-time</c>'s calls (typed client → embedded host, one hot actor: <c>increment</c> with a state save,
/// <c>getCount</c> read-only), timed as wall time and as the process's CPU time per call: on the shared machine a
/// process is often descheduled, which wall time counts and CPU time does not. Median of 7 rounds of 100,000 calls;
/// alternate two builds for an A/B run (docs/performance.md, "Embedded state save, fourth round").
/// <c>dotnet run -c Release --project bench/Rivet.Benchmarks -- --state-save-time</c>.
/// </summary>
internal static class StateSaveTiming
{
    private const int Rounds = 7;
    private const int CallsPerRound = 100_000;

    public static async Task RunAsync()
    {
        await using var host = await BenchHosts.StartInMemoryAsync();
        var hot = host.Client.BenchCounter.GetOrCreate("hot");
        await hot.Increment(0);
        var (saveWall, saveCpu) = await MedianAsync(async () => await hot.Increment(1));
        var (readWall, readCpu) = await MedianAsync(async () => await hot.GetCount());
        Console.WriteLine($"save {saveWall:0} ns/call wall, {saveCpu:0} ns/call cpu; read-only {readWall:0} ns/call wall, {readCpu:0} ns/call cpu "
            + $"(median of {Rounds} rounds of {CallsPerRound:N0})");
    }

    private static async Task<(double Wall, double Cpu)> MedianAsync(Func<Task> call)
    {
        // Warm-up past tiered compilation.
        for (var i = 0; i < 3 * CallsPerRound; i++)
        {
            await call();
        }
        using var process = Process.GetCurrentProcess();
        var wall = new double[Rounds];
        var cpu = new double[Rounds];
        for (var round = 0; round < Rounds; round++)
        {
            process.Refresh();
            var cpuStarted = process.TotalProcessorTime;
            var started = Stopwatch.GetTimestamp();
            for (var i = 0; i < CallsPerRound; i++)
            {
                await call();
            }
            wall[round] = Stopwatch.GetElapsedTime(started).TotalNanoseconds / CallsPerRound;
            process.Refresh();
            cpu[round] = (process.TotalProcessorTime - cpuStarted).TotalNanoseconds / CallsPerRound;
        }
        return (wall.Order().ElementAt(Rounds / 2), cpu.Order().ElementAt(Rounds / 2));
    }
}
