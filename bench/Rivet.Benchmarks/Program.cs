using BenchmarkDotNet.Running;

namespace Rivet.Benchmarks;

/// <summary>Entry point: <c>dotnet run -c Release --project bench/Rivet.Benchmarks -- --filter '*Dispatch*'</c>.</summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
