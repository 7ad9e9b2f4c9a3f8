using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Rivet.Generators.Model;
using Rivet.Generators.Serialization;

namespace Rivet.Generators.Parsing;

/// <summary>
/// What actor actions and actor-client methods share: wire names, parameters, return shapes and their serializers.
/// Each piece reports its own diagnostics and never throws on broken code.
/// </summary>
internal static class ActionSignatures
{
    /// <summary>Fully qualified, with nullable reference annotations kept (so signatures match the user's exactly).</summary>
    public static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary>
    /// The type as generated code writes it (<see cref="TypeFormat"/>). A reference type from code with nullable
    /// annotations disabled (oblivious) is written <c>T?</c>: it may hold null, and generated files enable nullable
    /// annotations, so <c>string name = null</c> copied as <c>string</c> would warn (CS8625) in the user's build.
    /// </summary>
    public static string TypeName(ITypeSymbol type) =>
        (IsOblivious(type) ? type.WithNullableAnnotation(NullableAnnotation.Annotated) : type).ToDisplayString(TypeFormat);

    /// <summary>A reference type declared where nullable annotations are disabled.</summary>
    public static bool IsOblivious(ITypeSymbol type) => type.IsReferenceType && type.NullableAnnotation == NullableAnnotation.None;

    /// <summary>Reads <c>[Actor("name")]</c> / <c>[Action("name")]</c> / <c>[ActorClient("name")]</c>; false when no usable name argument was given.</summary>
    public static bool TryGetExplicitName(AttributeData attribute, out string? name)
    {
        name = null;
        if (attribute.ConstructorArguments.Length == 1
            && attribute.ConstructorArguments[0] is { Kind: TypedConstantKind.Primitive, Value: string value })
        {
            name = value;
            return true;
        }
        return false;
    }

    /// <summary>
    /// The wire name of <paramref name="method"/>: from its <c>[Action("name")]</c> (<paramref name="attribute"/>, may be
    /// null) or its camelCase name. Null, with RIVET014 reported, when the explicit name is empty.
    /// </summary>
    public static string? WireName(IMethodSymbol method, AttributeData? attribute, LocationInfo? location,
        List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken, string kind = "action")
    {
        if (attribute is not null && TryGetExplicitName(attribute, out var explicitName))
        {
            if (string.IsNullOrWhiteSpace(explicitName))
            {
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.InvalidName,
                    LocationInfo.From(attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken)) ?? location,
                    explicitName!, kind, "it is empty or whitespace"));
                return null;
            }
            return explicitName!;
        }
        return Names.ToCamelCase(method.Name);
    }

    /// <summary>
    /// Every parameter of <paramref name="method"/> as a model; CancellationTokens are marked, not serialized.
    /// Reports RIVET008 (by reference) and RIVET010 (not serializable); <paramref name="valid"/> is false after any problem.
    /// </summary>
    public static List<ParameterModel> Parameters(IMethodSymbol method, KnownTypes known, Compilation compilation, LocationInfo? location,
        List<DiagnosticInfo> diagnostics, out bool valid, CancellationToken cancellationToken) =>
        Parameters(method, known, compilation, location, diagnostics, forEvent: false, out valid, cancellationToken);

    /// <summary>
    /// The parameters of an action, or of an event (<paramref name="forEvent"/>): an event reports RIVET023 for a by-reference
    /// or CancellationToken parameter (nothing binds it) and RIVET024 for a type that cannot be serialized.
    /// </summary>
    public static List<ParameterModel> Parameters(IMethodSymbol method, KnownTypes known, Compilation compilation, LocationInfo? location,
        List<DiagnosticInfo> diagnostics, bool forEvent, out bool valid, CancellationToken cancellationToken)
    {
        valid = true;
        var parameters = new List<ParameterModel>();
        foreach (var parameter in method.Parameters)
        {
            var parameterLocation = LocationInfo.From(parameter.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken)) ?? location;
            if (parameter.RefKind != RefKind.None)
            {
                var refKind = parameter.RefKind switch
                {
                    RefKind.Ref => "ref",
                    RefKind.Out => "out",
                    RefKind.RefReadOnlyParameter => "ref readonly",
                    _ => "in",
                };
                diagnostics.Add(forEvent
                    ? DiagnosticInfo.Create(Diagnostics.EventSignatureInvalid, parameterLocation, method.Name, $"parameter '{parameter.Name}' is passed by reference ('{refKind}'); event arguments travel by value")
                    : DiagnosticInfo.Create(Diagnostics.ActionByRefParameter, parameterLocation, method.Name, parameter.Name, refKind));
                valid = false;
                continue;
            }
            var parameterType = parameter.Type;
            if (parameterType.TypeKind == TypeKind.Error)
            {
                valid = false;
                continue;
            }
            var typeName = TypeName(parameterType);
            if (SymbolEqualityComparer.Default.Equals(parameterType, known.CancellationToken))
            {
                if (forEvent)
                {
                    diagnostics.Add(DiagnosticInfo.Create(Diagnostics.EventSignatureInvalid, parameterLocation, method.Name,
                        $"parameter '{parameter.Name}' is a CancellationToken, which an event cannot carry"));
                    valid = false;
                    continue;
                }
                parameters.Add(new ParameterModel(parameter.Name, true, null, typeName, false, DefaultValues.Format(parameter, typeName)));
                continue;
            }
            var serializable = TypeShapeParser.TryParse(WithoutReferenceAnnotation(parameterType), compilation, out var reason, cancellationToken);
            if (serializable is null)
            {
                diagnostics.Add(forEvent
                    ? DiagnosticInfo.Create(Diagnostics.EventTypeNotSerializable, parameterLocation,
                        parameter.Name, method.Name, parameterType.ToDisplayString(), reason ?? "it is not supported")
                    : DiagnosticInfo.Create(Diagnostics.ActionTypeNotSerializable, parameterLocation,
                        $"Parameter '{parameter.Name}'", method.Name, parameterType.ToDisplayString(), reason ?? "it is not supported"));
                valid = false;
                continue;
            }
            var allowNull = parameterType.NullableAnnotation == NullableAnnotation.Annotated || IsOblivious(parameterType)
                || parameterType.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T;
            parameters.Add(new ParameterModel(parameter.Name, false, serializable, typeName, allowNull, DefaultValues.Format(parameter, typeName), parameter.IsParams));
        }
        return parameters;
    }

    /// <summary>
    /// How <paramref name="method"/> returns, and the type of its result (unwrapped from tasks; null when there is none).
    /// Null when the return type is an error type (the compiler reports it).
    /// </summary>
    public static (ReturnKind Kind, ITypeSymbol? Result)? Return(IMethodSymbol method, KnownTypes known)
    {
        var returnType = method.ReturnType;
        if (method.ReturnsVoid)
        {
            return (ReturnKind.Void, null);
        }
        if (returnType.TypeKind == TypeKind.Error)
        {
            return null;
        }
        if (SymbolEqualityComparer.Default.Equals(returnType, known.Task))
        {
            return (ReturnKind.Task, null);
        }
        if (SymbolEqualityComparer.Default.Equals(returnType, known.ValueTask))
        {
            return (ReturnKind.ValueTask, null);
        }
        if (returnType is INamedTypeSymbol { IsGenericType: true } generic)
        {
            if (SymbolEqualityComparer.Default.Equals(generic.OriginalDefinition, known.TaskOfT))
            {
                return (ReturnKind.TaskOfT, generic.TypeArguments[0]);
            }
            if (SymbolEqualityComparer.Default.Equals(generic.OriginalDefinition, known.ValueTaskOfT))
            {
                return (ReturnKind.ValueTaskOfT, generic.TypeArguments[0]);
            }
        }
        return (ReturnKind.Value, returnType);
    }

    /// <summary>
    /// The serializer of a method's result type. Null with <paramref name="valid"/> false when the type is an error
    /// type (silently) or cannot be serialized (RIVET010 reported).
    /// </summary>
    public static SerializableType? Result(IMethodSymbol method, ITypeSymbol result, Compilation compilation, LocationInfo? location,
        List<DiagnosticInfo> diagnostics, out bool valid, CancellationToken cancellationToken)
    {
        valid = true;
        if (result.TypeKind == TypeKind.Error)
        {
            valid = false;
            return null;
        }
        var serializable = TypeShapeParser.TryParse(WithoutReferenceAnnotation(result), compilation, out var reason, cancellationToken);
        if (serializable is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.ActionTypeNotSerializable, ReturnLocation(method, cancellationToken) ?? location,
                "The return value", method.Name, result.ToDisplayString(), reason ?? "it is not supported"));
            valid = false;
        }
        return serializable;
    }

    /// <summary>
    /// How RIVET012/RIVET025 name two methods that share a wire name: by name, or with their parameter types when the
    /// names are the same (overloads), so the message does not read "'Add' and 'Add'".
    /// </summary>
    public static (string First, string Second) NamesForDuplicate(IMethodSymbol first, IMethodSymbol second)
    {
        return first.Name == second.Name ? (WithParameters(first), WithParameters(second)) : (first.Name, second.Name);

        static string WithParameters(IMethodSymbol method) =>
            method.Name + "(" + string.Join(", ", method.Parameters.Select(p => p.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat))) + ")";
    }

    /// <summary>The method's identifier, or its first location.</summary>
    public static LocationInfo? MethodLocation(IMethodSymbol method, CancellationToken cancellationToken) =>
        method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) is MethodDeclarationSyntax syntax
            ? LocationInfo.From(syntax.Identifier)
            : LocationInfo.From(method.Locations.FirstOrDefault());

    /// <summary>The method's return type syntax, or null.</summary>
    public static LocationInfo? ReturnLocation(IMethodSymbol method, CancellationToken cancellationToken) =>
        method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) is MethodDeclarationSyntax syntax
            ? LocationInfo.From(syntax.ReturnType)
            : null;

    /// <summary>Reference types lose their <c>?</c>: the serializer is the same, nullability is tracked separately.</summary>
    public static ITypeSymbol WithoutReferenceAnnotation(ITypeSymbol type) =>
        type.IsReferenceType ? type.WithNullableAnnotation(NullableAnnotation.NotAnnotated) : type;
}
