using System;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Rivet.Generators.Analyzers;
using Rivet.Generators.Tests.Generator;
using Rivet.Generators.Tests.Infrastructure;

namespace Rivet.Generators.Tests.Analyzers;

/// <summary>
/// The per-declaration diagnostics come from <see cref="ActorValidationAnalyzer"/>: the generator stays silent on
/// invalid input and emits nothing for it, and the analyzer reports each mistake once, whether the build analyzes the
/// whole compilation or the editor one file at a time.
/// </summary>
public sealed class ActorValidationAnalyzerTests
{
    private const string Broken = """
        using System.Threading.Tasks;
        using Rivet;
        namespace Broken;
        [Actor]
        public partial class Shop : Actor
        {
            [Action] internal int Hidden() => 1;
            [Action] public async void Fire() { await Task.Yield(); }
            [Action] public int Get() => 2;
        }
        public sealed class ShopConnection { }
        """;

    private const string BrokenMore = """
        using Rivet;
        namespace Broken;
        public partial class Shop
        {
            [Action("get")] public int Fetch() => 3;
            [Action] public int Handle() => 4;
        }
        """;

    private static readonly string[] Expected = ["RIVET005", "RIVET009", "RIVET012", "RIVET028", "RIVET031"];

    [Fact]
    public void The_generator_reports_nothing_and_emits_nothing_for_the_mistakes_the_analyzer_reports()
    {
        var compilation = GeneratorHarness.Compile([Broken, BrokenMore]);
        var driver = TestCompilation.CreateDriver(compilation).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);

        Assert.Empty(generatorDiagnostics);
        var dispatch = driver.GetRunResult().Results.Single().GeneratedSources.Single(s => s.HintName == "Broken.Shop.Actor.g.cs").SourceText.ToString();
        Assert.Contains("\"get\"", dispatch, StringComparison.Ordinal);
        Assert.DoesNotContain("\"hidden\"", dispatch, StringComparison.Ordinal);
        Assert.DoesNotContain("\"fire\"", dispatch, StringComparison.Ordinal);
        Assert.Equal(Expected, TestCompilation.AnalyzerDiagnostics(output).Select(d => d.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_whole_compilation_and_each_file_alone_get_the_same_diagnostics_once()
    {
        var compilation = GeneratorHarness.Compile([Broken, BrokenMore]);
        TestCompilation.CreateDriver(compilation).RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);

        var whole = await output.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new ActorValidationAnalyzer())).GetAnalyzerDiagnosticsAsync();
        var perFile = TestCompilation.AnalyzerDiagnostics(output);

        static string Key(Diagnostic d) => $"{d.Id} {d.Location.GetLineSpan()}";
        Assert.Equal(Expected, whole.Select(d => d.Id).Order(StringComparer.Ordinal));
        Assert.Equal(whole.Select(Key).Order(StringComparer.Ordinal), perFile.Select(Key).Order(StringComparer.Ordinal));
        Assert.All(whole, d => Assert.True(d.Location.IsInSource && output.ContainsSyntaxTree(d.Location.SourceTree!), $"{d.Id} is not placed in a file of the compilation"));
    }

    [Fact]
    public void An_actor_attribute_through_a_renamed_alias_gets_RIVET033_on_the_attribute_and_nothing_else()
    {
        const string source = """
            using Grain = Rivet.ActorAttribute;
            namespace Aliased;
            [Grain]
            public partial class Counter : Rivet.Actor
            {
                [Rivet.Action] public int Get() => 1;
            }
            """;
        var compilation = GeneratorHarness.Compile([source]);
        TestCompilation.CreateDriver(compilation).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);

        Assert.Empty(generatorDiagnostics);
        var diagnostic = Assert.Single(TestCompilation.AnalyzerDiagnostics(output));
        Assert.Equal("RIVET033", diagnostic.Id);
        Assert.Equal("Grain", source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        Assert.Contains("'Counter' applies [Actor] through the alias 'Grain'", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.DoesNotContain(output.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error);
    }
}
