using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Rivet.Generators.Parsing;

/// <summary>
/// The names the generated code takes (members of the typed handle, types in the actor's namespace) and the
/// accessibility it needs, so the parsers can report a clash (RIVET028, RIVET029, RIVET031) instead of emitting
/// code that does not compile.
/// </summary>
internal static class GeneratedNames
{
    /// <summary>Members of <c>{Name}Handle</c> that an action method of the same name would clash with.</summary>
    public static IEnumerable<string> HandleMembers(string name) =>
        new[] { "Handle", "ResolveAsync", "WithIdempotencyKey", name + "Handle" };

    /// <summary>The types of the client file (<c>{Name}.Client.g.cs</c> / <c>.ActorClient.g.cs</c>), all in the actor's namespace.</summary>
    public static IEnumerable<string> ClientTypes(string name) =>
        new[] { name + "Handle", name + "Connection", name + "Accessor", name + "ClientExtensions" };

    /// <summary>The types of the schedule file (<c>{Actor}.Schedule.g.cs</c>).</summary>
    public static IEnumerable<string> ScheduleTypes(string name) =>
        new[] { name + "Scheduler", name + "ScheduledCalls" };

    /// <summary>
    /// The actor classes and actor-client interfaces in <paramref name="type"/>'s namespace whose generated types
    /// <paramref name="type"/> may be named like (by name only: parsing them says whether it does), so RIVET031 can be
    /// reported with the type that takes the name.
    /// </summary>
    public static IEnumerable<INamedTypeSymbol> PossibleOwners(INamedTypeSymbol type)
    {
        if (type.ContainingType is not null)
        {
            return Enumerable.Empty<INamedTypeSymbol>();
        }
        var owners = new List<INamedTypeSymbol>();
        foreach (var suffix in s_generatedTypeSuffixes)
        {
            if (type.Name.Length > suffix.Length && type.Name.EndsWith(suffix, System.StringComparison.Ordinal))
            {
                var prefix = type.Name.Substring(0, type.Name.Length - suffix.Length);
                owners.AddRange(type.ContainingNamespace.GetTypeMembers(prefix).Where(t => t.TypeKind is TypeKind.Class or TypeKind.Interface));
                owners.AddRange(type.ContainingNamespace.GetTypeMembers("I" + prefix).Where(t => t.TypeKind == TypeKind.Interface));
            }
        }
        return owners.Distinct<INamedTypeSymbol>(SymbolEqualityComparer.Default);
    }

    private static readonly string[] s_generatedTypeSuffixes = ClientTypes("").Concat(ScheduleTypes("")).ToArray();

    /// <summary>The first type declared in this compilation's sources in <paramref name="ns"/> with one of <paramref name="names"/> (any arity), or null.</summary>
    public static INamedTypeSymbol? FindSourceType(INamespaceSymbol ns, IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            foreach (var type in ns.GetTypeMembers(name))
            {
                if (type.Locations.Any(l => l.IsInSource && !IsGeneratorOutput(l.SourceTree)))
                {
                    return type;
                }
            }
        }
        return null;
    }

    /// <summary>
    /// Whether <paramref name="symbol"/> is declared only in files this generator wrote. The analyzer sees the
    /// generator's output (the generator never does), so the parsers leave generated members and types out when they
    /// look for names a user took.
    /// </summary>
    public static bool IsGenerated(ISymbol symbol) =>
        symbol.Locations.Length > 0 && symbol.Locations.All(l => l.IsInSource && IsGeneratorOutput(l.SourceTree));

    /// <summary>Whether <paramref name="tree"/> is a file of this generator (Roslyn places them under <c>{assembly}/{generator type}/</c>).</summary>
    public static bool IsGeneratorOutput(SyntaxTree? tree) =>
        tree is not null && System.IO.Path.GetFileName(System.IO.Path.GetDirectoryName(tree.FilePath)) == s_generatorFolder;

    private static readonly string s_generatorFolder = typeof(ActorGenerator).FullName!;

    /// <summary>
    /// Whether code outside the assembly can see <paramref name="type"/>: it, its containing types and its type
    /// arguments (array elements included) are all public.
    /// </summary>
    public static bool IsEffectivelyPublic(ITypeSymbol type)
    {
        switch (type)
        {
            case IArrayTypeSymbol array:
                return IsEffectivelyPublic(array.ElementType);
            case INamedTypeSymbol named:
                for (INamedTypeSymbol? current = named; current is not null; current = current.ContainingType)
                {
                    if (current.DeclaredAccessibility != Accessibility.Public)
                    {
                        return false;
                    }
                }
                return named.TypeArguments.All(IsEffectivelyPublic);
            default:
                return true;
        }
    }
}
