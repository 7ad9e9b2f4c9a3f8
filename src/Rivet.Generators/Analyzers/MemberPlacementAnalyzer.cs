using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Rivet.Generators.Analyzers;

/// <summary>
/// Warns about <c>[Action]</c> and <c>[Event]</c> methods the generator never sees, because their type is neither an
/// <c>[Actor]</c> class nor an <c>[ActorClient]</c> interface: RIVET013 (such an action is never callable) and
/// RIVET026 (such an event is never implemented, so the compiler drops the partial method and every call). On an
/// <c>[ActorClient]</c> interface both are fine: <c>[Action("name")]</c> sets the wire name the client calls and
/// <c>[Event]</c> declares an event the remote actor sends.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class MemberPlacementAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Diagnostics.ActionOutsideActor, Diagnostics.EventOutsideActor);

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
        if (method.ContainingType is not { } containing
            || (containing.TypeKind == TypeKind.Interface && RivetSymbols.HasAttribute(containing, RivetSymbols.ActorClientAttributeName)))
        {
            return;
        }
        var inActor = RivetSymbols.HasAttribute(containing, RivetSymbols.ActorAttributeName);
        if (!inActor && RivetSymbols.HasAttribute(method, RivetSymbols.ActionAttributeName))
        {
            Report(context, Diagnostics.ActionOutsideActor, method, containing);
        }
        // A partial method's implementation part carries the same attributes: report the definition only.
        if (!(inActor && containing.TypeKind == TypeKind.Class)
            && method.PartialDefinitionPart is null
            && RivetSymbols.HasAttribute(method, RivetSymbols.EventAttributeName))
        {
            Report(context, Diagnostics.EventOutsideActor, method, containing);
        }
    }

    private static void Report(SymbolAnalysisContext context, DiagnosticDescriptor descriptor, IMethodSymbol method, INamedTypeSymbol containing)
    {
        var location = method.Locations.IsEmpty ? Location.None : method.Locations[0];
        context.ReportDiagnostic(Diagnostic.Create(descriptor, location, method.Name,
            containing.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)));
    }
}
