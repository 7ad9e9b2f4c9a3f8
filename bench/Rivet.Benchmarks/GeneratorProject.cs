using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Rivet.Generators;

namespace Rivet.Benchmarks;

/// <summary>
/// A synthetic project of <see cref="ActorCount"/> actors, one file each (a state class, a record, four actions, one
/// of them async), compiled against the real runtime, and the Rivet generator's driver over it with
/// <c>trackIncrementalGeneratorSteps</c> on.
/// </summary>
internal static class GeneratorProject
{
    public const int ActorCount = 200;

    /// <summary>The file whose action body the incremental edit changes.</summary>
    public const int EditedFile = 100;

    private static readonly CSharpParseOptions s_parseOptions = new(LanguageVersion.Preview, DocumentationMode.Parse);

    public static CSharpCompilation Create()
    {
        var trees = Enumerable.Range(0, ActorCount).Select(i => CSharpSyntaxTree.ParseText(Source(i, edited: false), s_parseOptions, path: $"Actor{i}.cs"));
        return CSharpCompilation.Create("GeneratorBenchProject", trees, References(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    }

    /// <summary>The same compilation with one action body changed (<c>State.Count += amount</c> → <c>State.Count += amount * 2</c>).</summary>
    public static CSharpCompilation WithEditedBody(CSharpCompilation compilation, bool edited)
    {
        var old = compilation.SyntaxTrees.Single(t => t.FilePath == $"Actor{EditedFile}.cs");
        return compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(Source(EditedFile, edited), s_parseOptions, path: old.FilePath));
    }

    public static GeneratorDriver CreateDriver() => CreateDriver(new ActorGenerator());

    /// <summary>
    /// A driver over <paramref name="generator"/> (this build's, or a baseline from <see cref="BaselineGenerator"/>);
    /// <paramref name="trackSteps"/> off is how the compiler and the IDE run generators.
    /// </summary>
    public static GeneratorDriver CreateDriver(IIncrementalGenerator generator, bool trackSteps = true) =>
        CSharpGeneratorDriver.Create(
            [generator.AsSourceGenerator()],
            parseOptions: s_parseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>
    /// Runs the full generator, then the incremental edit, and prints, per tracked step, how many outputs were
    /// New/Modified/Cached/Unchanged/Removed in the edit run: the proof that an edit inside an action body re-runs
    /// nothing expensive (the emit steps' inputs are Cached or Unchanged).
    /// </summary>
    public static void PrintStepReasons()
    {
        var compilation = Create();
        var driver = CreateDriver().RunGenerators(compilation);
        var first = driver.GetRunResult();
        Console.WriteLine($"Full run: {first.GeneratedTrees.Length} generated files, {first.Diagnostics.Length} diagnostics, for {ActorCount} actors.");
        // Twenty edits (changed, restored, …) warm the code up; the last one is shown.
        var watch = new System.Diagnostics.Stopwatch();
        for (var i = 0; i < 20; i++)
        {
            var edited = WithEditedBody(compilation, edited: i % 2 == 0);
            watch.Restart();
            driver = driver.RunGenerators(edited);
            watch.Stop();
        }
        var result = driver.GetRunResult().Results.Single();
        Console.WriteLine($"Incremental run after an edit inside an action body of Actor{EditedFile}: {watch.Elapsed.TotalMilliseconds:F1} ms in RunGenerators, "
            + $"{driver.GetTimingInfo().ElapsedTime.TotalMilliseconds:F1} ms by the generator's timing; the time column sums each step's runs.");
        Console.WriteLine("| step | outputs | New | Modified | Cached | Unchanged | Removed | time |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        var steps = result.TrackedSteps.Select(s => (Name: s.Key, Runs: s.Value))
            .Concat(result.TrackedOutputSteps.Select(s => (Name: "output: " + s.Key, Runs: s.Value)));
        foreach (var (name, runs) in steps.OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            var reasons = runs.SelectMany(r => r.Outputs).GroupBy(o => o.Reason).ToDictionary(g => g.Key, g => g.Count());
            int Count(IncrementalStepRunReason reason) => reasons.TryGetValue(reason, out var n) ? n : 0;
            Console.WriteLine($"| {name} | {reasons.Values.Sum()} | {Count(IncrementalStepRunReason.New)} | {Count(IncrementalStepRunReason.Modified)} | "
                + $"{Count(IncrementalStepRunReason.Cached)} | {Count(IncrementalStepRunReason.Unchanged)} | {Count(IncrementalStepRunReason.Removed)} | "
            + $"{runs.Sum(r => r.ElapsedTime.TotalMilliseconds):F1} ms |");
        }
    }

    private static string Source(int i, bool edited) => $$"""
        using System.Threading.Tasks;
        using Rivet;

        namespace Bench.Project;

        public sealed class State{{i}}
        {
            public int Count { get; set; }
            public string Name { get; set; } = "";
        }

        public sealed record Item{{i}}(string Sku, int Quantity, double Price);

        [Actor]
        public partial class Actor{{i}} : Actor<State{{i}}>
        {
            [Action]
            public int Increment(int amount = 1)
            {
                State.Count += {{(edited ? "amount * 2" : "amount")}};
                return State.Count;
            }

            [Action] public int GetCount() => State.Count;

            [Action] public Item{{i}} Echo(Item{{i}} item) => item;

            [Action]
            public async Task<string> Rename(string name)
            {
                await Task.Yield();
                State.Name = name;
                return name;
            }
        }
        """;

    private static ImmutableArray<MetadataReference> References()
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal)
                     || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll" or "Microsoft.Extensions.Logging.Abstractions.dll")
            .Append(typeof(Actor).Assembly.Location)
            .Distinct();
        return paths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();
    }
}
