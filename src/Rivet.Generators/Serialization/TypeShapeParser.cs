using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Rivet.Generators.Helpers;

namespace Rivet.Generators.Serialization;

/// <summary>Decides whether a type can be serialized, and describes its graph for the resolver emitter.</summary>
internal static class TypeShapeParser
{
    private const string Services = "global::System.Text.Json.Serialization.Metadata.JsonMetadataServices.";
    private const string Rivet = "global::Rivet.Runtime.RivetJsonConverters.";

    private const string UseConcreteType = "use a concrete type or JsonElement";
    private const string Polymorphic = "polymorphic types are not supported; use a concrete class, struct or record";

    /// <summary>Converters of the value types and sealed reference types with a built-in JSON form, by metadata name.</summary>
    private static readonly Dictionary<string, string> s_primitives = new(StringComparer.Ordinal)
    {
        ["System.Boolean"] = Services + "BooleanConverter",
        ["System.Byte"] = Services + "ByteConverter",
        ["System.SByte"] = Services + "SByteConverter",
        ["System.Int16"] = Services + "Int16Converter",
        ["System.UInt16"] = Services + "UInt16Converter",
        ["System.Int32"] = Services + "Int32Converter",
        ["System.UInt32"] = Services + "UInt32Converter",
        ["System.Int64"] = Rivet + "Int64",
        ["System.UInt64"] = Rivet + "UInt64",
        ["System.Single"] = Rivet + "Single",
        ["System.Double"] = Rivet + "Double",
        ["System.Decimal"] = Rivet + "Decimal",
        ["System.Half"] = Services + "HalfConverter",
        ["System.Char"] = Services + "CharConverter",
        ["System.String"] = Services + "StringConverter",
        ["System.Guid"] = Services + "GuidConverter",
        ["System.DateTime"] = Services + "DateTimeConverter",
        ["System.DateTimeOffset"] = Services + "DateTimeOffsetConverter",
        ["System.DateOnly"] = Services + "DateOnlyConverter",
        ["System.TimeOnly"] = Services + "TimeOnlyConverter",
        ["System.TimeSpan"] = Services + "TimeSpanConverter",
        ["System.Uri"] = Services + "UriConverter",
        ["System.Version"] = Services + "VersionConverter",
        ["System.Int128"] = Rivet + "Int128",
        ["System.UInt128"] = Rivet + "UInt128",
        ["System.Numerics.BigInteger"] = Rivet + "BigInteger",
        ["System.Text.Json.JsonElement"] = Services + "JsonElementConverter",
        ["System.Text.Json.JsonDocument"] = Services + "JsonDocumentConverter",
        ["System.Text.Json.Nodes.JsonNode"] = Services + "JsonNodeConverter",
        ["System.Text.Json.Nodes.JsonObject"] = Services + "JsonObjectConverter",
        ["System.Text.Json.Nodes.JsonArray"] = Services + "JsonArrayConverter",
        ["System.Text.Json.Nodes.JsonValue"] = Services + "JsonValueConverter",
    };

    private static readonly HashSet<string> s_primitiveNames = new(s_primitives.Keys.Select(k => k.Substring(k.LastIndexOf('.') + 1)), StringComparer.Ordinal);

    /// <summary>Sequence types: metadata name → (JsonMetadataServices factory, concrete type created on read or null).</summary>
    private static readonly Dictionary<string, (string Factory, string? Instance)> s_collections = new(StringComparer.Ordinal)
    {
        ["System.Collections.Generic.List`1"] = ("CreateListInfo", "global::System.Collections.Generic.List<{0}>"),
        ["System.Collections.Generic.IList`1"] = ("CreateIListInfo", null),
        ["System.Collections.Generic.ICollection`1"] = ("CreateICollectionInfo", null),
        ["System.Collections.Generic.IEnumerable`1"] = ("CreateIEnumerableInfo", null),
        ["System.Collections.Generic.IReadOnlyList`1"] = ("CreateIEnumerableInfo", null),
        ["System.Collections.Generic.IReadOnlyCollection`1"] = ("CreateIEnumerableInfo", null),
        ["System.Collections.Generic.HashSet`1"] = ("CreateISetInfo", "global::System.Collections.Generic.HashSet<{0}>"),
        ["System.Collections.Generic.ISet`1"] = ("CreateISetInfo", null),
        // Immutable ones are read into a list, then built from it by the expression over `items` (System.Text.Json
        // cannot instantiate IReadOnlySet<T> itself).
        ["System.Collections.Generic.IReadOnlySet`1"] = ("CreateImmutableEnumerableInfo", "new global::System.Collections.Generic.HashSet<{0}>(items)"),
        ["System.Collections.Immutable.ImmutableArray`1"] = ("CreateImmutableEnumerableInfo", "global::System.Collections.Immutable.ImmutableArray.CreateRange<{0}>(items)"),
        ["System.Collections.Immutable.ImmutableList`1"] = ("CreateImmutableEnumerableInfo", "global::System.Collections.Immutable.ImmutableList.CreateRange<{0}>(items)"),
        ["System.Collections.Immutable.IImmutableList`1"] = ("CreateImmutableEnumerableInfo", "global::System.Collections.Immutable.ImmutableList.CreateRange<{0}>(items)"),
        ["System.Collections.Immutable.ImmutableHashSet`1"] = ("CreateImmutableEnumerableInfo", "global::System.Collections.Immutable.ImmutableHashSet.CreateRange<{0}>(items)"),
        // A JSON array, like T[] (Memory<byte> and ReadOnlyMemory<byte> are bytes, below).
        ["System.Memory`1"] = ("CreateMemoryInfo", null),
        ["System.ReadOnlyMemory`1"] = ("CreateReadOnlyMemoryInfo", null),
    };

    /// <summary>Framework types refused with a specific reason, by metadata name prefix.</summary>
    private const string UseDictionary = "this framework type is not supported; use Dictionary<K, V> or IReadOnlyDictionary<K, V>";

    private static readonly (string Prefix, string Reason)[] s_unsupportedFrameworkTypes =
    {
        ("System.Collections.Immutable.ImmutableDictionary`2", UseDictionary),
        ("System.Collections.Immutable.IImmutableDictionary`2", UseDictionary),
        ("System.Collections.Immutable.ImmutableSortedDictionary`2", UseDictionary),
        ("System.Collections.Generic.SortedDictionary`2", UseDictionary),
        ("System.Collections.Generic.SortedList`2", UseDictionary),
        ("System.Collections.Concurrent.", "this framework type is not supported; copy it into a Dictionary<K, V> or List<T> for the wire"),
        ("System.Collections.Generic.KeyValuePair`2", "this framework type is not supported; use a record with the two members, or a Dictionary<K, V>"),
        ("System.Tuple`", "tuples are not supported; use a record"),
        ("System.ValueTuple`", "tuples are not supported; use a record"),
    };

    private static readonly Dictionary<string, string> s_dictionaries = new(StringComparer.Ordinal)
    {
        ["System.Collections.Generic.Dictionary`2"] = "CreateDictionaryInfo",
        ["System.Collections.Generic.IDictionary`2"] = "CreateIDictionaryInfo",
        ["System.Collections.Generic.IReadOnlyDictionary`2"] = "CreateIReadOnlyDictionaryInfo",
    };

    /// <summary>Get-only properties of these types are filled in place on deserialization (when the declaring type is created without constructor parameters).</summary>
    private static readonly HashSet<string> s_populatable = new(StringComparer.Ordinal)
    {
        "System.Collections.Generic.List`1", "System.Collections.Generic.IList`1", "System.Collections.Generic.ICollection`1",
        "System.Collections.Generic.HashSet`1", "System.Collections.Generic.ISet`1",
        "System.Collections.Generic.Dictionary`2", "System.Collections.Generic.IDictionary`2",
    };

    internal static bool IsPrimitiveName(string name) => s_primitiveNames.Contains(name);

    /// <summary>
    /// Walks <paramref name="type"/> and everything reachable from it. Returns <see langword="null"/> with a
    /// human-readable <paramref name="unsupportedReason"/> (naming the offending member and type) when any part
    /// cannot be serialized.
    /// </summary>
    public static SerializableType? TryParse(ITypeSymbol type, Compilation compilation, out string? unsupportedReason, CancellationToken cancellationToken)
    {
        var walker = new Walker(compilation, cancellationToken);
        var root = walker.Visit(type);
        if (root is null)
        {
            unsupportedReason = walker.FailureMessage ?? $"'{TypeNames.Display(type)}' cannot be serialized";
            return null;
        }
        unsupportedReason = null;
        var graph = walker.Shapes.Values.OrderBy(s => s.PropertyName, StringComparer.Ordinal).ToEquatableArray();
        return new SerializableType(root.FullyQualifiedName, root.PropertyName, graph);
    }

    /// <summary>A member on the way from the root to the type being visited.</summary>
    private readonly struct Step(string kind, string member, ITypeSymbol type)
    {
        public string Kind { get; } = kind;
        public string Member { get; } = member;
        public ITypeSymbol Type { get; } = type;
    }

    private sealed class Walker(Compilation compilation, CancellationToken cancellationToken)
    {
        private readonly Dictionary<ITypeSymbol, TypeShape> _visited = new(SymbolEqualityComparer.Default);
        private readonly List<Step> _path = new();

        public Dictionary<string, TypeShape> Shapes { get; } = new(StringComparer.Ordinal);

        public string? FailureMessage { get; private set; }

        public TypeShape? Visit(ITypeSymbol type)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (FailureMessage is not null)
            {
                return null;
            }
            type = Normalize(type);
            if (_visited.TryGetValue(type, out var known))
            {
                return known;
            }
            var shape = Classify(type);
            if (shape is not null && !_visited.ContainsKey(type))
            {
                Register(type, shape);
            }
            return FailureMessage is null ? shape : null;
        }

        /// <summary>
        /// Drops nullable reference annotations, type arguments included (<c>Box&lt;string?&gt;</c> → <c>Box&lt;string&gt;</c>
        /// with oblivious arguments), so a type has one shape however it was reached; member nullability comes from
        /// the declarations.
        /// </summary>
        private ITypeSymbol Normalize(ITypeSymbol type)
        {
            switch (type)
            {
                case IArrayTypeSymbol array:
                    return compilation.CreateArrayTypeSymbol(Normalize(array.ElementType), array.Rank, NullableAnnotation.None).WithNullableAnnotation(NullableAnnotation.None);
                case INamedTypeSymbol { IsGenericType: true, IsUnboundGenericType: false, IsTupleType: false } named when named.ContainingType is not { IsGenericType: true }
                    && !named.TypeArguments.Any(a => a.TypeKind is TypeKind.TypeParameter or TypeKind.Error or TypeKind.Pointer or TypeKind.FunctionPointer || a.IsRefLikeType):
                    var arguments = named.TypeArguments.Select(Normalize).ToImmutableArray();
                    return named.OriginalDefinition.Construct(arguments, arguments.Select(_ => NullableAnnotation.None).ToImmutableArray()).WithNullableAnnotation(NullableAnnotation.None);
                default:
                    return type.WithNullableAnnotation(NullableAnnotation.None);
            }
        }

        private void Register(ITypeSymbol type, TypeShape shape)
        {
            _visited[type] = shape;
            Shapes[shape.FullyQualifiedName] = shape;
        }

        private TypeShape? Fail(ITypeSymbol offending, string why)
        {
            if (FailureMessage is not null)
            {
                return null;
            }
            var o = TypeNames.Display(offending);
            if (_path.Count == 0)
            {
                FailureMessage = $"'{o}' cannot be serialized; {why}";
                return null;
            }
            var last = _path[_path.Count - 1];
            var declared = TypeNames.Display(last.Type);
            var message = declared == o
                ? $"{last.Kind} '{last.Member}' has type '{declared}', which cannot be serialized; {why}"
                : $"{last.Kind} '{last.Member}' has type '{declared}' containing '{o}', which cannot be serialized; {why}";
            if (_path.Count > 1)
            {
                message += " (via " + string.Join(" -> ", _path.Select(s => s.Member)) + ")";
            }
            FailureMessage = message;
            return null;
        }

        private TypeShape? Classify(ITypeSymbol type)
        {
            var fqn = TypeNames.FullyQualified(type);
            switch (type.TypeKind)
            {
                case TypeKind.Error:
                    return Fail(type, "the type could not be resolved");
                case TypeKind.Dynamic:
                    return Fail(type, UseConcreteType);
                case TypeKind.Pointer:
                case TypeKind.FunctionPointer:
                    return Fail(type, "pointers are not supported");
                case TypeKind.TypeParameter:
                    return Fail(type, "open generic types are not supported; use a concrete type");
                case TypeKind.Delegate:
                    return Fail(type, "delegates are not supported");
            }

            if (type is IArrayTypeSymbol array)
            {
                if (array.Rank != 1)
                {
                    return Fail(type, "multi-dimensional arrays are not supported; use a jagged array or a list of lists");
                }
                if (array.ElementType.SpecialType == SpecialType.System_Byte)
                {
                    return new TypeShape(fqn, TypeNames.PropertyName(type), TypeShapeKind.Primitive, Rivet + "ByteArray");
                }
                var element = Visit(array.ElementType);
                return element is null ? null : new TypeShape(fqn, TypeNames.PropertyName(type), TypeShapeKind.Array, null, ElementType: element.FullyQualifiedName, CollectionFactory: "CreateArrayInfo");
            }

            if (type is not INamedTypeSymbol named)
            {
                return Fail(type, "this kind of type is not supported");
            }

            switch (named.SpecialType)
            {
                case SpecialType.System_Object:
                    return Fail(type, UseConcreteType);
                case SpecialType.System_IntPtr:
                case SpecialType.System_UIntPtr:
                    return Fail(type, "native-sized integers are not supported; use int or long");
                case SpecialType.System_Void:
                    return Fail(type, "void has no value");
            }
            if (named.IsRefLikeType)
            {
                return Fail(type, "ref structs (such as Span<T>) are not supported; use an array or a list");
            }
            if (named.IsUnboundGenericType)
            {
                return Fail(type, "open generic types are not supported; use a concrete type");
            }
            if (named.IsTupleType)
            {
                return Fail(type, "tuples are not supported; use a record");
            }
            if (named.IsAnonymousType)
            {
                return Fail(type, "anonymous types are not supported; use a record");
            }
            if (!compilation.IsSymbolAccessibleWithin(named, compilation.Assembly))
            {
                return Fail(type, "it is not accessible from generated code; make it public or internal, and do not nest it in a private or protected type");
            }

            var metadataName = TypeNames.MetadataName(named);
            var name = TypeNames.PropertyName(type);

            if (!TypeNames.IsFrameworkType(named) && TypeLevelConverter(named, fqn, name) is var (handled, custom) && handled)
            {
                return custom;
            }

            if (named.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T)
            {
                var underlying = Visit(named.TypeArguments[0]);
                return underlying is null ? null : new TypeShape(fqn, name, TypeShapeKind.Nullable, null, ElementType: underlying.FullyQualifiedName);
            }
            if (s_primitives.TryGetValue(metadataName, out var converter))
            {
                return new TypeShape(fqn, name, TypeShapeKind.Primitive, converter);
            }
            if (named.TypeKind == TypeKind.Enum)
            {
                return new TypeShape(fqn, name, TypeShapeKind.Enum, null);
            }
            if (metadataName is "System.Memory`1" or "System.ReadOnlyMemory`1" && named.TypeArguments[0].SpecialType == SpecialType.System_Byte)
            {
                return new TypeShape(fqn, name, TypeShapeKind.Primitive, Rivet + (metadataName == "System.Memory`1" ? "MemoryOfByte" : "ReadOnlyMemoryOfByte"));
            }
            if (s_collections.TryGetValue(metadataName, out var collection))
            {
                var element = Visit(named.TypeArguments[0]);
                return element is null
                    ? null
                    : new TypeShape(fqn, name, TypeShapeKind.Collection, null, ElementType: element.FullyQualifiedName, CollectionFactory: collection.Factory,
                        CollectionInstanceType: collection.Instance is null ? null : string.Format(CultureInfo.InvariantCulture, collection.Instance, element.FullyQualifiedName));
            }
            if (s_dictionaries.TryGetValue(metadataName, out var dictionaryFactory))
            {
                var keyType = named.TypeArguments[0];
                if (!IsSupportedKey(keyType))
                {
                    return Fail(type, $"dictionary keys must be string, int, Guid or an enum, not '{TypeNames.Display(keyType)}'");
                }
                var key = Visit(keyType);
                var value = key is null ? null : Visit(named.TypeArguments[1]);
                return value is null || key is null
                    ? null
                    : new TypeShape(fqn, name, TypeShapeKind.Dictionary, null, ElementType: value.FullyQualifiedName, KeyType: key.FullyQualifiedName, CollectionFactory: dictionaryFactory,
                        CollectionInstanceType: $"global::System.Collections.Generic.Dictionary<{key.FullyQualifiedName}, {value.FullyQualifiedName}>");
            }
            if (metadataName.StartsWith("System.Threading.Tasks.", StringComparison.Ordinal))
            {
                return Fail(type, "tasks are not supported; await them and pass the result");
            }
            if (named.TypeKind == TypeKind.Interface || named.IsAbstract)
            {
                return Fail(type, DerivedTypes(named).Any()
                    ? "an abstract base or interface cannot be a [JsonPolymorphic] root here; make the base class concrete (its [JsonDerivedType] list is supported)"
                    : Polymorphic);
            }
            if (TypeNames.IsFrameworkType(named))
            {
                foreach (var (prefix, reason) in s_unsupportedFrameworkTypes)
                {
                    if (metadataName.StartsWith(prefix, StringComparison.Ordinal))
                    {
                        return Fail(type, reason);
                    }
                }
                return Fail(type, named.AllInterfaces.Any(i => i.SpecialType == SpecialType.System_Collections_IEnumerable)
                    ? "this collection type is not supported; use T[], List<T>, ImmutableArray<T>, HashSet<T> or Dictionary<K, V> (or their interfaces)"
                    : "this framework type is not supported; use a primitive, a collection, or a class or record of your own");
            }
            if (named.AllInterfaces.Any(i => i.SpecialType == SpecialType.System_Collections_IEnumerable))
            {
                return Fail(type, "custom collection types are not supported; use T[], List<T>, HashSet<T> or Dictionary<string, T> (or their interfaces)");
            }
            if (named.TypeKind is not (TypeKind.Class or TypeKind.Struct))
            {
                return Fail(type, "this kind of type is not supported");
            }
            var shape = VisitObject(named, fqn, name);
            if (shape is not null)
            {
                // [JsonDerivedType]: System.Text.Json reads the attributes itself (discriminators included); the
                // derived types need metadata in the resolver too.
                foreach (var derived in DerivedTypes(named))
                {
                    _path.Add(new Step("Derived type", TypeNames.Display(derived), derived));
                    var visited = Visit(derived);
                    _path.RemoveAt(_path.Count - 1);
                    if (visited is null)
                    {
                        return null;
                    }
                }
            }
            return shape;
        }

        /// <summary>The types named by the type's own <c>[JsonDerivedType]</c> attributes.</summary>
        private static IEnumerable<ITypeSymbol> DerivedTypes(INamedTypeSymbol type) =>
            type.GetAttributes()
                .Where(a => a.AttributeClass?.ToDisplayString() == "System.Text.Json.Serialization.JsonDerivedTypeAttribute"
                    && a.ConstructorArguments.Length > 0 && a.ConstructorArguments[0].Value is ITypeSymbol)
                .Select(a => (ITypeSymbol)a.ConstructorArguments[0].Value!);

        /// <summary>
        /// A type-level <c>[JsonConverter(typeof(X))]</c>: the type is written by <c>X</c>, as System.Text.Json would
        /// (a <c>JsonConverter&lt;T&gt;</c> is created directly, a <c>JsonConverterFactory</c> asked for <c>T</c>).
        /// Not handled when the type has no such attribute; handled with a null shape (and a failure) when X cannot be used.
        /// </summary>
        private (bool Handled, TypeShape? Shape) TypeLevelConverter(INamedTypeSymbol type, string fqn, string name)
        {
            var attribute = type.GetAttributes().FirstOrDefault(a => InheritsFrom(a.AttributeClass, "System.Text.Json.Serialization.JsonConverterAttribute"));
            if (attribute is null)
            {
                return (false, null);
            }
            if (attribute.AttributeClass!.ToDisplayString() != "System.Text.Json.Serialization.JsonConverterAttribute"
                || attribute.ConstructorArguments.Length != 1 || attribute.ConstructorArguments[0].Value is not INamedTypeSymbol converter)
            {
                return (true, Fail(type, "only [JsonConverter(typeof(YourConverter))] is supported on types (not a derived attribute or one without a converter type)"));
            }
            if (converter.IsAbstract || converter.IsUnboundGenericType
                || !converter.InstanceConstructors.Any(c => c.Parameters.Length == 0 && compilation.IsSymbolAccessibleWithin(c, compilation.Assembly))
                || !compilation.IsSymbolAccessibleWithin(converter, compilation.Assembly))
            {
                return (true, Fail(type, $"its converter '{Display(converter)}' must be a non-abstract, closed class with an accessible parameterless constructor"));
            }
            if (InheritsFrom(converter, "System.Text.Json.Serialization.JsonConverterFactory"))
            {
                var created = $"new {TypeNames.FullyQualified(converter)}()";
                return (true, new TypeShape(fqn, name, TypeShapeKind.Primitive, $"{Rivet}FromFactory<{fqn}>({created}, options)"));
            }
            for (var current = converter.BaseType; current is not null; current = current.BaseType)
            {
                if (current.OriginalDefinition.ToDisplayString() == "System.Text.Json.Serialization.JsonConverter<T>")
                {
                    if (!SymbolEqualityComparer.Default.Equals(current.TypeArguments[0], type))
                    {
                        return (true, Fail(type, $"its converter '{Display(converter)}' converts '{Display(current.TypeArguments[0])}', not '{Display(type)}'"));
                    }
                    return (true, new TypeShape(fqn, name, TypeShapeKind.Primitive, $"new {TypeNames.FullyQualified(converter)}()"));
                }
            }
            return (true, Fail(type, $"its converter '{Display(converter)}' is neither a JsonConverter<{Display(type)}> nor a JsonConverterFactory"));
        }

        private static bool InheritsFrom(INamedTypeSymbol? type, string metadataName)
        {
            for (var current = type; current is not null; current = current.BaseType)
            {
                if (current.ToDisplayString() == metadataName)
                {
                    return true;
                }
            }
            return false;
        }

        private static bool IsSupportedKey(ITypeSymbol key) =>
            key.SpecialType is SpecialType.System_String or SpecialType.System_Int32
            || key.TypeKind == TypeKind.Enum
            || (key is INamedTypeSymbol n && TypeNames.MetadataName(n) == "System.Guid");

        private TypeShape? VisitObject(INamedTypeSymbol type, string fqn, string name)
        {
            // Registered before its members are walked, so recursive types terminate; replaced once complete.
            var placeholder = new TypeShape(fqn, name, TypeShapeKind.Object, null);
            Register(type, placeholder);

            var members = CollectMembers(type);
            if (members is null)
            {
                return null;
            }

            var constructor = ChooseConstructor(type, members);
            if (FailureMessage is not null)
            {
                return null;
            }
            var parameters = new List<ParameterShape>();
            var boundTo = new Dictionary<int, int>();
            if (constructor is not null)
            {
                foreach (var parameter in constructor.Parameters)
                {
                    if (parameter.RefKind is not RefKind.None)
                    {
                        return Fail(type, $"constructor parameter '{parameter.Name}' is passed by reference");
                    }
                    var index = members.FindIndex(m => string.Equals(m.Symbol.Name, parameter.Name, StringComparison.OrdinalIgnoreCase)
                        && SymbolEqualityComparer.Default.Equals(m.Type, parameter.Type));
                    if (index < 0)
                    {
                        return Fail(type, $"constructor parameter '{parameter.Name}' does not match a serialized property or field of the same type by name");
                    }
                    boundTo[index] = parameter.Ordinal;
                    parameters.Add(new ParameterShape(parameter.Name, TypeNames.FullyQualified(parameter.Type), parameter.Ordinal,
                        DefaultValue(parameter), IsNullable(parameter.Type, parameter.OriginalDefinition.Type), TypeNames.Annotated(parameter.Type)));
                }
            }
            var parameterized = parameters.Count > 0;
            var setsRequired = constructor is not null && constructor.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "System.Diagnostics.CodeAnalysis.SetsRequiredMembersAttribute");

            var properties = new List<PropertyShape>();
            for (var i = 0; i < members.Count; i++)
            {
                var m = members[i];
                var bound = boundTo.TryGetValue(i, out var position) ? position : -1;
                var setter = bound >= 0 && m.Setter == SetterKind.Accessor && !m.HasInclude ? SetterKind.None : m.Setter;
                var populate = setter == SetterKind.None && bound < 0 && !parameterized && !type.IsValueType
                    && m.Type is INamedTypeSymbol nt && s_populatable.Contains(TypeNames.MetadataName(nt));
                properties.Add(new PropertyShape(
                    m.Symbol.Name,
                    TypeNames.FullyQualified(m.Symbol.ContainingType),
                    TypeNames.FullyQualified(m.Type),
                    m.Symbol is IFieldSymbol,
                    m.Symbol.DeclaredAccessibility == Accessibility.Public,
                    m.Symbol.IsVirtual || m.Symbol.IsOverride || m.Symbol.IsAbstract,
                    m.JsonName,
                    m.IgnoreCondition,
                    m.HasInclude,
                    setter,
                    m.IsRequired || m.IsCSharpRequired,
                    m.IsCSharpRequired,
                    m.Type.IsReferenceType,
                    m.IsGetNullable,
                    m.IsSetNullable,
                    bound,
                    populate,
                    m.Order,
                    TypeNames.Annotated(m.Type),
                    setter == SetterKind.Accessor ? Accessor(m.Symbol) : null));
            }

            var shape = new TypeShape(fqn, name, TypeShapeKind.Object, null,
                Object: new ObjectShape(type.IsValueType, properties.ToEquatableArray(), parameters.ToEquatableArray(), parameterized, setsRequired));
            Register(type, shape);
            return shape;
        }

        private sealed class Member
        {
            public ISymbol Symbol { get; init; } = null!;
            public ITypeSymbol Type { get; init; } = null!;
            public string? JsonName { get; init; }
            public string? IgnoreCondition { get; init; }
            public bool HasInclude { get; init; }
            public SetterKind Setter { get; init; }
            public bool IsRequired { get; init; }
            public bool IsCSharpRequired { get; init; }
            public bool IsGetNullable { get; init; }
            public bool IsSetNullable { get; init; }
            public int? Order { get; init; }
        }

        private List<Member>? CollectMembers(INamedTypeSymbol type)
        {
            // Members in base-first declaration order; an override or a hiding member takes the place of the base
            // member it replaces.
            var chain = new List<INamedTypeSymbol>();
            for (var current = type; current is not null && current.SpecialType is not (SpecialType.System_Object or SpecialType.System_ValueType); current = current.BaseType)
            {
                chain.Insert(0, current);
            }
            var order = new List<string>();
            var mostDerived = new Dictionary<string, ISymbol>(StringComparer.Ordinal);
            foreach (var current in chain)
            {
                foreach (var symbol in current.GetMembers())
                {
                    if (symbol.IsStatic || symbol.IsImplicitlyDeclared || symbol is not (IPropertySymbol or IFieldSymbol))
                    {
                        continue;
                    }
                    if (symbol is IPropertySymbol { IsIndexer: true } or IPropertySymbol { ExplicitInterfaceImplementations.Length: > 0 } or IFieldSymbol { IsConst: true })
                    {
                        continue;
                    }
                    if (!mostDerived.ContainsKey(symbol.Name))
                    {
                        order.Add(symbol.Name);
                    }
                    mostDerived[symbol.Name] = symbol;
                }
            }
            var members = new List<Member>();
            foreach (var name in order)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var member = ParseMember(type, mostDerived[name]);
                if (FailureMessage is not null)
                {
                    return null;
                }
                if (member is not null)
                {
                    members.Add(member);
                }
            }
            return members;
        }

        private Member? ParseMember(INamedTypeSymbol owner, ISymbol symbol)
        {
            string? jsonName = null, ignore = null;
            bool include = false, jsonRequired = false;
            int? order = null;
            bool allowNull = false, disallowNull = false, maybeNull = false, notNull = false;
            foreach (var attribute in symbol.GetAttributes())
            {
                switch (attribute.AttributeClass?.ToDisplayString())
                {
                    case "System.Text.Json.Serialization.JsonPropertyNameAttribute":
                        jsonName = attribute.ConstructorArguments.FirstOrDefault().Value as string;
                        break;
                    case "System.Text.Json.Serialization.JsonIgnoreAttribute":
                        var condition = attribute.NamedArguments.FirstOrDefault(a => a.Key == "Condition").Value;
                        ignore = condition.Value is int c ? (c switch { 0 => "Never", 1 => "Always", 2 => "WhenWritingDefault", 3 => "WhenWritingNull", 4 => "WhenWriting", 5 => "WhenReading", _ => "Always" }) : "Always";
                        break;
                    case "System.Text.Json.Serialization.JsonIncludeAttribute":
                        include = true;
                        break;
                    case "System.Text.Json.Serialization.JsonRequiredAttribute":
                        jsonRequired = true;
                        break;
                    case "System.Text.Json.Serialization.JsonPropertyOrderAttribute":
                        order = attribute.ConstructorArguments.FirstOrDefault().Value as int?;
                        break;
                    case "System.Text.Json.Serialization.JsonExtensionDataAttribute":
                        return Unsupported(owner, symbol, "[JsonExtensionData] is not supported");
                    case "System.Text.Json.Serialization.JsonConverterAttribute":
                        return Unsupported(owner, symbol, "[JsonConverter] is not supported on members; Rivet chooses converters itself");
                    case "System.Text.Json.Serialization.JsonNumberHandlingAttribute":
                        return Unsupported(owner, symbol, "[JsonNumberHandling] is not supported");
                    case "System.Diagnostics.CodeAnalysis.AllowNullAttribute":
                        allowNull = true;
                        break;
                    case "System.Diagnostics.CodeAnalysis.DisallowNullAttribute":
                        disallowNull = true;
                        break;
                    case "System.Diagnostics.CodeAnalysis.MaybeNullAttribute":
                        maybeNull = true;
                        break;
                    case "System.Diagnostics.CodeAnalysis.NotNullAttribute":
                        notNull = true;
                        break;
                }
            }
            if (ignore == "Always")
            {
                return null;
            }

            ITypeSymbol memberType;
            ITypeSymbol declaredType;
            SetterKind setter;
            bool csharpRequired;
            string kind;
            if (symbol is IPropertySymbol property)
            {
                kind = "property";
                if (property.GetMethod is null || property.ReturnsByRef || property.ReturnsByRefReadonly)
                {
                    return null;
                }
                var getterVisible = property.DeclaredAccessibility == Accessibility.Public && property.GetMethod.DeclaredAccessibility == Accessibility.Public;
                if (!getterVisible && !include)
                {
                    return null;
                }
                if (!compilation.IsSymbolAccessibleWithin(property.GetMethod, compilation.Assembly))
                {
                    return Unsupported(owner, symbol, "it is marked [JsonInclude] but its getter is not accessible from generated code; make it public or internal");
                }
                memberType = property.Type;
                declaredType = property.OriginalDefinition.Type;
                csharpRequired = property.IsRequired;
                setter = property.SetMethod switch
                {
                    null => SetterKind.None,
                    { IsInitOnly: true } s when s.DeclaredAccessibility == Accessibility.Public || include => SetterKind.Accessor,
                    { DeclaredAccessibility: Accessibility.Public } => SetterKind.Direct,
                    var s when include && compilation.IsSymbolAccessibleWithin(s, compilation.Assembly) => SetterKind.Direct,
                    _ when include => SetterKind.Accessor,
                    _ => SetterKind.None,
                };
                if (csharpRequired && property.SetMethod is { IsInitOnly: false } && setter == SetterKind.None)
                {
                    setter = SetterKind.Direct;
                }
            }
            else
            {
                var field = (IFieldSymbol)symbol;
                kind = "field";
                if (!include)
                {
                    return null;
                }
                if (!compilation.IsSymbolAccessibleWithin(field, compilation.Assembly))
                {
                    return Unsupported(owner, symbol, "it is marked [JsonInclude] but is not accessible from generated code; make it public or internal");
                }
                memberType = field.Type;
                declaredType = field.OriginalDefinition.Type;
                csharpRequired = field.IsRequired;
                setter = field.IsReadOnly ? SetterKind.None : SetterKind.Direct;
            }

            _path.Add(new Step(kind, Display(owner) + "." + symbol.Name, memberType));
            var shape = Visit(memberType);
            _path.RemoveAt(_path.Count - 1);
            if (shape is null)
            {
                return null;
            }

            var nullable = IsNullable(memberType, declaredType);
            return new Member
            {
                Symbol = symbol,
                Type = memberType,
                JsonName = jsonName,
                IgnoreCondition = ignore,
                HasInclude = include,
                Setter = setter,
                IsRequired = jsonRequired,
                IsCSharpRequired = csharpRequired,
                IsGetNullable = (nullable || maybeNull) && !notNull,
                IsSetNullable = (nullable || allowNull) && !disallowNull,
                Order = order,
            };
        }

        private Member? Unsupported(INamedTypeSymbol owner, ISymbol member, string why)
        {
            FailureMessage ??= $"{(member is IFieldSymbol ? "field" : "property")} '{Display(owner)}.{member.Name}' cannot be serialized; {why}";
            return null;
        }

        private static string Display(ITypeSymbol type) => TypeNames.Display(type);

        private IMethodSymbol? ChooseConstructor(INamedTypeSymbol type, List<Member> members)
        {
            var constructors = type.InstanceConstructors;
            var marked = constructors.Where(c => c.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "System.Text.Json.Serialization.JsonConstructorAttribute")).ToList();
            if (marked.Count > 1)
            {
                Fail(type, "several constructors are marked [JsonConstructor]");
                return null;
            }
            if (marked.Count == 1)
            {
                if (!compilation.IsSymbolAccessibleWithin(marked[0], compilation.Assembly))
                {
                    Fail(type, "its [JsonConstructor] constructor is not accessible from generated code; make it public or internal");
                    return null;
                }
                return marked[0];
            }
            var visible = constructors.Where(c => c.DeclaredAccessibility == Accessibility.Public).ToList();
            if (type.IsValueType)
            {
                // Unlike System.Text.Json (which always uses default(T) for structs), a struct's single public
                // constructor with parameters is used when each parameter matches a member: positional record structs
                // then run their initializers.
                var candidates = visible.Where(c => c.Parameters.Length > 0).ToList();
                return candidates.Count == 1 && !visible.Any(c => c.Parameters.Length == 0 && !c.IsImplicitlyDeclared)
                    && candidates[0].Parameters.All(p => members.Any(m => string.Equals(m.Symbol.Name, p.Name, StringComparison.OrdinalIgnoreCase) && SymbolEqualityComparer.Default.Equals(m.Type, p.Type)))
                    ? candidates[0]
                    : null;
            }
            var parameterless = visible.FirstOrDefault(c => c.Parameters.Length == 0);
            if (parameterless is not null)
            {
                return parameterless;
            }
            if (visible.Count == 1)
            {
                return visible[0];
            }
            Fail(type, visible.Count == 0
                ? "it has no public constructor; add one or mark an internal one with [JsonConstructor]"
                : "it has several public constructors and none without parameters; mark one with [JsonConstructor]");
            return null;
        }
    }

    private static AccessorShape Accessor(ISymbol member)
    {
        var declaring = member.ContainingType;
        var definition = (IPropertySymbol)member.OriginalDefinition;
        var typeParameters = new List<ITypeParameterSymbol>();
        var typeArguments = new List<ITypeSymbol>();
        for (var t = declaring; t is not null; t = t.ContainingType)
        {
            typeParameters.InsertRange(0, t.OriginalDefinition.TypeParameters);
            typeArguments.InsertRange(0, t.TypeArguments);
        }
        return typeParameters.Count == 0
            ? new AccessorShape(TypeNames.FullyQualified(declaring), TypeNames.Annotated(definition.Type), null, null)
            : new AccessorShape(TypeNames.FullyQualified(declaring.OriginalDefinition), TypeNames.Annotated(definition.Type),
                string.Join(", ", typeParameters.Select(p => p.Name)), string.Join(", ", typeArguments.Select(TypeNames.FullyQualified)));
    }

    /// <summary>
    /// Nullable reference annotations as System.Text.Json reads them: annotated or oblivious means nullable, and so
    /// does a member declared with a type parameter (<c>T Value</c>), whose nullability depends on the type argument.
    /// </summary>
    private static bool IsNullable(ITypeSymbol type, ITypeSymbol declared) =>
        type.IsReferenceType ? declared.TypeKind == TypeKind.TypeParameter || declared.NullableAnnotation != NullableAnnotation.NotAnnotated
        : type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T };

    private static string? DefaultValue(IParameterSymbol parameter)
    {
        if (!parameter.HasExplicitDefaultValue)
        {
            return null;
        }
        var type = parameter.Type;
        var fqn = TypeNames.FullyQualified(type);
        var value = parameter.ExplicitDefaultValue;
        if (value is null)
        {
            return type.IsValueType && type is not INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } ? $"default({fqn})" : "null";
        }
        var target = type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } n ? n.TypeArguments[0] : type;
        var targetFqn = TypeNames.FullyQualified(target);
        var literal = value switch
        {
            double d when double.IsNaN(d) => "double.NaN",
            double d when double.IsPositiveInfinity(d) => "double.PositiveInfinity",
            double d when double.IsNegativeInfinity(d) => "double.NegativeInfinity",
            float f when float.IsNaN(f) => "float.NaN",
            float f when float.IsPositiveInfinity(f) => "float.PositiveInfinity",
            float f when float.IsNegativeInfinity(f) => "float.NegativeInfinity",
            double d => d.ToString("R", CultureInfo.InvariantCulture) + "d",
            float f => f.ToString("R", CultureInfo.InvariantCulture) + "f",
            decimal m => m.ToString(CultureInfo.InvariantCulture) + "m",
            _ => SymbolDisplay.FormatPrimitive(value, quoteStrings: true, useHexadecimalNumbers: false),
        };
        return $"({targetFqn})({literal})";
    }
}
