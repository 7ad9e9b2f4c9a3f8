using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Rivet.Generators.Tests.Infrastructure;

namespace Rivet.Generators.Tests.Analyzers;

/// <summary>
/// Runs one analyzer on test sources compiled against the real runtime and compares its diagnostics with the
/// <c>{|ID:span|}</c> markup in the sources, exactly (ID, file and span).
/// </summary>
internal static class AnalyzerVerifier<TAnalyzer> where TAnalyzer : DiagnosticAnalyzer, new()
{
    /// <summary>
    /// Verifies the diagnostics and returns them (sorted by position) for further checks, e.g. of messages.
    /// The sources must compile without errors, so that a typo cannot make a test pass.
    /// </summary>
    public static Task<ImmutableArray<Diagnostic>> VerifyAsync(params string[] markupSources) =>
        VerifyWithCompilerErrorsAsync(markupSources);

    /// <summary>As <see cref="VerifyAsync"/>, for sources that must also have exactly the given compiler errors.</summary>
    public static async Task<ImmutableArray<Diagnostic>> VerifyWithCompilerErrorsAsync(string[] markupSources, params string[] compilerErrorIds)
    {
        var markups = markupSources.Select(DiagnosticMarkup.Parse).ToArray();
        var compilation = TestCompilation.Create(markups.Select(m => m.Source).ToArray());
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(
            errors.Select(d => d.Id).Distinct().OrderBy(id => id, StringComparer.Ordinal).SequenceEqual(compilerErrorIds.Distinct().OrderBy(id => id, StringComparer.Ordinal)),
            $"Expected compiler errors [{string.Join(", ", compilerErrorIds)}] in the test sources, got:\n  {string.Join("\n  ", errors)}");
        var expected = markups
            .SelectMany((m, i) => m.Spans.Select(s => new ExpectedDiagnostic(s.Id, compilation.SyntaxTrees.ElementAt(i).FilePath, s.Span)))
            .ToList();

        var actual = await GetDiagnosticsAsync(compilation);
        DiagnosticAssert.Matches(typeof(TAnalyzer).Name, expected, actual, compilation);
        return actual;
    }

    /// <summary>The analyzer's diagnostics on <paramref name="compilation"/>, sorted by file and position; analyzer exceptions fail the test.</summary>
    public static async Task<ImmutableArray<Diagnostic>> GetDiagnosticsAsync(Compilation compilation)
    {
        var exceptions = new List<Exception>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            onAnalyzerException: (exception, _, _) => { lock (exceptions) { exceptions.Add(exception); } },
            concurrentAnalysis: true,
            logAnalyzerExecutionTime: false);
        var diagnostics = await compilation
            .WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new TAnalyzer()), options)
            .GetAnalyzerDiagnosticsAsync();
        if (exceptions.Count > 0)
        {
            throw new AggregateException($"{typeof(TAnalyzer).Name} threw.", exceptions);
        }
        return diagnostics
            .OrderBy(d => d.Location.SourceTree?.FilePath, StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start)
            .ThenBy(d => d.Id, StringComparer.Ordinal)
            .ToImmutableArray();
    }
}

/// <summary>Compares reported diagnostics with expected ones (ID, file, span) and fails with a readable list.</summary>
internal static class DiagnosticAssert
{
    /// <summary>Fails unless <paramref name="actual"/> holds exactly the <paramref name="expected"/> diagnostics.</summary>
    /// <remarks>An expected diagnostic with a null <see cref="ExpectedDiagnostic.Path"/> has no location (Location.None).</remarks>
    public static void Matches(string reporter, IReadOnlyList<ExpectedDiagnostic> expected, ImmutableArray<Diagnostic> actual, Compilation compilation)
    {
        var unmatched = actual.ToList();
        var missing = new List<ExpectedDiagnostic>();
        foreach (var e in expected)
        {
            var match = unmatched.FindIndex(d => d.Id == e.Id && (e.Path is null
                ? d.Location.Kind == LocationKind.None
                : d.Location.Kind != LocationKind.None && d.Location.GetLineSpan().Path == e.Path && d.Location.SourceSpan == e.Span));
            if (match < 0)
            {
                missing.Add(e);
            }
            else
            {
                unmatched.RemoveAt(match);
            }
        }
        if (missing.Count == 0 && unmatched.Count == 0)
        {
            return;
        }

        var message = new System.Text.StringBuilder();
        message.AppendLine($"{reporter} did not report the expected diagnostics.");
        foreach (var m in missing)
        {
            var tree = compilation.SyntaxTrees.FirstOrDefault(t => m.Path is not null && t.FilePath == m.Path);
            message.AppendLine($"  missing:    {m.Id} at {(tree is not null ? Describe(tree, m.Span) : "(no location)")}");
        }
        foreach (var d in unmatched)
        {
            var tree = compilation.SyntaxTrees.FirstOrDefault(t => d.Location.Kind != LocationKind.None && t.FilePath == d.Location.GetLineSpan().Path);
            message.AppendLine($"  unexpected: {d.Id} at {(tree is not null ? Describe(tree, d.Location.SourceSpan) : "(no location)")}: {d.GetMessage()}");
        }
        message.AppendLine("  all reported:");
        foreach (var d in actual)
        {
            message.AppendLine($"    {d}");
        }
        Assert.Fail(message.ToString());
    }

    private static string Describe(SyntaxTree tree, Microsoft.CodeAnalysis.Text.TextSpan span)
    {
        var line = tree.GetLineSpan(span);
        return $"{tree.FilePath}({line.StartLinePosition.Line + 1},{line.StartLinePosition.Character + 1}) '{tree.GetText().ToString(span)}'";
    }
}
