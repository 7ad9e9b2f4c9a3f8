using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Rivet.Benchmarks;

/// <summary>
/// Generator cost on a project of 200 actors (<see cref="GeneratorProject"/>): a full run with a new driver (what a
/// clean build pays), and the incremental run after an edit inside an action body (what each keystroke in the IDE
/// pays). The incremental benchmark alternates between the two versions of the edited file, so every invocation is
/// a real edit. Step reasons: <c>dotnet run -c Release --project bench/Rivet.Benchmarks -- --generator-steps</c>.
/// </summary>
[Config(typeof(BenchConfig))]
public class GeneratorBenchmarks
{
    private CSharpCompilation _original = null!;
    private CSharpCompilation _edited = null!;
    private GeneratorDriver _driver = null!;
    private GeneratorDriver _warm = null!;
    private bool _flip;

    [GlobalSetup]
    public void Setup()
    {
        _original = GeneratorProject.Create();
        _edited = GeneratorProject.WithEditedBody(_original, edited: true);
        _driver = GeneratorProject.CreateDriver().RunGenerators(_original);
        _warm = GeneratorProject.CreateDriver().RunGenerators(_original);
    }

    /// <summary>A new driver over the 200-actor project: parse every actor, emit every file.</summary>
    [Benchmark(Baseline = true)]
    public GeneratorDriver FullRun_200Actors() => GeneratorProject.CreateDriver().RunGenerators(_original);

    /// <summary>The warm driver on the compilation it already ran on: every step cached (the floor of an incremental run).</summary>
    [Benchmark]
    public GeneratorDriver Rerun_NoEdit() => _warm.RunGenerators(_original);

    /// <summary>The warm driver after one action body changed (alternately edited and restored).</summary>
    [Benchmark]
    public GeneratorDriver IncrementalEdit_ActionBody()
    {
        _flip = !_flip;
        _driver = _driver.RunGenerators(_flip ? _edited : _original);
        return _driver;
    }
}
