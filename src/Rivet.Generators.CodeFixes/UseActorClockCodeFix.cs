using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Rivet.Generators.Analyzers;

namespace Rivet.Generators.CodeFixes;

/// <summary>
/// RIVET055: reads the time through <c>Context.TimeProvider</c> (<c>DateTime.UtcNow</c> →
/// <c>Context.TimeProvider.GetUtcNow().UtcDateTime</c>, …) and passes it to <c>Task.Delay</c>. <c>Thread.Sleep</c> has no
/// automatic fix (the method must become async).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UseActorClockCodeFix)), Shared]
public sealed class UseActorClockCodeFix : CodeFixProvider
{
    private const string Title = "Use the actor's clock (Context.TimeProvider)";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Diagnostics.WallClockInActor.Id);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in context.Diagnostics)
        {
            if (root is null
                || !diagnostic.Properties.TryGetValue(WallClockAnalyzer.Fix, out var fix) || fix is null
                || !root.FullSpan.Contains(diagnostic.Location.SourceSpan)
                || root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax node
                || Replacement(node, fix) is not { } replacement)
            {
                continue;
            }
            var document = context.Document;
            context.RegisterCodeFix(
                CodeAction.Create(Title, ct => ReplaceAsync(document, node, replacement, ct), equivalenceKey: nameof(UseActorClockCodeFix)),
                diagnostic);
        }
    }

    private static ExpressionSyntax? Replacement(ExpressionSyntax node, string fix)
    {
        switch (fix)
        {
            case WallClockAnalyzer.FixUtcNowOffset:
                return SyntaxFactory.ParseExpression("Context.TimeProvider.GetUtcNow()");
            case WallClockAnalyzer.FixNowOffset:
                return SyntaxFactory.ParseExpression("Context.TimeProvider.GetLocalNow()");
            case WallClockAnalyzer.FixUtcNow:
                return SyntaxFactory.ParseExpression("Context.TimeProvider.GetUtcNow().UtcDateTime");
            case WallClockAnalyzer.FixNow:
                return SyntaxFactory.ParseExpression("Context.TimeProvider.GetLocalNow().DateTime");
            case WallClockAnalyzer.FixDelay or WallClockAnalyzer.FixDelayMilliseconds
                when node is InvocationExpressionSyntax { ArgumentList.Arguments: { Count: 1 or 2 } arguments } invocation
                    && arguments[0].NameColon is null && (arguments.Count == 1 || arguments[1].NameColon is null):
                // Delay(x[, ct]) → Delay(x, Context.TimeProvider[, ct]); an int x is milliseconds.
                var delay = arguments[0];
                var delayArgument = fix == WallClockAnalyzer.FixDelayMilliseconds
                    ? delay.WithExpression(SyntaxFactory.ParseExpression($"System.TimeSpan.FromMilliseconds({delay.Expression.WithoutTrivia()})"))
                    : delay;
                var list = SyntaxFactory.SeparatedList(arguments.Count == 1
                    ? new[] { delayArgument, SyntaxFactory.Argument(SyntaxFactory.ParseExpression("Context.TimeProvider")) }
                    : new[] { delayArgument, SyntaxFactory.Argument(SyntaxFactory.ParseExpression("Context.TimeProvider")), arguments[1] });
                return invocation.WithArgumentList(invocation.ArgumentList.WithArguments(list));
            default:
                return null;
        }
    }

    private static async Task<Document> ReplaceAsync(Document document, ExpressionSyntax node, ExpressionSyntax replacement, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var updated = replacement.WithTriviaFrom(node).WithAdditionalAnnotations(Formatter.Annotation);
        return document.WithSyntaxRoot(root!.ReplaceNode(node, updated));
    }
}
