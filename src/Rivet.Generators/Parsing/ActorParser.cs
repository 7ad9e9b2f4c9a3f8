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
/// Turns one [Actor] class into an <see cref="ActorModel"/> plus diagnostics: the generator keeps the model,
/// <c>ActorValidationAnalyzer</c> reports the diagnostics. Class-level problems (not partial, not an actor, nested,
/// generic) belong to <c>ActorDeclarationAnalyzer</c>: the parser silently skips such classes. It never throws
/// on broken code: error types are skipped (the compiler already reports them).
/// </summary>
internal static class ActorParser
{
    public const string ActorAttributeName = "Rivet.ActorAttribute";

    /// <summary>Whether <paramref name="node"/> may be an actor class (syntax only; see <see cref="AttributedDeclaration.HasAttributeNamed"/>).</summary>
    public static bool IsCandidate(SyntaxNode node) =>
        node is ClassDeclarationSyntax declaration && AttributedDeclaration.HasAttributeNamed(declaration, "Actor");

    /// <summary>
    /// The generator's parse: the model and where the class is declared, reused from <see cref="ParseCache"/> when the
    /// edit cannot have changed it. The diagnostics are the analyzer's (<c>ActorValidationAnalyzer</c>), so they are dropped.
    /// </summary>
    public static ActorParseResult Parse(GeneratorSyntaxContext context, CancellationToken cancellationToken) =>
        ParseCache.GetOrParse(context.Node, context.SemanticModel.Compilation,
            () => ParseDeclaration((ClassDeclarationSyntax)context.Node, context.SemanticModel, cancellationToken) with { Diagnostics = EquatableArray<DiagnosticInfo>.Empty },
            cancellationToken);

    private static ActorParseResult ParseDeclaration(ClassDeclarationSyntax declaration, SemanticModel semanticModel, CancellationToken cancellationToken)
    {
        var known = KnownTypes.Create(semanticModel.Compilation);
        return known is not null && AttributedDeclaration.Resolve(declaration, semanticModel, known.ActorAttribute, cancellationToken) is var (type, attribute)
            ? Parse(declaration, type, attribute, known, semanticModel.Compilation, cancellationToken)
            : ActorParseResult.Empty;
    }

    /// <summary>The analyzer's parse of a type: the model (null when the actor is skipped) and every diagnostic; empty when it is no actor.</summary>
    public static ActorParseResult Parse(INamedTypeSymbol type, Compilation compilation, CancellationToken cancellationToken)
    {
        var known = KnownTypes.Create(compilation);
        return known is not null && AttributedDeclaration.Find<ClassDeclarationSyntax>(type, known.ActorAttribute, IsCandidate, cancellationToken) is var (declaration, attribute)
            ? Parse(declaration, type, attribute, known, compilation, cancellationToken)
            : ActorParseResult.Empty;
    }

    private static ActorParseResult Parse(ClassDeclarationSyntax declaration, INamedTypeSymbol type, AttributeData attribute, KnownTypes known,
        Compilation compilation, CancellationToken cancellationToken)
    {
        if (type.ContainingType is not null || type.IsGenericType || type.TypeKind != TypeKind.Class || type.IsStatic
            || !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            return ActorParseResult.Empty;
        }
        var actorBase = FindActorBase(type, known);
        if (actorBase is null)
        {
            return ActorParseResult.Empty;
        }
        var (stateSymbol, inputSymbol) = actorBase.Value;
        if (stateSymbol is { TypeKind: TypeKind.Error } || inputSymbol is { TypeKind: TypeKind.Error })
        {
            return ActorParseResult.Empty;
        }

        var diagnostics = new List<DiagnosticInfo>();
        var classLocation = LocationInfo.From(declaration.Identifier);

        // Name.
        string actorName;
        if (TryGetExplicitName(attribute, out var explicitName))
        {
            if (string.IsNullOrWhiteSpace(explicitName))
            {
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.InvalidName,
                    LocationInfo.From(attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken)) ?? classLocation,
                    explicitName!, "actor", "it is empty or whitespace"));
                return Result(null, diagnostics);
            }
            actorName = explicitName!;
        }
        else
        {
            actorName = Names.ToCamelCase(type.Name);
        }

        // Constructor.
        if (type.IsAbstract || !type.InstanceConstructors.Any(c =>
                c.Parameters.All(p => p.IsOptional || p.IsParams)
                && c.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal))
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.ActorWithoutParameterlessConstructor, classLocation, type.Name));
            return Result(null, diagnostics);
        }

        // State and input.
        var baseLocation = LocationInfo.From(declaration.BaseList?.Types.FirstOrDefault()) ?? classLocation;
        SerializableType? state = null;
        SerializableType? input = null;
        string? stateFactory = null;
        var stateProblem = false;
        if (stateSymbol is not null)
        {
            state = TypeShapeParser.TryParse(stateSymbol.WithNullableAnnotation(NullableAnnotation.NotAnnotated), compilation, out var reason, cancellationToken);
            if (state is null)
            {
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.StateTypeNotSerializable, baseLocation,
                    "state", stateSymbol.ToDisplayString(), type.Name, reason ?? "it is not supported"));
                stateProblem = true;
            }
            var hasDefaultConstructor = stateSymbol is INamedTypeSymbol { IsAbstract: false, TypeKind: TypeKind.Class } namedState
                && namedState.InstanceConstructors.Any(c => c.Parameters.Length == 0 && c.DeclaredAccessibility == Accessibility.Public);
            if (hasDefaultConstructor)
            {
                stateFactory = "static () => new " + stateSymbol.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "()";
            }
            else if (!OverridesCreateState(type, known))
            {
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.StateWithoutDefaultConstructor, baseLocation,
                    stateSymbol.ToDisplayString(), type.Name));
            }
        }
        if (inputSymbol is not null)
        {
            input = TypeShapeParser.TryParse(WithoutReferenceAnnotation(inputSymbol), compilation, out var reason, cancellationToken);
            if (input is null)
            {
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.StateTypeNotSerializable, baseLocation,
                    "input", inputSymbol.ToDisplayString(), type.Name, reason ?? "it is not supported"));
                stateProblem = true;
            }
        }

        // Actions: an invalid action is reported and skipped, the rest of the actor is still generated.
        var actions = new List<ActionModel>();
        var methodsByWireName = new Dictionary<string, IMethodSymbol>(StringComparer.Ordinal);
        var handleMembers = new HashSet<string>(GeneratedNames.HandleMembers(type.Name), StringComparer.Ordinal);
        foreach (var method in ActionMethods(type, known))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var action = ParseAction(method, known, compilation, diagnostics, cancellationToken);
            if (action is null)
            {
                continue;
            }
            if (methodsByWireName.TryGetValue(action.WireName, out var first))
            {
                var (firstName, secondName) = ActionSignatures.NamesForDuplicate(first, method);
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.DuplicateActionName, MethodLocation(method, cancellationToken),
                    firstName, secondName, type.Name, action.WireName));
                continue;
            }
            methodsByWireName.Add(action.WireName, method);
            if (handleMembers.Contains(method.Name))
            {
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.ActionNameTakenOnHandle, MethodLocation(method, cancellationToken),
                    method.Name, type.Name));
                action = action with { OnHandle = false };
            }
            actions.Add(action);
        }

        if (stateProblem)
        {
            return Result(null, diagnostics);
        }

        var events = EventParser.ActorEvents(type, known, compilation, diagnostics, cancellationToken);
        var connection = EventParser.Connection(type, known, compilation, baseLocation, diagnostics, cancellationToken,
            definition => LocationInfo.From(BaseTypeSyntax(declaration, definition)) ?? baseLocation);
        var emitSchedule = true;
        if (FindMember(type, "Schedule") is { } scheduleMember)
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.GeneratedMemberNameTaken,
                LocationInfo.From(scheduleMember.Locations.FirstOrDefault()) ?? classLocation, "Schedule", type.Name, "typed scheduler property 'Schedule'"));
            emitSchedule = false;
        }
        var emitClient = true;
        if (GeneratedNames.FindSourceType(type.ContainingNamespace, GeneratedNames.ClientTypes(type.Name)) is { } clientType)
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.GeneratedTypeNameTaken, LocationInfo.From(clientType.Locations.FirstOrDefault()) ?? classLocation,
                clientType.Name, type.Name, $"typed client ({type.Name}Handle, {type.Name}Connection, {type.Name}Accessor)"));
            emitClient = false;
        }
        if (emitSchedule && GeneratedNames.FindSourceType(type.ContainingNamespace, GeneratedNames.ScheduleTypes(type.Name)) is { } scheduleType)
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.GeneratedTypeNameTaken, LocationInfo.From(scheduleType.Locations.FirstOrDefault()) ?? classLocation,
                scheduleType.Name, type.Name, $"typed schedule ({type.Name}Scheduler, {type.Name}ScheduledCalls)"));
            emitSchedule = false;
        }
        var emitConnect = true;
        foreach (var method in methodsByWireName.Values)
        {
            if (method.Name == "Connect")
            {
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.GeneratedMemberNameTaken, MethodLocation(method, cancellationToken),
                    "Connect", type.Name, $"method '{type.Name}Handle.Connect'"));
                emitConnect = false;
            }
        }
        var model = new ActorModel(
            type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : "",
            type.Name,
            type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            type.DeclaredAccessibility == Accessibility.Public,
            actorName,
            state,
            input,
            inputSymbol is null ? null : ActionSignatures.TypeName(inputSymbol),
            stateFactory,
            actions.ToEquatableArray(),
            events.ToEquatableArray(),
            connection,
            emitSchedule,
            emitConnect,
            emitClient);
        model = model with
        {
            Queues = QueueParser.ActorQueues(type, compilation, classLocation, diagnostics, cancellationToken),
            EmitCron = CronParser.EmitCron(type, classLocation, diagnostics),
            RewritesActionResponse = OverridesOnBeforeActionResponse(type, known),
        };
        return new ActorParseResult(model, diagnostics.ToEquatableArray(), classLocation);
    }

    private static ActorParseResult Result(ActorModel? model, List<DiagnosticInfo> diagnostics) =>
        new(model, diagnostics.ToEquatableArray());

    private static ActionModel? ParseAction(IMethodSymbol method, KnownTypes known, Compilation compilation,
        List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        var location = MethodLocation(method, cancellationToken);
        var attribute = method.GetAttributes().First(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, known.ActionAttribute));
        var wireName = ActionSignatures.WireName(method, attribute, location, diagnostics, cancellationToken);
        if (wireName is null)
        {
            return null;
        }

        var valid = true;
        if (method.MethodKind != MethodKind.Ordinary)
        {
            return null;
        }
        if (method.DeclaredAccessibility != Accessibility.Public)
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.ActionNotPublic, location, method.Name));
            valid = false;
        }
        if (method.IsStatic)
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.ActionStatic, location, method.Name));
            valid = false;
        }
        if (method.IsGenericMethod)
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.ActionGeneric, location, method.Name));
            valid = false;
        }
        if (method.IsAsync && method.ReturnsVoid)
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.ActionAsyncVoid, location, method.Name));
            valid = false;
        }
        if (method.IsGenericMethod)
        {
            // Its parameters and result use type parameters: reporting them too would be three errors for one mistake.
            return null;
        }

        var parameters = ActionSignatures.Parameters(method, known, compilation, location, diagnostics, out var parametersValid, cancellationToken);
        valid &= parametersValid;

        if (ActionSignatures.Return(method, known) is not var (returnKind, resultSymbol))
        {
            return null;
        }
        if (method.ReturnsByRef || method.ReturnsByRefReadonly)
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.ActionTypeNotSerializable, ActionSignatures.ReturnLocation(method, cancellationToken) ?? location,
                "The return value", method.Name, method.ReturnType.ToDisplayString(), "actions cannot return by reference"));
            return null;
        }
        SerializableType? result = null;
        if (resultSymbol is not null)
        {
            result = ActionSignatures.Result(method, resultSymbol, compilation, location, diagnostics, out var resultValid, cancellationToken);
            if (resultSymbol.TypeKind == TypeKind.Error)
            {
                return null;
            }
            valid &= resultValid;
        }
        if (!valid)
        {
            return null;
        }
        return new ActionModel(
            Names.Escape(method.Name),
            wireName,
            returnKind,
            result,
            resultSymbol is null ? null : ActionSignatures.TypeName(resultSymbol),
            parameters.ToEquatableArray());
    }

    /// <summary>The methods marked [Action] declared by the actor class itself, in source order (stable across partial files).</summary>
    private static IEnumerable<IMethodSymbol> ActionMethods(INamedTypeSymbol type, KnownTypes known) =>
        type.GetMembers()
            .OfType<IMethodSymbol>()
            .Where(m => m.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, known.ActionAttribute)))
            .Select((m, index) => (Method: m, Index: index, Location: m.Locations.FirstOrDefault()))
            .OrderBy(m => m.Location?.SourceTree?.FilePath ?? "", StringComparer.Ordinal)
            .ThenBy(m => m.Location?.SourceSpan.Start ?? 0)
            .ThenBy(m => m.Index)
            .Select(m => m.Method);

    private static LocationInfo? MethodLocation(IMethodSymbol method, CancellationToken cancellationToken) =>
        ActionSignatures.MethodLocation(method, cancellationToken);

    private static ITypeSymbol WithoutReferenceAnnotation(ITypeSymbol type) => ActionSignatures.WithoutReferenceAnnotation(type);

    private static bool TryGetExplicitName(AttributeData attribute, out string? name) => ActionSignatures.TryGetExplicitName(attribute, out name);

    /// <summary>Walks the base types to Rivet.Actor; returns the state and input types (null when absent), or null when not an actor.</summary>
    private static (ITypeSymbol? State, ITypeSymbol? Input)? FindActorBase(INamedTypeSymbol type, KnownTypes known)
    {
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            var definition = current.OriginalDefinition;
            if (SymbolEqualityComparer.Default.Equals(definition, known.ActorOfStateAndInput))
            {
                return (current.TypeArguments[0], current.TypeArguments[1]);
            }
            if (SymbolEqualityComparer.Default.Equals(definition, known.ActorOfState))
            {
                return (current.TypeArguments[0], null);
            }
            if (SymbolEqualityComparer.Default.Equals(definition, known.Actor))
            {
                return (null, null);
            }
        }
        return null;
    }

    /// <summary>The entry of this declaration's base list that names <paramref name="definition"/> (any type arguments), or null.</summary>
    private static BaseTypeSyntax? BaseTypeSyntax(ClassDeclarationSyntax declaration, INamedTypeSymbol definition) =>
        declaration.BaseList?.Types.FirstOrDefault(t => Spells(t.Type, definition));

    /// <summary>Whether <paramref name="syntax"/> spells <paramref name="definition"/>'s name and arity (syntax only: this only places a diagnostic).</summary>
    private static bool Spells(TypeSyntax syntax, INamedTypeSymbol definition) => syntax switch
    {
        QualifiedNameSyntax qualified => Spells(qualified.Right, definition),
        AliasQualifiedNameSyntax aliased => Spells(aliased.Name, definition),
        GenericNameSyntax generic => generic.Identifier.ValueText == definition.Name && generic.TypeArgumentList.Arguments.Count == definition.Arity,
        IdentifierNameSyntax identifier => identifier.Identifier.ValueText == definition.Name && definition.Arity == 0,
        _ => false,
    };

    /// <summary>A member called <paramref name="name"/> declared by the actor or one of its base classes (not by the generator), or null.</summary>
    internal static ISymbol? FindMember(INamedTypeSymbol type, string name)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.GetMembers(name).FirstOrDefault(m => !GeneratedNames.IsGenerated(m)) is { } member)
            {
                return member;
            }
        }
        return null;
    }

    /// <summary>Whether the actor (or a user base class) overrides OnBeforeActionResponse: its results are then JSON
    /// the hook may rewrite, so its handles make no direct calls (Emitting/DirectCallEmitter.cs).</summary>
    private static bool OverridesOnBeforeActionResponse(INamedTypeSymbol type, KnownTypes known)
    {
        for (var current = type; current is not null && !SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, known.Actor); current = current.BaseType)
        {
            if (current.GetMembers("OnBeforeActionResponse").OfType<IMethodSymbol>().Any(m => m.IsOverride))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Whether the actor (or a user base class) overrides CreateState() or CreateState(TInput).</summary>
    private static bool OverridesCreateState(INamedTypeSymbol type, KnownTypes known)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            var definition = current.OriginalDefinition;
            if (SymbolEqualityComparer.Default.Equals(definition, known.ActorOfState)
                || SymbolEqualityComparer.Default.Equals(definition, known.ActorOfStateAndInput))
            {
                return false;
            }
            if (current.GetMembers("CreateState").OfType<IMethodSymbol>().Any(m => m.IsOverride))
            {
                return true;
            }
        }
        return false;
    }
}
