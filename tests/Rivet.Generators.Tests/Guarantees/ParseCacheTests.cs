using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Rivet.Generators.Tests.Generator;
using Rivet.Generators.Tests.Infrastructure;

namespace Rivet.Generators.Tests.Guarantees;

/// <summary>
/// An edit inside a member body re-parses only the actor whose file changed; any declaration edit re-parses the
/// actors again, so no result is ever stale.
/// </summary>
public sealed class ParseCacheTests
{
    private const string Alpha = """
        using Rivet;
        namespace Cache;
        [Actor]
        public partial class Alpha : Actor<AlphaState>
        {
            [Action] public int Get() => State.Count;
        }
        """;

    private const string AlphaState = """
        namespace Cache;
        public sealed class AlphaState
        {
            public int Count { get; set; }
            public int Helper() { return 1; }
        }
        """;

    private const string AlphaMore = """
        using Rivet;
        namespace Cache;
        public partial class Alpha
        {
            public int Body() { return 1; }
            [Action] public int Handle() => 2;
        }
        """;

    private const string Beta = """
        using Rivet;
        namespace Cache;
        [Actor]
        public partial class Beta : Actor
        {
            [Action] public int Ping() { return 1; }
        }
        """;

    private static (GeneratorDriver Driver, CSharpCompilation Compilation) Start(params string[] sources)
    {
        var compilation = GeneratorHarness.Compile(sources);
        return (TestCompilation.CreateDriver(compilation).RunGenerators(compilation), compilation);
    }

    private static CSharpCompilation Replace(CSharpCompilation compilation, int file, string oldText, string newText)
    {
        var tree = compilation.SyntaxTrees.ElementAt(file);
        var text = tree.GetText().ToString();
        Assert.Contains(oldText, text, StringComparison.Ordinal);
        return compilation.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(text.Replace(oldText, newText, StringComparison.Ordinal), (CSharpParseOptions)tree.Options, tree.FilePath));
    }

    /// <summary>Runs <paramref name="run"/> and returns the class names of the actors it parsed (not taken from the cache).</summary>
    private static List<string> ParsedDuring(CSharpCompilation compilation, Action run)
    {
        var parsed = new System.Collections.Concurrent.ConcurrentBag<SyntaxNode>();
        void Record(SyntaxNode node) => parsed.Add(node);
        Rivet.Generators.Parsing.ParseCache.Parsed += Record;
        try
        {
            run();
        }
        finally
        {
            Rivet.Generators.Parsing.ParseCache.Parsed -= Record;
        }
        return parsed.Where(n => compilation.SyntaxTrees.Contains(n.SyntaxTree))
            .Select(n => ((Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax)n).Identifier.Text).OrderBy(n => n, StringComparer.Ordinal).ToList();
    }

    [Fact]
    public void A_body_edit_in_one_file_reuses_the_other_actors_results_and_reparses_its_own()
    {
        var (driver, compilation) = Start(Alpha, AlphaState, AlphaMore, Beta);
        var edited = Replace(compilation, 3, "{ return 1; }", "{ return 2; }");
        var parsed = ParsedDuring(edited, () => driver = driver.RunGenerators(edited));
        Assert.Equal(["Beta"], parsed);

        // Edits in files without actors (a body of the state class) re-parse nothing.
        var again = Replace(edited, 1, "{ return 1; }", "{ return 3; }");
        Assert.Empty(ParsedDuring(again, () => driver = driver.RunGenerators(again)));
    }

    [Fact]
    public void A_declaration_edit_in_another_file_reparses_the_actors_that_depend_on_it()
    {
        var (driver, compilation) = Start(Alpha, AlphaState, AlphaMore, Beta);
        Assert.DoesNotContain("Total", driver.GetRunResult().GeneratedSources().Single(s => s.HintName == "RivetJsonContext.g.cs").SourceText.ToString(), StringComparison.Ordinal);

        var edited = Replace(compilation, 1, "public int Count { get; set; }", "public int Count { get; set; }\n    public long Total { get; set; }");
        Assert.Equal(["Alpha", "Beta"], ParsedDuring(edited, () => driver = driver.RunGenerators(edited)));

        Assert.Contains("Total", driver.GetRunResult().GeneratedSources().Single(s => s.HintName == "RivetJsonContext.g.cs").SourceText.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_body_edit_that_moves_a_diagnostic_in_another_partial_file_reparses_nothing_and_the_analyzer_moves_it()
    {
        var (driver, compilation) = Start(Alpha, AlphaState, AlphaMore, Beta);
        Assert.Empty(driver.GetRunResult().Diagnostics);
        var line = Assert.Single(TestCompilation.AnalyzerDiagnostics(compilation), d => d.Id == "RIVET028").Location.GetLineSpan().StartLinePosition.Line;

        // The models carry no positions, so the generator has nothing to redo; the analyzer parses anew.
        var edited = Replace(compilation, 2, "{ return 1; }", "{\n        return 1;\n    }");
        Assert.Empty(ParsedDuring(edited, () => driver = driver.RunGenerators(edited)));

        var moved = Assert.Single(TestCompilation.AnalyzerDiagnostics(edited), d => d.Id == "RIVET028");
        Assert.Equal(line + 2, moved.Location.GetLineSpan().StartLinePosition.Line);
    }
}

internal static class RunResultExtensions
{
    public static IEnumerable<GeneratedSourceResult> GeneratedSources(this GeneratorDriverRunResult result) =>
        result.Results.SelectMany(r => r.GeneratedSources);
}
