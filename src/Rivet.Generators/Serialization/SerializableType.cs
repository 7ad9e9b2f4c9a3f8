using System;
using Rivet.Generators.Helpers;

namespace Rivet.Generators.Serialization;

/// <summary>
/// A type the generated JSON resolver can serialize, with every type reachable from it. Value-equal, so it can
/// travel through the incremental pipeline.
/// </summary>
/// <param name="FullyQualifiedName">The type as C# source, fully qualified with <c>global::</c> (nullable value types end in <c>?</c>).</param>
/// <param name="PropertyName">The name of the static <c>JsonTypeInfo&lt;T&gt;</c> property on <c>RivetJsonContext</c>.</param>
/// <param name="Graph">Shapes of the root and of every type reachable from it, deduplicated.</param>
internal sealed record SerializableType(string FullyQualifiedName, string PropertyName, EquatableArray<TypeShape> Graph)
{
    /// <summary>The C# expression that yields this type's <c>JsonTypeInfo&lt;T&gt;</c> in generated code.</summary>
    public string TypeInfoExpression => JsonResolverEmitter.ClassName + "." + PropertyName;
}

/// <summary>How the generated resolver builds the metadata of one type.</summary>
internal enum TypeShapeKind
{
    /// <summary>A value with a built-in converter (numbers, strings, Guid, DateTime …).</summary>
    Primitive,
}

/// <summary>One type in a serialization graph.</summary>
/// <param name="FullyQualifiedName">The type as C# source with <c>global::</c>.</param>
/// <param name="PropertyName">The property name on <c>RivetJsonContext</c>.</param>
/// <param name="Kind">How its metadata is built.</param>
/// <param name="ConverterExpression">For primitives: the converter expression (e.g. <c>global::System.Text.Json.Serialization.Metadata.JsonMetadataServices.Int32Converter</c>).</param>
internal sealed record TypeShape(string FullyQualifiedName, string PropertyName, TypeShapeKind Kind, string? ConverterExpression) : IEquatable<TypeShape>;
