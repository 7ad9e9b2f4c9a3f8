using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Rivet.Generators.Helpers;
using Rivet.Generators.Model;
using Rivet.Generators.Serialization;

namespace Rivet.Generators.Parsing;

/// <summary>
/// Parses <c>[Event]</c> declarations (on actors: <c>partial void</c> methods the generator implements; on actor
/// clients: <c>void</c> methods that name what the remote actor sends) and the connection parameter and state types.
/// Invalid events are reported (RIVET023–025) and skipped; the rest of the actor is still generated.
/// </summary>
internal static class EventParser
{
    public const string EventAttributeName = "Rivet.EventAttribute";

    /// <summary>The valid events of an actor class, in source order.</summary>
    public static List<EventModel> ActorEvents(INamedTypeSymbol type, KnownTypes known, Compilation compilation,
        List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        var events = new List<EventModel>();
        if (known.EventAttribute is null)
        {
            return events;
        }
        var byWireName = new Dictionary<string, IMethodSymbol>(StringComparer.Ordinal);
        var methodNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var method in InSourceOrder(type.GetMembers().OfType<IMethodSymbol>().Where(m => EventAttribute(m, known) is not null)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var model = ParseActorEvent(method, type, known, compilation, diagnostics, cancellationToken);
            if (model is not null && Unique(model, method, type, byWireName, diagnostics, cancellationToken))
            {
                // The actor still implements the partial method; only the connection leaves it out.
                events.Add(OnConnection(model, method, type, methodNames, diagnostics, cancellationToken));
            }
        }
        return events;
    }

    /// <summary>
    /// The event without its connection members when they cannot be generated: another event of the same method
    /// name took them (RIVET030), or a parameter type is less accessible than the public connection (RIVET029).
    /// </summary>
    public static EventModel OnConnection(EventModel model, IMethodSymbol method, INamedTypeSymbol owner, HashSet<string> methodNames,
        List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        if (!methodNames.Add(method.Name))
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.DuplicateEventMethodName, ActionSignatures.MethodLocation(method, cancellationToken),
                method.Name, owner.Name));
            return model with { OnConnection = false };
        }
        if (owner.DeclaredAccessibility == Microsoft.CodeAnalysis.Accessibility.Public)
        {
            foreach (var parameter in method.Parameters)
            {
                if (!GeneratedNames.IsEffectivelyPublic(parameter.Type))
                {
                    diagnostics.Add(DiagnosticInfo.Create(Diagnostics.TypeLessAccessibleThanActor,
                        LocationInfo.From(parameter.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken)) ?? ActionSignatures.MethodLocation(method, cancellationToken),
                        parameter.Type.ToDisplayString(), $"type of parameter '{parameter.Name}' of event '{method.Name}'", owner.Name));
                    return model with { OnConnection = false };
                }
            }
        }
        return model;
    }

    /// <summary>
    /// One <c>[Event]</c> method of an actor-client interface: must return <c>void</c>. Null (with diagnostics) when invalid.
    /// </summary>
    public static EventModel? ClientEvent(IMethodSymbol method, KnownTypes known, Compilation compilation,
        List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        var location = ActionSignatures.MethodLocation(method, cancellationToken);
        var wireName = ActionSignatures.WireName(method, EventAttribute(method, known), location, diagnostics, cancellationToken, "event");
        var valid = wireName is not null;
        if (method.IsStatic)
        {
            valid = Invalid(diagnostics, location, method, "it is static; declare it as an instance 'void' method of the interface");
        }
        if (method.IsGenericMethod)
        {
            valid = Invalid(diagnostics, location, method, "it is generic; events have concrete argument types");
        }
        if (!method.ReturnsVoid)
        {
            valid = Invalid(diagnostics, ActionSignatures.ReturnLocation(method, cancellationToken) ?? location, method,
                $"it returns '{method.ReturnType.ToDisplayString()}'; an event of an actor client interface returns 'void'");
        }
        if (method.IsGenericMethod)
        {
            // Its parameters use type parameters: one error for the one mistake.
            return null;
        }
        var parameters = ActionSignatures.Parameters(method, known, compilation, location, diagnostics, forEvent: true, out var parametersValid, cancellationToken);
        if (!valid || !parametersValid)
        {
            return null;
        }
        return new EventModel(
            Names.Escape(method.Name),
            wireName!,
            parameters.ToEquatableArray(),
            Modifiers: "",
            Accessibility: "public",
            ImplementIn: method.IsAbstract ? method.ContainingType.ToDisplayString(ActionSignatures.TypeFormat) : null);
    }

    /// <summary>Reports RIVET025 when <paramref name="model"/>'s wire name was taken by an earlier event.</summary>
    public static bool Unique(EventModel model, IMethodSymbol method, INamedTypeSymbol owner, Dictionary<string, IMethodSymbol> byWireName,
        List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        if (byWireName.TryGetValue(model.WireName, out var first))
        {
            var (firstName, secondName) = ActionSignatures.NamesForDuplicate(first, method);
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.DuplicateEventName, ActionSignatures.MethodLocation(method, cancellationToken),
                firstName, secondName, owner.Name, model.WireName));
            return false;
        }
        byWireName.Add(model.WireName, method);
        return true;
    }

    /// <summary>
    /// The type arguments of <c>IConnectionParams&lt;TParams&gt;</c> and <c>IConnectionState&lt;TParams, TConnState&gt;</c>
    /// when the actor implements them; RIVET011 for a type that cannot be serialized (it is then left out).
    /// </summary>
    /// <remarks>
    /// RIVET032 when the two interfaces name different parameter types (the state is then left out), RIVET029 when
    /// a public actor's parameter type is not public (the parameters are then left out): the generated <c>Connect</c>
    /// takes them. <paramref name="baseLocation"/> finds the base-list entry naming an interface.
    /// </remarks>
    public static ConnectionTypes? Connection(INamedTypeSymbol type, KnownTypes known, Compilation compilation, LocationInfo? location,
        List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken, Func<INamedTypeSymbol, LocationInfo?>? baseLocation = null)
    {
        ITypeSymbol? paramsSymbol = null;
        ITypeSymbol? stateSymbol = null;
        ITypeSymbol? stateParamsSymbol = null;
        foreach (var implemented in type.AllInterfaces)
        {
            var definition = implemented.OriginalDefinition;
            if (known.ConnectionParams is not null && SymbolEqualityComparer.Default.Equals(definition, known.ConnectionParams))
            {
                paramsSymbol ??= implemented.TypeArguments[0];
            }
            else if (known.ConnectionState is not null && SymbolEqualityComparer.Default.Equals(definition, known.ConnectionState))
            {
                stateParamsSymbol ??= implemented.TypeArguments[0];
                stateSymbol ??= implemented.TypeArguments[1];
            }
        }
        if (paramsSymbol is not null && stateParamsSymbol is not null && !SymbolEqualityComparer.Default.Equals(paramsSymbol, stateParamsSymbol)
            && paramsSymbol.TypeKind != TypeKind.Error && stateParamsSymbol.TypeKind != TypeKind.Error)
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.ConnectionParamsMismatch, baseLocation?.Invoke(known.ConnectionState!) ?? location,
                type.Name, paramsSymbol.ToDisplayString(), stateParamsSymbol.ToDisplayString()));
            stateSymbol = null;
        }
        if (paramsSymbol is not null && type.DeclaredAccessibility == Microsoft.CodeAnalysis.Accessibility.Public && !GeneratedNames.IsEffectivelyPublic(paramsSymbol))
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.TypeLessAccessibleThanActor, baseLocation?.Invoke(known.ConnectionParams!) ?? location,
                paramsSymbol.ToDisplayString(), "connection parameter type", type.Name));
            paramsSymbol = null;
        }
        var parameters = Serializable(paramsSymbol, "connection parameters", type, compilation, location, diagnostics, cancellationToken);
        var state = Serializable(stateSymbol, "connection state", type, compilation, location, diagnostics, cancellationToken);
        if (parameters is null && state is null)
        {
            return null;
        }
        return new ConnectionTypes(parameters, parameters is null ? null : ActionSignatures.TypeName(paramsSymbol!), state);
    }

    /// <summary>The serializer of a connection type named by an attribute argument (actor clients), or null with RIVET011.</summary>
    public static SerializableType? Serializable(ITypeSymbol? symbol, string kind, INamedTypeSymbol owner, Compilation compilation,
        LocationInfo? location, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        if (symbol is null || symbol.TypeKind == TypeKind.Error)
        {
            return null;
        }
        var serializable = TypeShapeParser.TryParse(ActionSignatures.WithoutReferenceAnnotation(symbol), compilation, out var reason, cancellationToken);
        if (serializable is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.StateTypeNotSerializable, location,
                kind, symbol.ToDisplayString(), owner.Name, reason ?? "it is not supported"));
        }
        return serializable;
    }

    public static AttributeData? EventAttribute(ISymbol symbol, KnownTypes known) =>
        known.EventAttribute is null
            ? null
            : symbol.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, known.EventAttribute));

    private static EventModel? ParseActorEvent(IMethodSymbol method, INamedTypeSymbol type, KnownTypes known, Compilation compilation,
        List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        var location = ActionSignatures.MethodLocation(method, cancellationToken);
        if (method.MethodKind != MethodKind.Ordinary)
        {
            return null;
        }
        var wireName = ActionSignatures.WireName(method, EventAttribute(method, known), location, diagnostics, cancellationToken, "event");
        var valid = wireName is not null;
        var syntax = method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) as MethodDeclarationSyntax;
        if (syntax is null || !syntax.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            valid = Invalid(diagnostics, location, method, "it is not 'partial'; declare it as 'partial void " + method.Name + "(…);' without a body");
        }
        else if (syntax.Body is not null || syntax.ExpressionBody is not null || method.PartialImplementationPart is { } implementation && !GeneratedNames.IsGenerated(implementation))
        {
            valid = Invalid(diagnostics, location, method, "it has a body; declare it without one ('partial void " + method.Name + "(…);'), the generator implements it");
        }
        if (!method.ReturnsVoid)
        {
            valid = Invalid(diagnostics, ActionSignatures.ReturnLocation(method, cancellationToken) ?? location, method,
                $"it returns '{method.ReturnType.ToDisplayString()}'; events return 'void'");
        }
        if (method.IsStatic)
        {
            valid = Invalid(diagnostics, location, method, "it is static; events are sent by the actor instance");
        }
        if (method.IsGenericMethod)
        {
            valid = Invalid(diagnostics, location, method, "it is generic; events have concrete argument types");
        }
        if (method.IsGenericMethod)
        {
            // Its parameters use type parameters: one error for the one mistake.
            return null;
        }
        var parameters = ActionSignatures.Parameters(method, known, compilation, location, diagnostics, forEvent: true, out var parametersValid, cancellationToken);
        if (!valid || !parametersValid)
        {
            return null;
        }
        return new EventModel(
            Names.Escape(method.Name),
            wireName!,
            parameters.ToEquatableArray(),
            string.Join(" ", syntax!.Modifiers.Select(m => m.Text)),
            Accessibility(method.DeclaredAccessibility, type.IsSealed));
    }

    private static bool Invalid(List<DiagnosticInfo> diagnostics, LocationInfo? location, IMethodSymbol method, string reason)
    {
        diagnostics.Add(DiagnosticInfo.Create(Diagnostics.EventSignatureInvalid, location, method.Name, reason));
        return false;
    }

    /// <summary>The accessibility of the per-connection overload: the event's, without <c>protected</c> in a sealed class.</summary>
    private static string Accessibility(Accessibility accessibility, bool isSealed) => accessibility switch
    {
        Microsoft.CodeAnalysis.Accessibility.Public => "public",
        Microsoft.CodeAnalysis.Accessibility.Internal => "internal",
        Microsoft.CodeAnalysis.Accessibility.Protected => isSealed ? "private" : "protected",
        Microsoft.CodeAnalysis.Accessibility.ProtectedOrInternal => isSealed ? "internal" : "protected internal",
        Microsoft.CodeAnalysis.Accessibility.ProtectedAndInternal => isSealed ? "private" : "private protected",
        _ => "private",
    };

    private static IEnumerable<IMethodSymbol> InSourceOrder(IEnumerable<IMethodSymbol> methods) =>
        methods
            .Select((m, index) => (Method: m, Index: index, Location: m.Locations.FirstOrDefault()))
            .OrderBy(m => m.Location?.SourceTree?.FilePath ?? "", StringComparer.Ordinal)
            .ThenBy(m => m.Location?.SourceSpan.Start ?? 0)
            .ThenBy(m => m.Index)
            .Select(m => m.Method);
}
