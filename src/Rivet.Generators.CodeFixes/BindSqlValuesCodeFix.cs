using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Rivet.Generators.CodeFixes;

/// <summary>
/// RIVET040: rewrites SQL built with <c>+</c> or <c>string.Format</c> as an interpolated statement, so each value
/// becomes a bound parameter. Quotes the old SQL put around a value (<c>'" + name + "'</c>) are dropped: a bound
/// text parameter needs none.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(BindSqlValuesCodeFix)), Shared]
public sealed class BindSqlValuesCodeFix : CodeFixProvider
{
    private const string Title = "Bind the values as parameters (interpolated statement)";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Diagnostics.SqlBuiltFromValues.Id);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }
        foreach (var diagnostic in context.Diagnostics)
        {
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax expression
                || Parts(expression, model, context.CancellationToken) is not { } parts)
            {
                continue; // not a shape this fix can rewrite faithfully (e.g. a format with alignment)
            }
            var document = context.Document;
            context.RegisterCodeFix(
                CodeAction.Create(Title, ct => ReplaceAsync(document, expression, parts, ct), equivalenceKey: nameof(BindSqlValuesCodeFix)),
                diagnostic);
        }
    }

    private static async Task<Document> ReplaceAsync(Document document, ExpressionSyntax expression, List<Part> parts, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var replacement = SyntaxFactory.ParseExpression(Render(parts)).WithTriviaFrom(expression);
        return document.WithSyntaxRoot(root!.ReplaceNode(expression, replacement));
    }

    /// <summary>Literal text and value holes, in order; null when the expression cannot be rewritten.</summary>
    private static List<Part>? Parts(ExpressionSyntax expression, SemanticModel model, CancellationToken cancellationToken)
    {
        var parts = new List<Part>();
        switch (expression)
        {
            case BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.AddExpression):
                Flatten(binary, model, parts, cancellationToken);
                break;
            case InvocationExpressionSyntax { ArgumentList.Arguments: { Count: >= 1 } arguments }
                when model.GetConstantValue(arguments[0].Expression, cancellationToken) is { HasValue: true, Value: string format }:
                if (!ParseFormat(format, arguments.Skip(1).Select(a => a.Expression).ToList(), parts))
                {
                    return null;
                }
                break;
            default:
                return null;
        }
        return DropQuotesAroundHoles(parts);
    }

    private static void Flatten(ExpressionSyntax expression, SemanticModel model, List<Part> parts, CancellationToken cancellationToken)
    {
        if (expression is BinaryExpressionSyntax binary && binary.IsKind(SyntaxKind.AddExpression)
            && model.GetTypeInfo(binary, cancellationToken).Type?.SpecialType == SpecialType.System_String)
        {
            Flatten(binary.Left, model, parts, cancellationToken);
            Flatten(binary.Right, model, parts, cancellationToken);
        }
        else if (model.GetConstantValue(expression, cancellationToken) is { HasValue: true } constant)
        {
            parts.Add(new Part(System.Convert.ToString(constant.Value, CultureInfo.InvariantCulture) ?? "", null));
        }
        else
        {
            parts.Add(new Part(null, expression));
        }
    }

    private static bool ParseFormat(string format, List<ExpressionSyntax> arguments, List<Part> parts)
    {
        var literal = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if ((c == '{' || c == '}') && i + 1 < format.Length && format[i + 1] == c)
            {
                literal.Append(c);
                i++;
                continue;
            }
            if (c == '}')
            {
                return false;
            }
            if (c != '{')
            {
                literal.Append(c);
                continue;
            }
            var end = format.IndexOf('}', i);
            if (end < 0 || !int.TryParse(format.Substring(i + 1, end - i - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index >= arguments.Count)
            {
                return false; // alignment, format strings or a bad index: leave it to the developer
            }
            parts.Add(new Part(literal.ToString(), null));
            literal.Clear();
            parts.Add(new Part(null, arguments[index]));
            i = end;
        }
        parts.Add(new Part(literal.ToString(), null));
        return true;
    }

    private static List<Part> DropQuotesAroundHoles(List<Part> parts)
    {
        for (var i = 1; i + 1 < parts.Count; i++)
        {
            if (parts[i].Hole is not null && parts[i - 1].Text is { } before && parts[i + 1].Text is { } after
                && before.EndsWith("'", System.StringComparison.Ordinal) && after.StartsWith("'", System.StringComparison.Ordinal))
            {
                parts[i - 1] = new Part(before.Substring(0, before.Length - 1), null);
                parts[i + 1] = new Part(after.Substring(1), null);
            }
        }
        return parts;
    }

    private static string Render(List<Part> parts)
    {
        var text = new StringBuilder("$\"");
        foreach (var part in parts)
        {
            if (part.Hole is { } hole)
            {
                var simple = hole is IdentifierNameSyntax or MemberAccessExpressionSyntax or InvocationExpressionSyntax or ElementAccessExpressionSyntax or LiteralExpressionSyntax;
                text.Append('{').Append(simple ? hole.WithoutTrivia().ToString() : "(" + hole.WithoutTrivia() + ")").Append('}');
                continue;
            }
            foreach (var c in part.Text!)
            {
                text.Append(c switch
                {
                    '{' => "{{",
                    '}' => "}}",
                    '"' => "\\\"",
                    '\\' => "\\\\",
                    '\n' => "\\n",
                    '\r' => "\\r",
                    '\t' => "\\t",
                    _ => c.ToString(),
                });
            }
        }
        return text.Append('"').ToString();
    }

    private sealed class Part(string? text, ExpressionSyntax? hole)
    {
        public string? Text { get; } = text;

        public ExpressionSyntax? Hole { get; } = hole;
    }
}
