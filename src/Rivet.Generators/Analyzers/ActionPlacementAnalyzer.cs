using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Rivet.Generators.Analyzers;

/// <summary>
/// Warns about <c>[Action]</c> methods whose class is not an <c>[Actor]</c> (RIVET013): the generator only looks at
/// actor classes, so such a method would silently never be callable. Methods of <c>[ActorClient]</c> interfaces are
/// fine: there <c>[Action("name")]</c> sets the wire name the client calls.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ActionPlacementAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Diagnostics.ActionOutsideActor);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterSymbolAction(AnalyzeMethod, SymbolKind.Method);
    }

    private static void AnalyzeMethod(SymbolAnalysisContext context)
    {
        var method = (IMethodSymbol)context.Symbol;
        if (!RivetSymbols.HasAttribute(method, RivetSymbols.ActionAttributeName)
            || method.ContainingType is not { } containing
            || RivetSymbols.HasAttribute(containing, RivetSymbols.ActorAttributeName)
            || (containing.TypeKind == TypeKind.Interface && RivetSymbols.HasAttribute(containing, RivetSymbols.ActorClientAttributeName)))
        {
            return;
        }

        var location = method.Locations.IsEmpty ? Location.None : method.Locations[0];
        context.ReportDiagnostic(Diagnostic.Create(Diagnostics.ActionOutsideActor, location, method.Name,
            containing.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)));
    }
}
