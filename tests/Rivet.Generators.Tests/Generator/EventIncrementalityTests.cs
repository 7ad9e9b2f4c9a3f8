using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Rivet.Generators.Tests.Infrastructure;

namespace Rivet.Generators.Tests.Generator;

/// <summary>The pipeline stays cached for actors with events, connection types and schedules.</summary>
public sealed class EventIncrementalityTests
{
    [Fact]
    public void An_edit_inside_an_action_body_reruns_the_parse_but_no_emit_step()
    {
        var compilation = GeneratorHarness.Compile(GoldenEvents.All.Concat(GoldenActors.All));
        var driver = TestCompilation.CreateDriver(compilation).RunGenerators(compilation);

        var tree = compilation.SyntaxTrees.First();
        var body = "NewCount(State.Count);";
        Assert.Contains(body, GoldenEvents.Counter, StringComparison.Ordinal);
        var edited = compilation.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(
            GoldenEvents.Counter.Replace(body, body + " NewCount(State.Count + 0);", StringComparison.Ordinal),
            (CSharpParseOptions)tree.Options, tree.FilePath));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        // The edited actor was parsed again, into an equal model ...
        var parse = result.TrackedSteps["RivetActorParse"].SelectMany(s => s.Outputs).ToList();
        Assert.Contains(parse, o => o.Reason == IncrementalStepRunReason.Unchanged);
        Assert.DoesNotContain(parse, o => o.Reason is IncrementalStepRunReason.Modified or IncrementalStepRunReason.New);
        foreach (var step in new[] { "RivetActors", "RivetAllActors", "RivetClientNames", "RivetActorClientParse", "RivetAllActorClients" })
        {
            Assert.All(result.TrackedSteps[step].SelectMany(s => s.Outputs),
                o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {o.Reason}"));
        }
        // ... so no output (dispatch, client, connection, events, schedule, registration, JSON context) was emitted again.
        var outputs = result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs).ToList();
        Assert.NotEmpty(outputs);
        Assert.All(outputs, o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, o.Reason.ToString()));
    }

    [Fact]
    public void Adding_an_event_reruns_the_actor_outputs()
    {
        var compilation = GeneratorHarness.Compile(GoldenEvents.All);
        var driver = TestCompilation.CreateDriver(compilation).RunGenerators(compilation);

        var tree = compilation.SyntaxTrees.First();
        var declaration = "[Event] partial void NewCount(int count);";
        var edited = compilation.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(
            GoldenEvents.Counter.Replace(declaration, declaration + " [Event] partial void Tick();", StringComparison.Ordinal),
            (CSharpParseOptions)tree.Options, tree.FilePath));
        var run = driver.RunGenerators(edited);
        var result = run.GetRunResult().Results.Single();

        Assert.Contains(result.TrackedSteps["RivetActorParse"].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        var events = result.GeneratedSources.Single(s => s.HintName == "Live.Counter.Events.g.cs").SourceText.ToString();
        Assert.Contains("partial void Tick()", events, StringComparison.Ordinal);
        var client = result.GeneratedSources.Single(s => s.HintName == "Live.Counter.Client.g.cs").SourceText.ToString();
        Assert.Contains("OnTick(global::System.Action handler)", client, StringComparison.Ordinal);
    }
}
