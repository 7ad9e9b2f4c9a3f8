using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Rivet.Generators.Analyzers;

/// <summary>
/// Warns about <c>[Event]</c> methods whose type is neither an <c>[Actor]</c> class nor an <c>[ActorClient]</c>
/// interface (RIVET026): the generator never implements them, so the compiler drops the partial method and every call.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class EventPlacementAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Diagnostics.EventOutsideActor);

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
        // A partial method's implementation part carries the same attributes: report the definition only.
        if (method.PartialDefinitionPart is not null
            || !RivetSymbols.HasAttribute(method, RivetSymbols.EventAttributeName)
            || method.ContainingType is not { } containing
            || (containing.TypeKind == TypeKind.Class && RivetSymbols.HasAttribute(containing, RivetSymbols.ActorAttributeName))
            || (containing.TypeKind == TypeKind.Interface && RivetSymbols.HasAttribute(containing, RivetSymbols.ActorClientAttributeName)))
        {
            return;
        }

        var location = method.Locations.IsEmpty ? Location.None : method.Locations[0];
        context.ReportDiagnostic(Diagnostic.Create(Diagnostics.EventOutsideActor, location, method.Name,
            containing.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)));
    }
}
