using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Rivet.Generators.Helpers;

namespace Rivet.Generators.Parsing;

/// <summary>
/// The <c>client.X</c> accessors that referenced assemblies (class libraries of actors) already declare in the global
/// namespace and this assembly can see. An own actor with the same name would make <c>client.X</c> ambiguous in every
/// file (CS9339), so its accessor moves to its own namespace (RIVET057); two referenced ones get RIVET058.
/// </summary>
internal static class ReferencedAccessors
{
    private const string ExtensionsSuffix = "ClientExtensions";

    /// <summary>
    /// Every visible generated <c>{Name}ClientExtensions</c> class in the global namespace of a referenced assembly that
    /// references Rivet.Sdk, ordered by name and assembly. Cheap on every edit: the referenced assembly symbols are
    /// reused across compilations, and assemblies without Rivet.Sdk are skipped by their reference list.
    /// </summary>
    public static EquatableArray<ReferencedAccessor> Find(Compilation compilation, CancellationToken cancellationToken)
    {
        var found = new List<ReferencedAccessor>();
        foreach (var assembly in compilation.SourceModule.ReferencedAssemblySymbols)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!assembly.Modules.Any(m => m.ReferencedAssemblies.Any(r => r.Name == "Rivet.Sdk")))
            {
                continue;
            }
            foreach (var type in assembly.GlobalNamespace.GetTypeMembers())
            {
                if (type.IsStatic && type.Name.Length > ExtensionsSuffix.Length && type.Name.EndsWith(ExtensionsSuffix, StringComparison.Ordinal)
                    && IsRivetGenerated(type) && compilation.IsSymbolAccessibleWithin(type, compilation.Assembly))
                {
                    var name = type.Name.Substring(0, type.Name.Length - ExtensionsSuffix.Length);
                    // The extension property compiles to a static getter on the class; its return type is the accessor.
                    var accessor = type.GetMembers("get_" + name).OfType<IMethodSymbol>().FirstOrDefault()?.ReturnType;
                    var accessorType = accessor?.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) ?? "global::" + name + "Accessor";
                    found.Add(new ReferencedAccessor(name, assembly.Identity.Name, accessorType));
                }
            }
        }
        return found.OrderBy(a => a.Name, StringComparer.Ordinal).ThenBy(a => a.Assembly, StringComparer.Ordinal).ToEquatableArray();
    }

    private static bool IsRivetGenerated(INamedTypeSymbol type) =>
        type.GetAttributes().Any(a => a.AttributeClass is { Name: "GeneratedCodeAttribute" }
            && a.ConstructorArguments.Length > 0 && a.ConstructorArguments[0].Value is "Rivet.Generators");
}

/// <summary>A <c>client.{Name}</c> accessor declared in the global namespace by a referenced assembly.</summary>
/// <param name="Name">The property name.</param>
/// <param name="Assembly">The referenced assembly's name.</param>
/// <param name="AccessorType">The accessor type it returns, as C# source (<c>global::Shop.Actors.CounterAccessor</c>).</param>
internal sealed record ReferencedAccessor(string Name, string Assembly, string AccessorType);
