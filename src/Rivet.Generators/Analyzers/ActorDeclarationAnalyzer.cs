using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Rivet.Generators.Analyzers;

/// <summary>
/// Checks the shape of every <c>[Actor]</c> class: partial (RIVET001), derived from <c>Rivet.Actor</c> (RIVET002),
/// top-level (RIVET003) and non-generic (RIVET004). The generator skips classes that break these rules without a
/// word, so this analyzer is the user's only signal.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ActorDeclarationAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Diagnostics.ActorNotPartial,
        Diagnostics.ActorNotDerivedFromActor,
        Diagnostics.ActorNested,
        Diagnostics.ActorGeneric);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterSymbolAction(AnalyzeType, SymbolKind.NamedType);
    }

    private static void AnalyzeType(SymbolAnalysisContext context)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (type.TypeKind != TypeKind.Class || RivetSymbols.FindAttribute(type, RivetSymbols.ActorAttributeName) is not { } actorAttribute)
        {
            return;
        }

        var location = PrimaryLocation(type, actorAttribute, context.CancellationToken);

        ReportMissingPartial(context, type);

        if (!RivetSymbols.DerivesFromActor(type))
        {
            context.ReportDiagnostic(Diagnostic.Create(Diagnostics.ActorNotDerivedFromActor, location, type.Name));
        }

        if (type.ContainingType is { } containing)
        {
            context.ReportDiagnostic(Diagnostic.Create(Diagnostics.ActorNested, location, type.Name,
                containing.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)));
        }

        if (type.IsGenericType)
        {
            context.ReportDiagnostic(Diagnostic.Create(Diagnostics.ActorGeneric, location, type.Name));
        }
    }

    /// <summary>
    /// One RIVET001 per class, on the identifier of its first declaration that lacks <c>partial</c>; any further such
    /// declarations are additional locations, so that one code fix makes every declaration partial.
    /// </summary>
    private static void ReportMissingPartial(SymbolAnalysisContext context, INamedTypeSymbol type)
    {
        var missing = new List<Location>();
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(context.CancellationToken) is TypeDeclarationSyntax declaration
                && !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                missing.Add(declaration.Identifier.GetLocation());
            }
        }
        if (missing.Count > 0)
        {
            context.ReportDiagnostic(Diagnostic.Create(Diagnostics.ActorNotPartial, missing[0], missing.Skip(1), type.Name));
        }
    }

    /// <summary>The identifier of the declaration that carries [Actor], or the type's first location.</summary>
    private static Location PrimaryLocation(INamedTypeSymbol type, AttributeData actorAttribute, System.Threading.CancellationToken cancellationToken)
    {
        if (actorAttribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).FirstAncestorOrSelf<TypeDeclarationSyntax>() is { } declaration)
        {
            return declaration.Identifier.GetLocation();
        }
        return type.Locations.FirstOrDefault() ?? Location.None;
    }
}
