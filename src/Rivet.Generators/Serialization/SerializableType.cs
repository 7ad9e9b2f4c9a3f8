using System;
using Rivet.Generators.Helpers;

namespace Rivet.Generators.Serialization;

/// <summary>
/// A type the generated JSON resolver can serialize, with every type reachable from it. Value-equal, so it can
/// travel through the incremental pipeline.
/// </summary>
/// <param name="FullyQualifiedName">The type as C# source, fully qualified with <c>global::</c> (nullable value types end in <c>?</c>).</param>
/// <param name="PropertyName">The name of the static <c>JsonTypeInfo&lt;T&gt;</c> property on <c>RivetJsonContext</c>.</param>
/// <param name="Graph">Shapes of the root and of every type reachable from it, deduplicated, sorted by property name.</param>
internal sealed record SerializableType(string FullyQualifiedName, string PropertyName, EquatableArray<TypeShape> Graph)
{
    /// <summary>The C# expression that yields this type's <c>JsonTypeInfo&lt;T&gt;</c> in generated code.</summary>
    public string TypeInfoExpression => JsonResolverEmitter.ClassName + "." + PropertyName;
}

/// <summary>How the generated resolver builds the metadata of one type.</summary>
internal enum TypeShapeKind
{
    /// <summary>A value with a converter (numbers, strings, Guid, DateTime, the Rivet compat converters …): <see cref="TypeShape.ConverterExpression"/>.</summary>
    Primitive,

    /// <summary>An enum, written as its member names, read from names or numbers; undefined values are refused unless it is [Flags] (<c>RivetJsonConverters.Enum</c>).</summary>
    Enum,

    /// <summary><c>Nullable&lt;T&gt;</c>; <see cref="TypeShape.ElementType"/> is <c>T</c>.</summary>
    Nullable,

    /// <summary>A one-dimensional array; <see cref="TypeShape.ElementType"/> is the element.</summary>
    Array,

    /// <summary>A generic collection built with <see cref="TypeShape.CollectionFactory"/>; <see cref="TypeShape.ElementType"/> is the element.</summary>
    Collection,

    /// <summary>A generic dictionary built with <see cref="TypeShape.CollectionFactory"/>; key and value in <see cref="TypeShape.KeyType"/>/<see cref="TypeShape.ElementType"/>.</summary>
    Dictionary,

    /// <summary>A class, struct or record serialized as a JSON object: <see cref="TypeShape.Object"/>.</summary>
    Object,
}

/// <summary>One type in a serialization graph.</summary>
/// <param name="FullyQualifiedName">The type as C# source with <c>global::</c>.</param>
/// <param name="PropertyName">The property name on <c>RivetJsonContext</c>.</param>
/// <param name="Kind">How its metadata is built.</param>
/// <param name="ConverterExpression">For primitives: the converter expression (e.g. <c>global::System.Text.Json.Serialization.Metadata.JsonMetadataServices.Int32Converter</c>).</param>
/// <param name="ElementType">Nullable underlying type, array/collection element type or dictionary value type (fully qualified).</param>
/// <param name="KeyType">Dictionary key type (fully qualified).</param>
/// <param name="CollectionFactory">The <c>JsonMetadataServices</c> method that builds a collection or dictionary (e.g. <c>CreateListInfo</c>).</param>
/// <param name="CollectionInstanceType">The concrete type the collection's <c>ObjectCreator</c> instantiates, or <see langword="null"/> to let System.Text.Json choose; for <c>CreateImmutableEnumerableInfo</c> the expression that builds the collection from <c>items</c>.</param>
/// <param name="Object">For <see cref="TypeShapeKind.Object"/>: members and constructor.</param>
internal sealed record TypeShape(
    string FullyQualifiedName,
    string PropertyName,
    TypeShapeKind Kind,
    string? ConverterExpression,
    string? ElementType = null,
    string? KeyType = null,
    string? CollectionFactory = null,
    string? CollectionInstanceType = null,
    ObjectShape? Object = null);

/// <summary>The members and construction of a type serialized as a JSON object.</summary>
/// <param name="IsValueType">A struct (setters go through <c>Unsafe.Unbox</c>).</param>
/// <param name="Properties">Serialized properties and fields, base types first, each in declaration order.</param>
/// <param name="ConstructorParameters">Parameters of the constructor used for deserialization (empty: parameterless).</param>
/// <param name="UsesParameterizedConstructor">Deserialization goes through a constructor with parameters.</param>
/// <param name="ConstructorSetsRequiredMembers">The chosen constructor has <c>[SetsRequiredMembers]</c>, so <c>required</c> members need no initializer.</param>
internal sealed record ObjectShape(
    bool IsValueType,
    EquatableArray<PropertyShape> Properties,
    EquatableArray<ParameterShape> ConstructorParameters,
    bool UsesParameterizedConstructor,
    bool ConstructorSetsRequiredMembers);

/// <summary>How generated code writes a member during deserialization.</summary>
internal enum SetterKind
{
    /// <summary>Not written (read-only; or bound to a constructor parameter).</summary>
    None,

    /// <summary>Plain assignment.</summary>
    Direct,

    /// <summary>Through an <c>[UnsafeAccessor]</c> to the setter: init-only setters (so default values of absent members survive) and non-public setters of <c>[JsonInclude]</c> properties.</summary>
    Accessor,
}

/// <summary>A serialized property or field.</summary>
/// <param name="Name">The CLR member name.</param>
/// <param name="DeclaringType">The type that declares it (fully qualified).</param>
/// <param name="Type">The member type (fully qualified).</param>
/// <param name="IsField">A field (only with <c>[JsonInclude]</c>).</param>
/// <param name="IsPublic">Declared public.</param>
/// <param name="IsVirtual">Virtual, abstract or override.</param>
/// <param name="JsonName">The name from <c>[JsonPropertyName]</c>, or <see langword="null"/> for the naming policy (camelCase).</param>
/// <param name="IgnoreCondition">A <c>JsonIgnoreCondition</c> member name other than <c>Always</c>, or <see langword="null"/>.</param>
/// <param name="HasJsonInclude">Marked <c>[JsonInclude]</c>.</param>
/// <param name="Setter">How it is written on deserialization.</param>
/// <param name="IsRequired">C# <c>required</c> or <c>[JsonRequired]</c>: absence in JSON is an error.</param>
/// <param name="IsCSharpRequired">C# <c>required</c>: object creation must initialize it (unless the constructor sets required members).</param>
/// <param name="IsReferenceType">The member type is a reference type, so <paramref name="IsGetNullable"/>/<paramref name="IsSetNullable"/> apply.</param>
/// <param name="IsGetNullable">Reading it may yield null (writing null to JSON is allowed).</param>
/// <param name="IsSetNullable">It accepts null (reading JSON null is allowed).</param>
/// <param name="ConstructorParameterIndex">Index of the constructor parameter bound to it, or -1.</param>
/// <param name="Populate">A get-only mutable collection, filled in place on deserialization.</param>
/// <param name="Order">The <c>[JsonPropertyOrder]</c> value, or <see langword="null"/>.</param>
/// <param name="AnnotatedType">The member type with its nullable reference annotations, for generic arguments and casts (<paramref name="Type"/> is for <c>typeof</c>).</param>
/// <param name="Accessor">For <see cref="SetterKind.Accessor"/>: the signature of the <c>[UnsafeAccessor]</c>.</param>
internal sealed record PropertyShape(
    string Name,
    string DeclaringType,
    string Type,
    bool IsField,
    bool IsPublic,
    bool IsVirtual,
    string? JsonName,
    string? IgnoreCondition,
    bool HasJsonInclude,
    SetterKind Setter,
    bool IsRequired,
    bool IsCSharpRequired,
    bool IsReferenceType,
    bool IsGetNullable,
    bool IsSetNullable,
    int ConstructorParameterIndex,
    bool Populate,
    int? Order,
    string AnnotatedType,
    AccessorShape? Accessor);

/// <summary>
/// The target of an <c>[UnsafeAccessor]</c> to a setter. Members of generic types are reached through a generic
/// class over the declaring type's definition (the runtime requires it), closed with <paramref name="TypeArguments"/>.
/// </summary>
/// <param name="Target">The declaring type, over its own type parameters when generic (<c>global::Demo.Box&lt;T&gt;</c>).</param>
/// <param name="ValueType">The member type as declared, over those type parameters (<c>T</c>).</param>
/// <param name="TypeParameters">The declaring type's type parameters (<c>T</c>, <c>TKey, TValue</c>), or <see langword="null"/> when not generic.</param>
/// <param name="TypeArguments">The type arguments that close them, fully qualified, or <see langword="null"/>.</param>
internal sealed record AccessorShape(string Target, string ValueType, string? TypeParameters, string? TypeArguments);

/// <summary>A parameter of the deserialization constructor.</summary>
/// <param name="Name">The parameter name (matched case-insensitively to a property).</param>
/// <param name="Type">The parameter type (fully qualified).</param>
/// <param name="Position">Zero-based position.</param>
/// <param name="DefaultValueExpression">C# expression of the default value, or <see langword="null"/> when it has none.</param>
/// <param name="IsNullable">It accepts null.</param>
/// <param name="AnnotatedType">The parameter type with nullable reference annotations, for the argument cast.</param>
internal sealed record ParameterShape(string Name, string Type, int Position, string? DefaultValueExpression, bool IsNullable, string AnnotatedType);
