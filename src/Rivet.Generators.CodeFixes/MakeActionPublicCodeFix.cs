using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace Rivet.Generators.CodeFixes;

/// <summary>RIVET005: makes a non-public action <c>public</c>, replacing its accessibility modifiers.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakeActionPublicCodeFix)), Shared]
public sealed class MakeActionPublicCodeFix : CodeFixProvider
{
    private const string Title = "Make the action public";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Diagnostics.ActionNotPublic.Id);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in context.Diagnostics)
        {
            if (ActionSyntax.FindMethod(root, diagnostic) is { } method)
            {
                var document = context.Document;
                context.RegisterCodeFix(
                    CodeAction.Create(Title, ct => MakePublicAsync(document, method, ct), equivalenceKey: nameof(MakeActionPublicCodeFix)),
                    diagnostic);
            }
        }
    }

    private static async Task<Document> MakePublicAsync(Document document, MethodDeclarationSyntax method, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        editor.SetAccessibility(method, Accessibility.Public);
        return editor.GetChangedDocument();
    }
}
