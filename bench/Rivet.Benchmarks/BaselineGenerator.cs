using System;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;

namespace Rivet.Benchmarks;

/// <summary>
/// Another build of <c>Rivet.Generators.dll</c> (e.g. main's), loaded beside this one so the generator benchmark
/// measures before and after in one run. Set <c>RIVET_BASELINE_GENERATOR</c> to its path; Roslyn and the rest
/// resolve from this process, only the generator assembly itself is loaded again.
/// </summary>
internal static class BaselineGenerator
{
    public const string Variable = "RIVET_BASELINE_GENERATOR";

    /// <summary>The baseline's path, or null when the variable is unset.</summary>
    public static string? Path => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } path ? path : null;

    public static IIncrementalGenerator Load()
    {
        var path = Path ?? throw new InvalidOperationException($"Set {Variable} to the path of a baseline Rivet.Generators.dll.");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{Variable} names '{path}', which does not exist.", path);
        }
        var context = new GeneratorContext(System.IO.Path.GetFullPath(path));
        var assembly = context.LoadFromAssemblyPath(System.IO.Path.GetFullPath(path));
        var type = assembly.GetType("Rivet.Generators.ActorGenerator", throwOnError: true)!;
        return (IIncrementalGenerator)Activator.CreateInstance(type)!;
    }

    private sealed class GeneratorContext(string path) : AssemblyLoadContext("RivetBaselineGenerator")
    {
        protected override Assembly? Load(AssemblyName name) =>
            name.Name == "Rivet.Generators" ? LoadFromAssemblyPath(path) : null;
    }
}
