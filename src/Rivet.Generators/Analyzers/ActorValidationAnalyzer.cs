using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Rivet.Generators.Helpers;
using Rivet.Generators.Model;
using Rivet.Generators.Parsing;

namespace Rivet.Generators.Analyzers;

/// <summary>
/// Reports every mistake in one <c>[Actor]</c> class or <c>[ActorClient]</c> interface: its actions, events, state,
/// input, connection and queue types, names and the generated names it takes. It runs the generator's own parsers
/// (<see cref="ActorParser"/>, <see cref="ActorClientParser"/>), so the analyzer reports exactly what the generator
/// leaves out, live in the editor; the generator itself stays silent on such input and emits nothing for it.
/// </summary>
/// <remarks>
/// The analyzer sees the generator's output (the generator does not), so the parsers leave generated members and
/// types out when they look for names a user took (<see cref="GeneratedNames.IsGenerated"/>).
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ActorValidationAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Diagnostics.ActionNotPublic,
        Diagnostics.ActionStatic,
        Diagnostics.ActionGeneric,
        Diagnostics.ActionByRefParameter,
        Diagnostics.ActionAsyncVoid,
        Diagnostics.ActionTypeNotSerializable,
        Diagnostics.StateTypeNotSerializable,
        Diagnostics.DuplicateActionName,
        Diagnostics.InvalidName,
        Diagnostics.StateWithoutDefaultConstructor,
        Diagnostics.ActorWithoutParameterlessConstructor,
        Diagnostics.ActorClientNotTopLevel,
        Diagnostics.ActorClientMemberNotMethod,
        Diagnostics.ActorClientMethodUnsupported,
        Diagnostics.EventSignatureInvalid,
        Diagnostics.EventTypeNotSerializable,
        Diagnostics.DuplicateEventName,
        Diagnostics.GeneratedMemberNameTaken,
        Diagnostics.ActionNameTakenOnHandle,
        Diagnostics.TypeLessAccessibleThanActor,
        Diagnostics.DuplicateEventMethodName,
        Diagnostics.GeneratedTypeNameTaken,
        Diagnostics.ConnectionParamsMismatch,
        Diagnostics.DuplicateQueueName,
        Diagnostics.AttributeThroughRenamedAlias);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        // A symbol action, not a syntax node action: an actor's actions may sit in any of its partial files, and the
        // editor keeps a symbol's diagnostics in each file that declares it.
        context.RegisterSymbolAction(Analyze, SymbolKind.NamedType);
    }

    private static void Analyze(SymbolAnalysisContext context)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        ReportRenamedAlias(context, type);
        // RIVET031 belongs to the type that takes the generated name (the editor shows a symbol's diagnostics only
        // inside its own declarations); every other diagnostic to the actor or actor client itself.
        foreach (var diagnostic in Parse(type, context.Compilation, context.CancellationToken))
        {
            if (diagnostic.Descriptor != Diagnostics.GeneratedTypeNameTaken)
            {
                Report(context, diagnostic);
            }
        }
        foreach (var owner in GeneratedNames.PossibleOwners(type))
        {
            foreach (var diagnostic in Parse(owner, context.Compilation, context.CancellationToken))
            {
                if (diagnostic.Descriptor == Diagnostics.GeneratedTypeNameTaken && diagnostic.Location is { } location && Declares(type, location))
                {
                    Report(context, diagnostic);
                }
            }
        }
    }

    private static EquatableArray<DiagnosticInfo> Parse(INamedTypeSymbol type, Compilation compilation, CancellationToken cancellationToken) =>
        type.TypeKind switch
        {
            TypeKind.Class => ActorParser.Parse(type, compilation, cancellationToken).Diagnostics,
            TypeKind.Interface => ActorClientParser.Parse(type, compilation, cancellationToken).Diagnostics,
            _ => EquatableArray<DiagnosticInfo>.Empty,
        };

    /// <summary>
    /// RIVET033: the generator finds actors by the attribute's spelling (syntax only, so that an edit binds nothing
    /// else), so an <c>[Actor]</c> applied through an alias of another name would silently generate nothing.
    /// </summary>
    private static void ReportRenamedAlias(SymbolAnalysisContext context, INamedTypeSymbol type)
    {
        if (type.TypeKind is not (TypeKind.Class or TypeKind.Interface) || KnownTypes.Create(context.Compilation) is not { } known)
        {
            return;
        }
        var (attributeType, name) = type.TypeKind == TypeKind.Class ? (known.ActorAttribute, "Actor") : (known.ActorClientAttribute, "ActorClient");
        var applied = type.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attributeType));
        if (applied?.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken) is not AttributeSyntax syntax
            || syntax.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } declaration
            || AttributedDeclaration.HasAttributeNamed(declaration, name))
        {
            return;
        }
        context.ReportDiagnostic(Diagnostic.Create(Diagnostics.AttributeThroughRenamedAlias, syntax.GetLocation(),
            type.Name, name, syntax.Name.ToString()));
    }

    /// <summary>Whether <paramref name="location"/> lies in one of <paramref name="type"/>'s declarations.</summary>
    private static bool Declares(INamedTypeSymbol type, LocationInfo location) =>
        type.DeclaringSyntaxReferences.Any(r => r.SyntaxTree.FilePath == location.FilePath && r.Span.Contains(location.Span));

    private static void Report(SymbolAnalysisContext context, DiagnosticInfo diagnostic) =>
        context.ReportDiagnostic(diagnostic.ToDiagnostic(diagnostic.Location is { } location ? SourceLocation(context.Compilation, location) : Location.None));

    /// <summary>The location in the compilation's own tree (so suppressions and the editor apply), or the plain file position.</summary>
    private static Location SourceLocation(Compilation compilation, LocationInfo location)
    {
        foreach (var tree in compilation.SyntaxTrees)
        {
            if (tree.FilePath == location.FilePath)
            {
                return Location.Create(tree, location.Span);
            }
        }
        return location.ToLocation();
    }
}
