using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Rivet.Benchmarks;

/// <summary>
/// This generator against a baseline build (<see cref="BaselineGenerator"/>) on the 200-actor project, each sample
/// of one taken right after the same sample of the other, so a busy machine slows both alike (BenchmarkDotNet runs
/// them minutes apart). Prints the median and the fastest of each. <paramref name="trackSteps"/> false runs the
/// drivers as the compiler and the IDE do (no step tracking, which records every step's inputs and outputs).
/// </summary>
internal static class GeneratorComparison
{
    private const int EditSamples = 40;

    /// <summary>Edits run first and not counted: until the JIT has promoted the generators' hot code (tiered
    /// compilation, after some 30 calls plus a background compile), an edit costs 2-4x what it costs in an IDE that has
    /// been running the generator all day, and the medians measured the warm-up.</summary>
    private const int WarmupEdits = 60;
    private const int FullSamples = 6;

    public static void Run(bool trackSteps = true)
    {
        var generators = new (string Name, IIncrementalGenerator Generator)[]
        {
            ("baseline", BaselineGenerator.Load()),
            ("current", new Rivet.Generators.ActorGenerator()),
        };
        var original = GeneratorProject.Create();
        var drivers = generators.Select(g => GeneratorProject.CreateDriver(g.Generator, trackSteps).RunGenerators(original)).ToArray();
        var full = generators.Select(_ => new List<double>()).ToArray();
        var edit = generators.Select(_ => new List<double>()).ToArray();
        var rerun = generators.Select(_ => new List<double>()).ToArray();
        for (var i = 0; i < FullSamples; i++)
        {
            for (var g = 0; g < generators.Length; g++)
            {
                full[g].Add(Time(() => GeneratorProject.CreateDriver(generators[g].Generator, trackSteps).RunGenerators(original)));
            }
        }
        for (var i = 0; i < WarmupEdits + EditSamples; i++)
        {
            for (var g = 0; g < generators.Length; g++)
            {
                // The same edit for each, in its own compilation: one action body changed (or restored) in a newly
                // parsed file. A shared compilation would let the first generator pay for binding it (its symbols
                // and attributes are created lazily) and the second run on what the first bound.
                var edited = GeneratorProject.WithEditedBody(original, edited: i % 2 == 0);
                var driver = drivers[g];
                var editTime = Time(() => driver = driver.RunGenerators(edited));
                var rerunTime = Time(() => driver = driver.RunGenerators(edited));
                if (i >= WarmupEdits)
                {
                    edit[g].Add(editTime);
                    rerun[g].Add(rerunTime);
                }
                drivers[g] = driver;
            }
        }
        Console.WriteLine(trackSteps ? "Step tracking on." : "Step tracking off (as in the compiler and the IDE).");
        Console.WriteLine($"| generator | full run, median (fastest) | edit inside an action body, median (fastest) | rerun without edit, median (fastest) |");
        Console.WriteLine("|---|---:|---:|---:|");
        for (var g = 0; g < generators.Length; g++)
        {
            Console.WriteLine($"| {generators[g].Name} | {Format(full[g])} | {Format(edit[g])} | {Format(rerun[g])} |");
        }
    }

    private static double Time(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed.TotalMilliseconds;
    }

    private static string Format(List<double> samples)
    {
        var sorted = samples.OrderBy(s => s).ToList();
        return $"{sorted[sorted.Count / 2]:F1} ms ({sorted[0]:F1} ms)";
    }
}
