using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Rivet.Generators.Helpers;
using Rivet.Generators.Model;
using Rivet.Generators.Serialization;

namespace Rivet.Generators.Parsing;

/// <summary>
/// Turns one [ActorClient] interface into an <see cref="ActorClientModel"/> plus diagnostics. Every abstract instance
/// method (declared or inherited from a base interface) is an action; members with a default implementation and static
/// members are left alone. Invalid methods are reported; the client is then skipped, since its handle could not
/// implement the interface. Never throws on broken code: error types are skipped (the compiler reports them).
/// </summary>
internal static class ActorClientParser
{
    public const string ActorClientAttributeName = "Rivet.ActorClientAttribute";

    /// <summary>Members of the generated handle (and of object): interface methods with these names are implemented explicitly.</summary>
    private static readonly HashSet<string> s_handleMembers = new(StringComparer.Ordinal)
    {
        "Handle", "ResolveAsync", "WithIdempotencyKey", "Connect", "ToString", "Equals", "GetHashCode", "GetType", "MemberwiseClone", "Finalize",
    };

    /// <summary>Whether <paramref name="node"/> may be an actor client interface (syntax only).</summary>
    public static bool IsCandidate(SyntaxNode node) =>
        node is InterfaceDeclarationSyntax declaration && AttributedDeclaration.HasAttributeNamed(declaration, "ActorClient");

    /// <summary>The generator's parse, reused from <see cref="ParseCache"/> when the edit cannot have changed it; without diagnostics (the analyzer's).</summary>
    public static ActorClientParseResult Parse(GeneratorSyntaxContext context, CancellationToken cancellationToken) =>
        ParseCache.GetOrParse(context.Node, context.SemanticModel.Compilation,
            () => ParseDeclaration((InterfaceDeclarationSyntax)context.Node, context.SemanticModel, cancellationToken) with { Diagnostics = EquatableArray<DiagnosticInfo>.Empty },
            cancellationToken);

    private static ActorClientParseResult ParseDeclaration(InterfaceDeclarationSyntax declaration, SemanticModel semanticModel, CancellationToken cancellationToken)
    {
        var known = KnownTypes.Create(semanticModel.Compilation);
        return known?.ActorClientAttribute is not null
            && AttributedDeclaration.Resolve(declaration, semanticModel, known.ActorClientAttribute, cancellationToken) is var (type, attribute)
            ? Parse(declaration, type, attribute, known, semanticModel.Compilation, cancellationToken)
            : ActorClientParseResult.Empty;
    }

    /// <summary>The analyzer's parse of a type: the model (null when the client is skipped) and every diagnostic; empty when it is no actor client.</summary>
    public static ActorClientParseResult Parse(INamedTypeSymbol type, Compilation compilation, CancellationToken cancellationToken)
    {
        var known = KnownTypes.Create(compilation);
        return known?.ActorClientAttribute is not null
            && AttributedDeclaration.Find<InterfaceDeclarationSyntax>(type, known.ActorClientAttribute, IsCandidate, cancellationToken) is var (declaration, attribute)
            ? Parse(declaration, type, attribute, known, compilation, cancellationToken)
            : ActorClientParseResult.Empty;
    }

    private static ActorClientParseResult Parse(InterfaceDeclarationSyntax declaration, INamedTypeSymbol type, AttributeData attribute, KnownTypes known,
        Compilation compilation, CancellationToken cancellationToken)
    {
        if (type.TypeKind != TypeKind.Interface)
        {
            return ActorClientParseResult.Empty;
        }

        var diagnostics = new List<DiagnosticInfo>();
        var location = LocationInfo.From(declaration.Identifier);

        if (type.ContainingType is { } containing)
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.ActorClientNotTopLevel, location, type.Name,
                $"nested inside '{containing.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)}'"));
            return Result(null, diagnostics);
        }
        if (type.IsGenericType)
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.ActorClientNotTopLevel, location, type.Name, "generic"));
            return Result(null, diagnostics);
        }

        // Name: required by the attribute's constructor, so only an empty one needs a word.
        ActionSignatures.TryGetExplicitName(attribute, out var actorName);
        if (string.IsNullOrWhiteSpace(actorName))
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.InvalidName,
                LocationInfo.From(attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken)) ?? location,
                actorName ?? "", "actor", "it is empty or whitespace"));
            return Result(null, diagnostics);
        }

        // Input.
        var valid = true;
        SerializableType? input = null;
        string? inputTypeName = null;
        SerializableType? connectionParams = null;
        string? connectionParamsTypeName = null;
        foreach (var argument in attribute.NamedArguments)
        {
            if (argument.Key == "ConnectionParamsType" && argument.Value.Kind == TypedConstantKind.Type)
            {
                if (argument.Value.Value is not ITypeSymbol paramsSymbol || paramsSymbol.TypeKind == TypeKind.Error)
                {
                    return Result(null, diagnostics);
                }
                connectionParams = EventParser.Serializable(paramsSymbol, "connection parameters", type, compilation,
                    LocationInfo.From(attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken)) ?? location, diagnostics, cancellationToken);
                valid &= connectionParams is not null && Visible(paramsSymbol, "connection parameter type", type, attribute, location, diagnostics, cancellationToken);
                connectionParamsTypeName = paramsSymbol.ToDisplayString(ActionSignatures.TypeFormat);
                continue;
            }
            if (argument.Key != "InputType" || argument.Value.Kind != TypedConstantKind.Type)
            {
                continue;
            }
            if (argument.Value.Value is not ITypeSymbol inputSymbol || inputSymbol.TypeKind == TypeKind.Error)
            {
                return Result(null, diagnostics);
            }
            input = TypeShapeParser.TryParse(ActionSignatures.WithoutReferenceAnnotation(inputSymbol), compilation, out var reason, cancellationToken);
            if (input is null)
            {
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.StateTypeNotSerializable,
                    LocationInfo.From(attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken)) ?? location,
                    "input", inputSymbol.ToDisplayString(), type.Name, reason ?? "it is not supported"));
                valid = false;
            }
            valid &= input is null || Visible(inputSymbol, "input type", type, attribute, location, diagnostics, cancellationToken);
            inputTypeName = inputSymbol.ToDisplayString(ActionSignatures.TypeFormat);
        }

        var clientName = ClientName(type.Name);
        if (GeneratedNames.FindSourceType(type.ContainingNamespace, GeneratedNames.ClientTypes(clientName)) is { } taken)
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.GeneratedTypeNameTaken, LocationInfo.From(taken.Locations.FirstOrDefault()) ?? location,
                taken.Name, type.Name, $"typed client ({clientName}Handle, {clientName}Connection, {clientName}Accessor)"));
            valid = false;
        }
        var methods = new List<ClientMethodModel>();
        var byWireName = new Dictionary<string, IMethodSymbol>(StringComparer.Ordinal);
        var signatures = new HashSet<string>(StringComparer.Ordinal);
        var events = new List<EventModel>();
        var eventsByWireName = new Dictionary<string, IMethodSymbol>(StringComparer.Ordinal);
        var eventMethodNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in Members(type))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (member is IMethodSymbol { MethodKind: not MethodKind.Ordinary } || member is INamedTypeSymbol)
            {
                continue;
            }
            if (member is IMethodSymbol eventMethod && EventParser.EventAttribute(eventMethod, known) is not null)
            {
                // Events the remote actor sends: the generated connection subscribes to them.
                var parsedEvent = EventParser.ClientEvent(eventMethod, known, compilation, diagnostics, cancellationToken);
                if (parsedEvent is null || !EventParser.Unique(parsedEvent, eventMethod, type, eventsByWireName, diagnostics, cancellationToken))
                {
                    valid = false;
                    continue;
                }
                events.Add(EventParser.OnConnection(parsedEvent, eventMethod, type, eventMethodNames, diagnostics, cancellationToken));
                continue;
            }
            if (!member.IsAbstract)
            {
                // Static helpers and default implementations: the handle inherits them.
                continue;
            }
            if (member.IsStatic || member is not IMethodSymbol method)
            {
                var kind = member switch
                {
                    _ when member.IsStatic => "a static abstract member",
                    IPropertySymbol { IsIndexer: true } => "an indexer",
                    IPropertySymbol => "a property",
                    IEventSymbol => "an event",
                    _ => "not a method",
                };
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.ActorClientMemberNotMethod,
                    LocationInfo.From(member.Locations.FirstOrDefault()) ?? location, member.Name, type.Name, kind));
                valid = false;
                continue;
            }
            var parsed = ParseMethod(method, type, clientName, known, compilation, signatures, diagnostics, cancellationToken);
            if (parsed is null)
            {
                valid = false;
                continue;
            }
            if (byWireName.TryGetValue(parsed.WireName, out var first))
            {
                var (firstName, secondName) = ActionSignatures.NamesForDuplicate(first, method);
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.DuplicateActionName, ActionSignatures.MethodLocation(method, cancellationToken),
                    firstName, secondName, type.Name, parsed.WireName));
                valid = false;
                continue;
            }
            byWireName.Add(parsed.WireName, method);
            methods.Add(parsed);
        }

        if (!valid)
        {
            return Result(null, diagnostics);
        }
        var model = new ActorClientModel(
            type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : "",
            type.Name,
            type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            clientName,
            type.DeclaredAccessibility == Accessibility.Public,
            actorName!,
            input,
            inputTypeName,
            methods.ToEquatableArray(),
            events.ToEquatableArray(),
            connectionParams is null ? null : new ConnectionTypes(connectionParams, connectionParamsTypeName, null));
        return new ActorClientParseResult(model, diagnostics.ToEquatableArray(), location);
    }

    /// <summary>RIVET029 unless <paramref name="symbol"/> is as visible as the generated client of a public interface.</summary>
    private static bool Visible(ITypeSymbol symbol, string kind, INamedTypeSymbol type, AttributeData attribute, LocationInfo? location,
        List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        if (type.DeclaredAccessibility != Accessibility.Public || GeneratedNames.IsEffectivelyPublic(symbol))
        {
            return true;
        }
        diagnostics.Add(DiagnosticInfo.Create(Diagnostics.TypeLessAccessibleThanActor,
            LocationInfo.From(attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken)) ?? location,
            symbol.ToDisplayString(), kind, type.Name));
        return false;
    }

    /// <summary>The interface name without its leading <c>I</c>: <c>ICounter</c> → <c>Counter</c>, <c>Inventory</c> → <c>Inventory</c>.</summary>
    public static string ClientName(string interfaceName) =>
        interfaceName.Length > 1 && interfaceName[0] == 'I' && char.IsUpper(interfaceName[1]) ? interfaceName.Substring(1) : interfaceName;

    private static ClientMethodModel? ParseMethod(IMethodSymbol method, INamedTypeSymbol client, string clientName, KnownTypes known,
        Compilation compilation, HashSet<string> signatures, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        var location = ActionSignatures.MethodLocation(method, cancellationToken);
        var attribute = method.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, known.ActionAttribute));
        var wireName = ActionSignatures.WireName(method, attribute, location, diagnostics, cancellationToken);
        var valid = wireName is not null;
        if (method.IsGenericMethod)
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.ActionGeneric, location, method.Name));
            valid = false;
        }
        if (method.IsGenericMethod)
        {
            // Its parameters and result use type parameters: one error for the one mistake.
            return null;
        }
        var parameters = ActionSignatures.Parameters(method, known, compilation, location, diagnostics, out var parametersValid, cancellationToken);
        valid &= parametersValid;
        if (parameters.Count(p => p.IsCancellationToken) > 1)
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.ActorClientMethodUnsupported, location, method.Name, client.Name,
                "it has more than one CancellationToken parameter"));
            valid = false;
        }

        if (ActionSignatures.Return(method, known) is not var (returnKind, resultSymbol))
        {
            return null;
        }
        SerializableType? result = null;
        if (returnKind is ReturnKind.Void or ReturnKind.Value || method.ReturnsByRef || method.ReturnsByRefReadonly)
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.ActorClientMethodUnsupported,
                ActionSignatures.ReturnLocation(method, cancellationToken) ?? location, method.Name, client.Name,
                $"it returns '{method.ReturnType.ToDisplayString()}'; actor calls are asynchronous, so return Task, Task<T>, ValueTask or ValueTask<T>"));
            return null;
        }
        if (resultSymbol is not null)
        {
            result = ActionSignatures.Result(method, resultSymbol, compilation, location, diagnostics, out var resultValid, cancellationToken);
            valid &= resultValid;
        }
        if (!valid)
        {
            return null;
        }

        // Implemented explicitly when the name belongs to the handle, or an identical signature came first
        // (the same method inherited from two interfaces).
        var signature = method.Name + "(" + string.Join(",", method.Parameters.Select(p => p.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat))) + ")";
        var isExplicit = s_handleMembers.Contains(method.Name) || method.Name == clientName + "Handle" || !signatures.Add(signature);
        return new ClientMethodModel(
            Names.Escape(method.Name),
            method.ContainingType.ToDisplayString(ActionSignatures.TypeFormat),
            wireName!,
            returnKind,
            result,
            resultSymbol is null ? null : ActionSignatures.TypeName(resultSymbol),
            parameters.ToEquatableArray(),
            isExplicit);
    }

    /// <summary>The interface's own members in source order, then those of its base interfaces (in Roslyn's order).</summary>
    private static IEnumerable<ISymbol> Members(INamedTypeSymbol type)
    {
        foreach (var member in InSourceOrder(type))
        {
            yield return member;
        }
        foreach (var baseInterface in type.AllInterfaces)
        {
            foreach (var member in InSourceOrder(baseInterface))
            {
                yield return member;
            }
        }
    }

    private static IEnumerable<ISymbol> InSourceOrder(INamedTypeSymbol type) =>
        type.GetMembers()
            .Select((m, index) => (Member: m, Index: index, Location: m.Locations.FirstOrDefault()))
            .OrderBy(m => m.Location?.SourceTree?.FilePath ?? "", StringComparer.Ordinal)
            .ThenBy(m => m.Location?.SourceSpan.Start ?? 0)
            .ThenBy(m => m.Index)
            .Select(m => m.Member);

    private static ActorClientParseResult Result(ActorClientModel? model, List<DiagnosticInfo> diagnostics) =>
        new(model, diagnostics.ToEquatableArray());
}
