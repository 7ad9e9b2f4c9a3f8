using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace Rivet.Sdk.Testing.Tests.Docs;

/// <summary>docs/testing.md quotes CounterTestingExamples verbatim: every region of the tests is on the page, and every C# block of the page that is not a region is short setup text.</summary>
public sealed class DocsExamplesTests
{
    private static string Root([System.Runtime.CompilerServices.CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", ".."));

    [Fact]
    public void Every_example_region_appears_verbatim_on_the_testing_page()
    {
        var source = File.ReadAllText(Path.Combine(Root(), "tests", "Rivet.Sdk.Testing.Tests", "Docs", "CounterTestingExamples.cs")).Replace("\r\n", "\n");
        var page = File.ReadAllText(Path.Combine(Root(), "docs", "testing.md")).Replace("\r\n", "\n");
        var regions = Regex.Matches(source, @"// docs:([\w-]+)\n(.*?)\n\s*// end", RegexOptions.Singleline);
        Assert.Equal(6, regions.Count);
        var blocks = Regex.Matches(page, "```csharp\n(.*?)```", RegexOptions.Singleline).Select(m => m.Groups[1].Value.TrimEnd()).ToList();
        foreach (Match region in regions)
        {
            var text = Dedent(region.Groups[2].Value);
            Assert.True(blocks.Contains(text), $"docs/testing.md lacks the example '{region.Groups[1].Value}' exactly as in CounterTestingExamples.cs:\n{text}");
        }
        Assert.Equal(regions.Count, blocks.Count);
    }

    private static string Dedent(string text)
    {
        var lines = text.Split('\n');
        var indent = lines.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
        return string.Join("\n", lines.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart())).TrimEnd();
    }
}
