using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Rivet.Generators.Tests.Infrastructure;

namespace Rivet.Generators.Tests.Analyzers;

/// <summary>Runs the Rivet generator on marked-up sources and compares the diagnostics it reports with the markup.</summary>
internal static class GeneratorDiagnosticVerifier
{
    /// <summary>
    /// Verifies the generator's diagnostics (ID, file and span) against the <c>{|ID:span|}</c> markup and returns
    /// them for further checks. The sources must compile without errors.
    /// </summary>
    public static GeneratorDiagnostics Verify(params string[] markupSources) => Verify(LanguageVersion.Preview, markupSources);

    /// <summary>As <see cref="Verify(string[])"/>, with a language version and the IDs of diagnostics expected without a location.</summary>
    public static GeneratorDiagnostics Verify(LanguageVersion languageVersion, string[] markupSources, params string[] idsWithoutLocation)
    {
        var markups = markupSources.Select(DiagnosticMarkup.Parse).ToArray();
        var compilation = TestCompilation.Create(markups.Select(m => m.Source), "TestAssembly", languageVersion);
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, "The test sources do not compile:\n  " + string.Join("\n  ", errors));

        var expected = markups
            .SelectMany((m, i) => m.Spans.Select(s => new ExpectedDiagnostic(s.Id, compilation.SyntaxTrees.ElementAt(i).FilePath, s.Span)))
            .Concat(idsWithoutLocation.Select(id => new ExpectedDiagnostic(id, null, default)))
            .ToList();
        var (_, diagnostics, result) = TestCompilation.RunGenerator(compilation);
        var actual = diagnostics
            .OrderBy(d => d.Location.GetLineSpan().Path, StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start)
            .ThenBy(d => d.Id, StringComparer.Ordinal)
            .ToImmutableArray();
        DiagnosticAssert.Matches("The generator", expected, actual, compilation);
        return new GeneratorDiagnostics(actual, result.Results.SelectMany(r => r.GeneratedSources).Select(s => s.HintName).ToImmutableArray());
    }
}

/// <summary>The generator's diagnostics, and the hint names of the sources it generated.</summary>
internal sealed record GeneratorDiagnostics(ImmutableArray<Diagnostic> Diagnostics, ImmutableArray<string> HintNames)
{
    /// <summary>Asserts that the actor's dispatch was generated, i.e. that the generator did not skip it.</summary>
    public void AssertGenerated(string actorClassName) =>
        Assert.Contains(actorClassName + ".Actor.g.cs", HintNames);

    /// <summary>The single diagnostic's message.</summary>
    public string SingleMessage() => Assert.Single(Diagnostics).GetMessage(System.Globalization.CultureInfo.InvariantCulture);
}
