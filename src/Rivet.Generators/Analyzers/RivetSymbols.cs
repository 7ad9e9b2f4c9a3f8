using Microsoft.CodeAnalysis;

namespace Rivet.Generators.Analyzers;

/// <summary>
/// Recognises Rivet's attributes and base classes by their metadata names (<c>Rivet.ActorAttribute</c>, …),
/// so the analyzers work whichever assembly defines them.
/// </summary>
internal static class RivetSymbols
{
    public const string ActorAttributeName = "ActorAttribute";
    public const string ActionAttributeName = "ActionAttribute";
    public const string EventAttributeName = "EventAttribute";
    public const string ActorClientAttributeName = "ActorClientAttribute";
    public const string ActorClassName = "Actor";

    /// <summary>True when <paramref name="type"/> is the top-level type <c>Rivet.{name}</c> with the given arity.</summary>
    public static bool IsRivetType(INamedTypeSymbol? type, string name, int arity = 0) =>
        type is { ContainingType: null }
        && type.Name == name
        && type.Arity == arity
        && type.ContainingNamespace is { Name: "Rivet", ContainingNamespace.IsGlobalNamespace: true };

    /// <summary>True when <paramref name="symbol"/> carries the attribute <c>Rivet.{attributeName}</c>.</summary>
    public static bool HasAttribute(ISymbol symbol, string attributeName) => FindAttribute(symbol, attributeName) is not null;

    /// <summary>The first application of <c>Rivet.{attributeName}</c> on <paramref name="symbol"/>, or null.</summary>
    public static AttributeData? FindAttribute(ISymbol symbol, string attributeName)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            if (IsRivetType(attribute.AttributeClass, attributeName))
            {
                return attribute;
            }
        }
        return null;
    }

    /// <summary>True when <paramref name="type"/> derives, directly or not, from <c>Rivet.Actor</c>.</summary>
    public static bool DerivesFromActor(INamedTypeSymbol type)
    {
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (IsRivetType(current.OriginalDefinition, ActorClassName))
            {
                return true;
            }
        }
        return false;
    }
}
