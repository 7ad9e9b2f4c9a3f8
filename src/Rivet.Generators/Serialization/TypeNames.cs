using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Rivet.Generators.Serialization;

/// <summary>Names of types in generated and diagnostic text.</summary>
internal static class TypeNames
{
    /// <summary>Member names of <c>RivetJsonContext</c> (and of <see cref="object"/>) that a type property must not take.</summary>
    private static readonly HashSet<string> s_reserved = new(System.StringComparer.Ordinal)
    {
        "Options", "GetTypeInfo", "RivetJsonContext", "Equals", "GetHashCode", "ToString", "GetType", "MemberwiseClone", "Finalize", "ReferenceEquals",
    };

    /// <summary>Prefixes of the names built for framework types; a global-namespace user type starting with one is prefixed with <c>global_</c>.</summary>
    private static readonly string[] s_frameworkPrefixes =
    {
        "Nullable", "ArrayOf", "ByteArray", "ListOf", "IListOf", "ICollectionOf", "IEnumerableOf", "IReadOnlyListOf", "IReadOnlyCollectionOf",
        "HashSetOf", "ISetOf", "IReadOnlySetOf", "DictionaryOf", "IDictionaryOf", "IReadOnlyDictionaryOf",
        "ImmutableArrayOf", "ImmutableListOf", "IImmutableListOf", "ImmutableHashSetOf", "MemoryOf", "ReadOnlyMemoryOf",
    };

    /// <summary><c>global::</c>-qualified C# for <paramref name="type"/>; nullable reference annotations are dropped, <c>Nullable&lt;T&gt;</c> is <c>T?</c>.</summary>
    public static string FullyQualified(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);

    private static readonly SymbolDisplayFormat s_annotated = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary>Like <see cref="FullyQualified"/> but with nullable reference annotations (<c>global::System.Collections.Generic.List&lt;string?&gt;</c>); not valid in <c>typeof</c>.</summary>
    public static string Annotated(ITypeSymbol type) => type.ToDisplayString(s_annotated);

    /// <summary>Short C# for messages: <c>List&lt;object&gt;</c>, <c>Order</c>.</summary>
    public static string Display(ITypeSymbol type) => type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(s_display);

    private static readonly SymbolDisplayFormat s_display = new(
        globalNamespaceStyle: SymbolDisplayGlobalNamespaceStyle.Omitted,
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypes,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes | SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers);

    /// <summary>
    /// A readable identifier, unique per type: framework types by their CLR name (<c>Int32</c>, <c>ListOfString</c>,
    /// <c>DictionaryOfStringInt32</c>, <c>NullableInt32</c>, <c>ArrayOfDemo_Item</c>), user types by namespace, containing
    /// types and name joined with <c>_</c> (<c>Demo_CounterState</c>); underscores inside names are doubled.
    /// </summary>
    public static string PropertyName(ITypeSymbol type) => Build(type);

    private static string Build(ITypeSymbol type)
    {
        switch (type)
        {
            case IArrayTypeSymbol array:
                return array.ElementType.SpecialType == SpecialType.System_Byte ? "ByteArray" : "ArrayOf" + Build(array.ElementType);
            case INamedTypeSymbol named:
                if (named.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T)
                {
                    return "Nullable" + Build(named.TypeArguments[0]);
                }
                if (IsFrameworkType(named))
                {
                    return Escape(named.Name) + TypeArguments(named);
                }
                return UserTypeName(named);
            default:
                return Escape(type.Name);
        }
    }

    private static string TypeArguments(INamedTypeSymbol named) =>
        named.TypeArguments.Length == 0 ? "" : "Of" + string.Concat(named.TypeArguments.Select(Build));

    private static string UserTypeName(INamedTypeSymbol named)
    {
        var parts = new List<string>();
        for (var t = named; t is not null; t = t.ContainingType)
        {
            // The arity marker (`_1`: no escaped name has a single '_' before a digit) keeps Result<int> apart from a class ResultOfInt32.
            parts.Insert(0, Escape(t.Name) + (t.TypeArguments.Length == 0 ? "" : "_" + t.TypeArguments.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)) + TypeArguments(t));
        }
        var ns = named.ContainingNamespace;
        var inGlobalNamespace = ns is null || ns.IsGlobalNamespace;
        for (; ns is { IsGlobalNamespace: false }; ns = ns.ContainingNamespace)
        {
            parts.Insert(0, Escape(ns.Name));
        }
        var result = string.Join("_", parts);
        if (inGlobalNamespace && named.ContainingType is null
            && (s_reserved.Contains(result) || SyntaxFacts.GetKeywordKind(result) != SyntaxKind.None || IsFrameworkLookalike(result)))
        {
            result = "global_" + result;
        }
        return result;
    }

    private static bool IsFrameworkLookalike(string name) =>
        s_frameworkPrefixes.Any(p => name.StartsWith(p, System.StringComparison.Ordinal)) || TypeShapeParser.IsPrimitiveName(name);

    private static string Escape(string name) => name.Replace("_", "__");

    /// <summary>Types of the System namespaces, named by their CLR name rather than their full path.</summary>
    public static bool IsFrameworkType(INamedTypeSymbol type)
    {
        var ns = type.ContainingNamespace;
        while (ns is { IsGlobalNamespace: false, ContainingNamespace.IsGlobalNamespace: false })
        {
            ns = ns.ContainingNamespace;
        }
        return ns is { IsGlobalNamespace: false, Name: "System" };
    }

    /// <summary>The namespace-qualified metadata name of a type's definition, e.g. <c>System.Collections.Generic.List`1</c>.</summary>
    public static string MetadataName(INamedTypeSymbol type)
    {
        var def = type.OriginalDefinition;
        var ns = def.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() + "." : "";
        var containing = def.ContainingType is { } c ? MetadataName(c) + "+" : ns;
        return (def.ContainingType is null ? ns : containing) + def.MetadataName;
    }
}
