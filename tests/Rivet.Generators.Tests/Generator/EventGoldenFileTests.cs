using System.Linq;

namespace Rivet.Generators.Tests.Generator;

/// <summary>Golden files and compilation of <see cref="GoldenEvents"/>: events, connections, connection types and the typed schedule.</summary>
public sealed class EventGoldenFileTests
{
    [Fact]
    public void Generated_files_match_the_golden_files()
    {
        var run = GeneratorHarness.Run(GoldenEvents.All);
        Assert.Empty(run.Diagnostics);
        GeneratorHarness.AssertMatchesGolden(run.Sources, System.IO.Path.Combine(GeneratorHarness.GoldenDirectory(), "Events"));
    }

    [Fact]
    public void Generated_code_compiles_without_warnings_including_documentation_comments()
    {
        var run = GeneratorHarness.Run(GoldenEvents.All);
        Assert.Empty(run.Problems);
    }
}
