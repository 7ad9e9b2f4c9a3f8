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

    /// <summary>The first type declared in this compilation's sources in <paramref name="ns"/> with one of <paramref name="names"/> (any arity), or null.</summary>
    public static INamedTypeSymbol? FindSourceType(INamespaceSymbol ns, IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            foreach (var type in ns.GetTypeMembers(name))
            {
                if (type.Locations.Any(l => l.IsInSource))
                {
                    return type;
                }
            }
        }
        return null;
    }

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
