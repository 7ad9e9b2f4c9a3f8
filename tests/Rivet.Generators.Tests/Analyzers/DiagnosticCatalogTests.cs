using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;

namespace Rivet.Generators.Tests.Analyzers;

/// <summary>Every descriptor in <c>Diagnostics.cs</c> is unique, documented and release-tracked.</summary>
public sealed class DiagnosticCatalogTests
{
    private static readonly IReadOnlyList<DiagnosticDescriptor> s_descriptors = typeof(Diagnostics)
        .GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
        .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
        .ToList();

    public static TheoryData<string> Ids() => new(s_descriptors.Select(d => d.Id));

    private static DiagnosticDescriptor Descriptor(string id) => s_descriptors.Single(d => d.Id == id);

    [Fact]
    public void Diagnostic_ids_are_unique_and_numbered_RIVETnnn()
    {
        Assert.NotEmpty(s_descriptors);
        var duplicates = s_descriptors.GroupBy(d => d.Id).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(duplicates.Count == 0, "Duplicate diagnostic IDs: " + string.Join(", ", duplicates));
        Assert.All(s_descriptors, d => Assert.Matches("^RIVET[0-9]{3}$", d.Id));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Descriptor_links_to_its_docs_page_and_that_page_exists(string id)
    {
        var descriptor = Descriptor(id);
        var repository = System.Xml.Linq.XDocument.Load(Path.Combine(RepositoryRoot, "Directory.Build.props")).Descendants("RepositoryUrl").Single().Value;
        Assert.Equal($"{repository}/blob/main/docs/diagnostics/{id}.md", descriptor.HelpLinkUri);
        Assert.Equal("Rivet", descriptor.Category);
        Assert.True(descriptor.IsEnabledByDefault);

        var page = Path.Combine(RepositoryRoot, "docs", "diagnostics", id + ".md");
        Assert.True(File.Exists(page), $"{id} has no docs page at docs/diagnostics/{id}.md");
        var text = File.ReadAllText(page);
        Assert.StartsWith($"# {id}: {descriptor.Title}\n", text, StringComparison.Ordinal);
        Assert.Contains($"**Severity:** {descriptor.DefaultSeverity}", text, StringComparison.Ordinal);
        foreach (var section in new[] { "## Cause", "## Example", "## How to fix", "## When to suppress" })
        {
            Assert.Contains("\n" + section + "\n", text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Descriptor_has_a_row_in_the_docs_index(string id)
    {
        var descriptor = Descriptor(id);
        var index = File.ReadAllLines(Path.Combine(RepositoryRoot, "docs", "diagnostics", "README.md"));
        var row = Assert.Single(index, l => l.StartsWith($"| [{id}]({id}.md) |", StringComparison.Ordinal));
        Assert.Contains($"| {descriptor.DefaultSeverity} | {descriptor.Title}", row, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Descriptor_is_tracked_in_the_unshipped_analyzer_release(string id)
    {
        var descriptor = Descriptor(id);
        var releases = File.ReadAllLines(Path.Combine(RepositoryRoot, "src", "Rivet.Generators", "AnalyzerReleases.Unshipped.md"));
        var row = Assert.Single(releases, l => l.StartsWith(id + " ", StringComparison.Ordinal));
        var cells = row.Split('|').Select(c => c.Trim()).ToArray();
        Assert.Equal(new[] { id, descriptor.Category, descriptor.DefaultSeverity.ToString() }, cells.Take(3));
    }

    /// <summary>The folder holding Rivet.Sdk.sln, found by walking up from the test binaries.</summary>
    private static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Rivet.Sdk.sln")))
                {
                    return dir.FullName;
                }
            }
            throw new InvalidOperationException($"No Rivet.Sdk.sln above {AppContext.BaseDirectory}.");
        }
    }
}
