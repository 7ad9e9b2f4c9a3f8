using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Rivet.Generators;
using Rivet.Generators.Analyzers;

namespace Rivet.Generators.Tests.Infrastructure;

/// <summary>Builds compilations of test sources against the real runtime and runs the Rivet generator on them.</summary>
internal static class TestCompilation
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Preview, DocumentationMode.Parse);

    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(() =>
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal)
                     || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll" or "Microsoft.Extensions.Logging.Abstractions.dll")
            .Append(typeof(Rivet.Actor).Assembly.Location)
            .Distinct();
        return paths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();
    });

    public static ImmutableArray<MetadataReference> References => s_references.Value;

    public static CSharpCompilation Create(params string[] sources) => Create(sources, "TestAssembly");

    public static CSharpCompilation Create(IEnumerable<string> sources, string assemblyName, LanguageVersion languageVersion = LanguageVersion.Preview) =>
        CSharpCompilation.Create(
            assemblyName,
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions.WithLanguageVersion(languageVersion), path: $"Source{i}.cs")),
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver CreateDriver(CSharpCompilation compilation, bool trackSteps = true) =>
        CSharpGeneratorDriver.Create(
            new[] { new ActorGenerator().AsSourceGenerator() },
            parseOptions: (CSharpParseOptions)compilation.SyntaxTrees.First().Options,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>The IDs the generator still reports itself: they need every actor at once (see ActorGenerator).</summary>
    public static readonly string[] GeneratorOwnIds = ["RIVET015", "RIVET016", "RIVET022", "RIVET034", "RIVET056", "RIVET057", "RIVET058", "RIVET059"];

    /// <summary>
    /// Runs the generator, then <see cref="ActorValidationAnalyzer"/> on its output (as the editor and the compiler do);
    /// returns the compilation including generated sources and Rivet's diagnostics: the generator's and the analyzer's.
    /// Fails when the generator reports anything but its assembly-wide diagnostics.
    /// </summary>
    public static (Compilation Output, ImmutableArray<Diagnostic> GeneratorDiagnostics, GeneratorDriverRunResult Result) RunGenerator(CSharpCompilation compilation)
    {
        var driver = CreateDriver(compilation).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        Assert.All(diagnostics, d => Assert.Contains(d.Id, GeneratorOwnIds));
        return (output, diagnostics.AddRange(AnalyzerDiagnostics(output)), driver.GetRunResult());
    }

    /// <summary>What <see cref="ActorValidationAnalyzer"/> reports on <paramref name="compilation"/> (which includes the generated sources).</summary>
    /// Only the test's own files are analyzed (as an editor analyzes open documents): analyzing the whole compilation
    /// would bind the generated code too, which triples the time of this project's tests.
    public static ImmutableArray<Diagnostic> AnalyzerDiagnostics(Compilation compilation)
    {
        var analysis = compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new ActorValidationAnalyzer()));
        return compilation.SyntaxTrees
            .Where(t => !Parsing.GeneratedNames.IsGeneratorOutput(t))
            .SelectMany(t => analysis.GetAnalyzerSemanticDiagnosticsAsync(compilation.GetSemanticModel(t), filterSpan: null, default).GetAwaiter().GetResult())
            .ToImmutableArray();
    }

    /// <summary>Compile errors and warnings of a compilation (hidden and info diagnostics excluded).</summary>
    public static ImmutableArray<Diagnostic> Problems(Compilation compilation) =>
        compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToImmutableArray();

    /// <summary>Emits the compilation and loads it into a collectible context, failing with the compiler's errors.</summary>
    public static Assembly EmitAndLoad(Compilation compilation)
    {
        using var stream = new MemoryStream();
        var emit = compilation.Emit(stream);
        if (!emit.Success)
        {
            throw new InvalidOperationException("Compilation failed:\n" + string.Join("\n", emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        }
        stream.Position = 0;
        var context = new AssemblyLoadContext("rivet-test-" + Guid.NewGuid().ToString("N"), isCollectible: true);
        return context.LoadFromStream(stream);
    }
}
