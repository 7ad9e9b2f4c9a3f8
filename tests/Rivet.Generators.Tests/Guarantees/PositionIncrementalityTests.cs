using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Rivet.Generators.Tests.Generator;
using Rivet.Generators.Tests.Infrastructure;

namespace Rivet.Generators.Tests.Guarantees;

/// <summary>The models carry no source positions: an edit that only moves code re-emits nothing, and the analyzer's diagnostics still move with it.</summary>
public sealed class PositionIncrementalityTests
{
    private const string Warned = """
        using Rivet;
        namespace Moves;
        [Actor]
        public partial class Ticket : Actor
        {
            [Action] public int Handle() => 1;
            [Action] public int Get() => 2;
        }
        [ActorClient("remote")]
        public interface IRemote { System.Threading.Tasks.Task Ping(); }
        """;

    [Fact]
    public void Adding_lines_above_actors_and_clients_emits_nothing_again_and_moves_their_diagnostics()
    {
        var compilation = GeneratorHarness.Compile(GoldenActors.All.Append(Warned));
        var driver = TestCompilation.CreateDriver(compilation).RunGenerators(compilation);
        var before = Assert.Single(TestCompilation.AnalyzerDiagnostics(compilation), d => d.Id == "RIVET028");

        // Every file gets two lines at the top: every actor, client and diagnostic moves, nothing else changes.
        var edited = compilation;
        foreach (var tree in compilation.SyntaxTrees)
        {
            edited = edited.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText("// moved\n\n" + tree.GetText(), (CSharpParseOptions)tree.Options, tree.FilePath));
        }
        var run = driver.RunGenerators(edited).GetRunResult();
        var result = run.Results.Single();

        Assert.NotEmpty(result.GeneratedSources);
        Assert.All(result.TrackedSteps["RivetActors"].SelectMany(s => s.Outputs),
            o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, "RivetActors: " + o.Reason));
        Assert.All(result.TrackedSteps["RivetActorClients"].SelectMany(s => s.Outputs),
            o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, "RivetActorClients: " + o.Reason));
        foreach (var step in new[] { "RivetAllActors", "RivetAllActorClients", "RivetClientNames" })
        {
            Assert.All(result.TrackedSteps[step].SelectMany(s => s.Outputs),
                o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {o.Reason}"));
        }

        // The diagnostic (the analyzer's, which parses anew) moved two lines down with its action.
        var after = Assert.Single(TestCompilation.AnalyzerDiagnostics(edited), d => d.Id == "RIVET028");
        Assert.Equal(before.Location.GetLineSpan().StartLinePosition.Line + 2, after.Location.GetLineSpan().StartLinePosition.Line);
        var movedTree = edited.SyntaxTrees.Single(t => t.FilePath == after.Location.GetLineSpan().Path);
        Assert.Equal("Handle", movedTree.GetText().ToString(after.Location.SourceSpan));
    }
}
