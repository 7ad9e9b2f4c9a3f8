using System;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Rivet.Generators.Parsing;

/// <summary>
/// Finds the type an <c>[Actor]</c> class or <c>[ActorClient]</c> interface declaration declares, the same way for
/// the generator (which is handed declarations) and the analyzer (which visits them), so both parse the same input.
/// </summary>
internal static class AttributedDeclaration
{
    /// <summary>
    /// Whether <paramref name="declaration"/> carries an attribute spelled <c>{name}</c> or <c>{name}Attribute</c>
    /// (qualified or not): a syntax-only filter, so that neither the generator nor the analyzer binds any other
    /// declaration. An alias with another name (<c>using A = Rivet.ActorAttribute;</c>) is not recognised.
    /// </summary>
    public static bool HasAttributeNamed(TypeDeclarationSyntax declaration, string name)
    {
        foreach (var list in declaration.AttributeLists)
        {
            foreach (var attribute in list.Attributes)
            {
                var simple = attribute.Name switch
                {
                    QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
                    AliasQualifiedNameSyntax aliased => aliased.Name.Identifier.ValueText,
                    SimpleNameSyntax plain => plain.Identifier.ValueText,
                    _ => "",
                };
                if (simple == name || (simple.Length == name.Length + "Attribute".Length
                        && simple.StartsWith(name, StringComparison.Ordinal) && simple.EndsWith("Attribute", StringComparison.Ordinal)))
                {
                    return true;
                }
            }
        }
        return false;
    }

    /// <summary>
    /// The declared type and its first <paramref name="attributeType"/> attribute, when that attribute is applied on
    /// this declaration (with several, an error the compiler reports, only the declaration of the first counts);
    /// otherwise null.
    /// </summary>
    public static (INamedTypeSymbol Type, AttributeData Attribute)? Resolve(TypeDeclarationSyntax declaration, SemanticModel model,
        INamedTypeSymbol attributeType, CancellationToken cancellationToken)
    {
        if (model.GetDeclaredSymbol(declaration, cancellationToken) is not INamedTypeSymbol type)
        {
            return null;
        }
        var first = type.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attributeType));
        if (first is null)
        {
            return null;
        }
        var reference = first.ApplicationSyntaxReference;
        if (reference is not null && (reference.SyntaxTree != declaration.SyntaxTree || !declaration.Span.Contains(reference.Span)))
        {
            return null;
        }
        return (type, first);
    }

    /// <summary>
    /// The declaration of <paramref name="type"/> that carries its first <paramref name="attributeType"/> attribute,
    /// when it passes <paramref name="isCandidate"/> (the generator's syntax filter), and that attribute; otherwise null.
    /// </summary>
    public static (TSyntax Declaration, AttributeData Attribute)? Find<TSyntax>(INamedTypeSymbol type, INamedTypeSymbol attributeType,
        Func<SyntaxNode, bool> isCandidate, CancellationToken cancellationToken)
        where TSyntax : TypeDeclarationSyntax
    {
        var first = type.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attributeType));
        if (first?.ApplicationSyntaxReference?.GetSyntax(cancellationToken).FirstAncestorOrSelf<TSyntax>() is not { } declaration
            || !isCandidate(declaration))
        {
            return null;
        }
        return (declaration, first);
    }
}
