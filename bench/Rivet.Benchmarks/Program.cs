using BenchmarkDotNet.Running;

namespace Rivet.Benchmarks;

/// <summary>
/// Entry point: <c>dotnet run -c Release --project bench/Rivet.Benchmarks -- --filter '*Dispatch*'</c>;
/// <c>-- --generator-steps</c> prints the generator's step reasons for an incremental edit instead;
/// <c>-- --generator-compare [--untracked]</c> times this generator against <c>RIVET_BASELINE_GENERATOR</c>, interleaved
/// (<c>--untracked</c>: without step tracking, as the IDE runs it);
/// <c>-- --hotpath-allocations</c> samples which types a hot embedded call allocates;
/// <c>-- --hotpath-time</c> times its calls (median ns per call) for interleaved A/B runs of two builds;
/// <c>-- --hotpath-loop save|read-only SECONDS</c> makes one kind of call for that long, for a profiler;
/// <c>-- --state-save-time</c> times them as wall and CPU time; <c>-- --state-stages</c> times the stages of a state save alone.
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        if (args is ["--hotpath-allocations"])
        {
            HotPathAllocations.RunAsync().GetAwaiter().GetResult();
            return;
        }
        if (args is ["--hotpath-time"])
        {
            HotPathTiming.RunAsync().GetAwaiter().GetResult();
            return;
        }
        if (args is ["--hotpath-loop", "save" or "read-only", var seconds])
        {
            HotPathTiming.LoopAsync(args[1], int.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture)).GetAwaiter().GetResult();
            return;
        }
        if (args is ["--state-save-time"])
        {
            StateSaveTiming.RunAsync().GetAwaiter().GetResult();
            return;
        }
        if (args is ["--state-stages"])
        {
            StateSaveStages.Run();
            return;
        }
        if (args is ["--generator-steps"])
        {
            GeneratorProject.PrintStepReasons();
            return;
        }
        if (args is ["--generator-compare"] or ["--generator-compare", "--untracked"])
        {
            GeneratorComparison.Run(trackSteps: args.Length == 1);
            return;
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
