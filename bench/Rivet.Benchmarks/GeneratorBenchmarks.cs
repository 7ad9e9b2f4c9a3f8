using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Rivet.Benchmarks;

/// <summary>
/// Generator cost on a project of 200 actors (<see cref="GeneratorProject"/>): a full run with a new driver (what a
/// clean build pays), and the incremental run after an edit inside an action body (what each keystroke in the IDE
/// pays). The incremental benchmark alternates between the two versions of the edited file, so every invocation is
/// a real edit, each with a newly parsed file as in an editor. Step reasons:
/// <c>dotnet run -c Release --project bench/Rivet.Benchmarks -- --generator-steps</c>.
/// With <c>RIVET_BASELINE_GENERATOR</c> set to another build of <c>Rivet.Generators.dll</c>, every benchmark also runs
/// that build (<see cref="Generator"/> = <c>baseline</c>), so before and after come from one run.
/// </summary>
[Config(typeof(InProcessConfig))]
public class GeneratorBenchmarks
{
    /// <summary>
    /// <see cref="BenchConfig"/>'s ShortRun, in this process: the baseline generator is loaded beside this one
    /// (no separate build of the benchmark needed), and a busy machine cannot time out that build.
    /// </summary>
    public sealed class InProcessConfig : BenchmarkDotNet.Configs.ManualConfig
    {
        public InProcessConfig()
        {
            AddJob(BenchmarkDotNet.Jobs.Job.ShortRun.WithToolchain(BenchmarkDotNet.Toolchains.InProcess.Emit.InProcessEmitToolchain.Instance));
            AddDiagnoser(BenchmarkDotNet.Diagnosers.MemoryDiagnoser.Default);
        }
    }

    private CSharpCompilation _original = null!;
    private GeneratorDriver _driver = null!;
    private GeneratorDriver _warm = null!;
    private bool _flip;
    private IIncrementalGenerator _generator = null!;

    /// <summary><c>current</c> (this build), and <c>baseline</c> when <c>RIVET_BASELINE_GENERATOR</c> is set.</summary>
    [ParamsSource(nameof(Generators))]
    public string Generator { get; set; } = "current";

    public static string[] Generators => BaselineGenerator.Path is null ? ["current"] : ["baseline", "current"];

    [GlobalSetup]
    public void Setup()
    {
        _generator = Generator == "baseline" ? BaselineGenerator.Load() : new Rivet.Generators.ActorGenerator();
        _original = GeneratorProject.Create();
        _driver = GeneratorProject.CreateDriver(_generator).RunGenerators(_original);
        _warm = GeneratorProject.CreateDriver(_generator).RunGenerators(_original);
    }

    /// <summary>A new driver over the 200-actor project: parse every actor, emit every file.</summary>
    [Benchmark(Baseline = true)]
    public GeneratorDriver FullRun_200Actors() => GeneratorProject.CreateDriver(_generator).RunGenerators(_original);

    /// <summary>The warm driver on the compilation it already ran on: every step cached (the floor of an incremental run).</summary>
    [Benchmark]
    public GeneratorDriver Rerun_NoEdit() => _warm.RunGenerators(_original);

    /// <summary>The warm driver after one action body changed (alternately edited and restored, the file parsed anew each time).</summary>
    [Benchmark]
    public GeneratorDriver IncrementalEdit_ActionBody()
    {
        _flip = !_flip;
        _driver = _driver.RunGenerators(GeneratorProject.WithEditedBody(_original, _flip));
        return _driver;
    }
}
