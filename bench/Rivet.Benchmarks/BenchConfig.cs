using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;

namespace Rivet.Benchmarks;

/// <summary>
/// The config of every benchmark here: ShortRun (1 launch, 3 warm-up, 3 measured iterations) so the whole set runs
/// in minutes, and MemoryDiagnoser (the default config adds the GitHub markdown tables used in docs/performance.md). Compare rows of one run only:
/// the machine is shared and noisy, so absolute times from separate runs are not comparable.
/// </summary>
public sealed class BenchConfig : ManualConfig
{
    public BenchConfig()
    {
        AddJob(Job.ShortRun);
        AddDiagnoser(MemoryDiagnoser.Default);
    }
}
