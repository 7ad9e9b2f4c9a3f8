using System.Threading;
using Microsoft.CodeAnalysis;
using Rivet.Generators.Helpers;

namespace Rivet.Generators.Serialization;

/// <summary>Decides whether a type can be serialized, and describes its graph for the resolver emitter.</summary>
internal static class TypeShapeParser
{
    private const string Services = "global::System.Text.Json.Serialization.Metadata.JsonMetadataServices.";

    /// <summary>
    /// Walks <paramref name="type"/> and everything reachable from it. Returns <see langword="null"/> with a
    /// human-readable <paramref name="unsupportedReason"/> (naming the offending member and type) when any part
    /// cannot be serialized.
    /// </summary>
    public static SerializableType? TryParse(ITypeSymbol type, Compilation compilation, out string? unsupportedReason, CancellationToken cancellationToken)
    {
        unsupportedReason = null;
        var (name, converter) = type.SpecialType switch
        {
            SpecialType.System_Int32 => ("Int32", "Int32Converter"),
            SpecialType.System_String => ("String", "StringConverter"),
            SpecialType.System_Boolean => ("Boolean", "BooleanConverter"),
            SpecialType.System_Double => ("Double", "DoubleConverter"),
            _ => (null, null),
        };
        if (name is null)
        {
            unsupportedReason = $"type '{type.ToDisplayString()}' is not supported yet";
            return null;
        }
        var fqn = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        var shape = new TypeShape(fqn, name, TypeShapeKind.Primitive, Services + converter);
        return new SerializableType(fqn, name, new[] { shape }.ToEquatableArray());
    }
}
