using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace Rivet.Generators.Tests.Analyzers;

/// <summary>An expected diagnostic: its ID and where it is reported, in the unmarked source (no path: no location).</summary>
internal readonly record struct ExpectedDiagnostic(string Id, string? Path, TextSpan Span);

/// <summary>
/// Test source with <c>{|RIVET001:Counter|}</c> markup: the marked text is where a diagnostic with that ID is
/// expected. Markers may nest; everything else is passed through unchanged.
/// </summary>
internal sealed class DiagnosticMarkup
{
    private DiagnosticMarkup(string source, ImmutableArray<(string Id, TextSpan Span)> spans)
    {
        Source = source;
        Spans = spans;
    }

    /// <summary>The source with all markup removed.</summary>
    public string Source { get; }

    /// <summary>The marked spans, in the order their markers close.</summary>
    public ImmutableArray<(string Id, TextSpan Span)> Spans { get; }

    public static DiagnosticMarkup Parse(string markup)
    {
        var text = new StringBuilder(markup.Length);
        var open = new Stack<(string Id, int Start)>();
        var spans = ImmutableArray.CreateBuilder<(string, TextSpan)>();
        for (var i = 0; i < markup.Length;)
        {
            if (string.CompareOrdinal(markup, i, "{|", 0, 2) == 0)
            {
                var colon = markup.IndexOf(':', i + 2);
                if (colon < 0)
                {
                    throw new FormatException($"Markup '{{|' at offset {i} has no ':' after its diagnostic ID.");
                }
                open.Push((markup.Substring(i + 2, colon - i - 2), text.Length));
                i = colon + 1;
            }
            else if (open.Count > 0 && string.CompareOrdinal(markup, i, "|}", 0, 2) == 0)
            {
                var (id, start) = open.Pop();
                spans.Add((id, TextSpan.FromBounds(start, text.Length)));
                i += 2;
            }
            else
            {
                text.Append(markup[i]);
                i++;
            }
        }
        if (open.Count > 0)
        {
            throw new FormatException($"Markup for '{open.Peek().Id}' is not closed with '|}}'.");
        }
        return new DiagnosticMarkup(text.ToString(), spans.ToImmutable());
    }
}
