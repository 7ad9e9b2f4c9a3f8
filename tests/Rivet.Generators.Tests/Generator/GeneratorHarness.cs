using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Rivet.Generators.Tests.Infrastructure;

namespace Rivet.Generators.Tests.Generator;

/// <summary>Runs the actor generator on test sources and exposes what it produced.</summary>
internal static class GeneratorHarness
{
    /// <summary>Parses <paramref name="sources"/> (named Source0.cs, Source1.cs …) with documentation comments diagnosed.</summary>
    public static CSharpCompilation Compile(IEnumerable<string> sources, LanguageVersion languageVersion = LanguageVersion.Preview, string assemblyName = "TestAssembly")
    {
        var options = TestCompilation.ParseOptions.WithLanguageVersion(languageVersion).WithDocumentationMode(DocumentationMode.Diagnose);
        return CSharpCompilation.Create(
            assemblyName,
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, options, path: $"Source{i}.cs")),
            TestCompilation.References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    }

    public static GeneratorRun Run(params string[] sources) => Run(Compile(sources));

    public static GeneratorRun Run(CSharpCompilation compilation)
    {
        var (output, diagnostics, result) = TestCompilation.RunGenerator(compilation);
        Assert.All(result.Results, r => Assert.Null(r.Exception));
        return new GeneratorRun(output, diagnostics, result);
    }

    private static readonly bool s_updateGolden = Environment.GetEnvironmentVariable("RIVET_UPDATE_GOLDEN") == "1";

    /// <summary>
    /// Asserts that <paramref name="sources"/> are exactly the golden files in <paramref name="directory"/>, same names
    /// and same text. With RIVET_UPDATE_GOLDEN=1 the folder is rewritten from <paramref name="sources"/> first.
    /// </summary>
    public static void AssertMatchesGolden(IReadOnlyDictionary<string, string> sources, string directory)
    {
        if (s_updateGolden)
        {
            Directory.CreateDirectory(directory);
            foreach (var stale in Directory.GetFiles(directory, "*.cs"))
            {
                File.Delete(stale);
            }
            foreach (var (hintName, text) in sources)
            {
                File.WriteAllText(Path.Combine(directory, hintName), text);
            }
        }
        var expected = Directory.GetFiles(directory, "*.cs").Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal).ToArray();
        Assert.Equal(expected, sources.Keys.OrderBy(n => n, StringComparer.Ordinal).ToArray());
        foreach (var (hintName, text) in sources)
        {
            var golden = File.ReadAllText(Path.Combine(directory, hintName)).Replace("\r\n", "\n", StringComparison.Ordinal);
            Assert.True(golden == text, $"{hintName} differs from its golden file (set RIVET_UPDATE_GOLDEN=1 to accept):\n{text}");
        }
    }

    /// <summary>The folder holding the golden files, in the source tree (so they can be rewritten).</summary>
    public static string GoldenDirectory([CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "Golden"));
}

internal sealed record GeneratorRun(Compilation Output, ImmutableArray<Diagnostic> Diagnostics, GeneratorDriverRunResult Result)
{
    /// <summary>Generated sources by hint name.</summary>
    public IReadOnlyDictionary<string, string> Sources =>
        Result.Results.SelectMany(r => r.GeneratedSources).ToDictionary(s => s.HintName, s => s.SourceText.ToString(), StringComparer.Ordinal);

    /// <summary>The generator diagnostics with the given ID.</summary>
    public IReadOnlyList<Diagnostic> WithId(string id) => Diagnostics.Where(d => d.Id == id).ToList();

    /// <summary>Compiler errors and warnings of the output.</summary>
    public ImmutableArray<Diagnostic> Problems => TestCompilation.Problems(Output);
}
