using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;

namespace Rivet.Benchmarks;

/// <summary>
/// The config of every benchmark here: ShortRun (1 launch, 3 warm-up, 3 measured iterations) so the whole set runs
/// in minutes, MemoryDiagnoser, and GitHub markdown tables for docs/performance.md. Compare rows of one run only:
/// the machine is shared and noisy, so absolute times from separate runs are not comparable.
/// </summary>
public sealed class BenchConfig : ManualConfig
{
    public BenchConfig()
    {
        AddJob(Job.ShortRun);
        AddDiagnoser(MemoryDiagnoser.Default);
        AddExporter(MarkdownExporter.GitHub);
    }
}
