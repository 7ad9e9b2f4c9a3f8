using BenchmarkDotNet.Running;

namespace Rivet.Benchmarks;

/// <summary>
/// Entry point: <c>dotnet run -c Release --project bench/Rivet.Benchmarks -- --filter '*Dispatch*'</c>;
/// <c>-- --generator-steps</c> prints the generator's step reasons for an incremental edit instead.
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        if (args is ["--generator-steps"])
        {
            GeneratorProject.PrintStepReasons();
            return;
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
