using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Rivet.Generators.CodeFixes;

internal static class ActionSyntax
{
    /// <summary>
    /// The method declaration a diagnostic is reported on (its name, signature or any part of it). The generator reports
    /// with file locations (path + span) rather than tree locations, so only the span is used.
    /// </summary>
    public static MethodDeclarationSyntax? FindMethod(SyntaxNode? root, Diagnostic diagnostic) =>
        root is null || diagnostic.Location.Kind == LocationKind.None || !root.FullSpan.Contains(diagnostic.Location.SourceSpan)
            ? null
            : root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<MethodDeclarationSyntax>();
}
