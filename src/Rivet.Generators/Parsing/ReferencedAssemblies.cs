using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Rivet.Generators.Helpers;

namespace Rivet.Generators.Parsing;

/// <summary>
/// What the assemblies this one references (class libraries of actors) generated that this one must know about: the
/// <c>client.X</c> accessors they declare in the global namespace, their registration entry points and actor names.
/// </summary>
/// <remarks>
/// Cheap on every edit: the referenced assembly symbols are reused across compilations, and assemblies that do not
/// reference Rivet.Sdk are skipped by their reference list; the result is compared by value, so nothing downstream
/// re-runs unless a reference changed.
/// </remarks>
internal static class ReferencedAssemblies
{
    private const string ExtensionsSuffix = "ClientExtensions";

    /// <summary>The namespace of the public registration entry points (<see cref="Emitting.RegistrationEmitter"/>).</summary>
    public const string RegistrationNamespace = "Rivet.Generated.ActorAssemblies";

    public static ReferencedRivet Find(Compilation compilation, CancellationToken cancellationToken)
    {
        var accessors = new List<ReferencedAccessor>();
        var registrations = new List<string>();
        var actorNames = new List<ReferencedActorName>();
        foreach (var assembly in compilation.SourceModule.ReferencedAssemblySymbols)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!assembly.Modules.Any(m => m.ReferencedAssemblies.Any(r => r.Name == "Rivet.Sdk")))
            {
                continue;
            }
            AddAccessors(compilation, assembly, accessors);
            if (Namespace(assembly.GlobalNamespace, RegistrationNamespace) is { } entries)
            {
                foreach (var entry in entries.GetTypeMembers().Where(t => t.IsStatic && IsRivetGenerated(t) && compilation.IsSymbolAccessibleWithin(t, compilation.Assembly)
                    && t.GetMembers("Register").OfType<IMethodSymbol>().Any(m => m.IsStatic && m.Parameters.Length == 0)))
                {
                    registrations.Add(entry.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat));
                    foreach (var field in entry.GetMembers().OfType<IFieldSymbol>())
                    {
                        if (field.Name.StartsWith(Emitting.RegistrationEmitter.ActorNameField, StringComparison.Ordinal)
                            && field.ConstantValue is string value && value.LastIndexOf('\n') is var split and > 0)
                        {
                            actorNames.Add(new ReferencedActorName(value.Substring(0, split), value.Substring(split + 1), assembly.Identity.Name));
                        }
                    }
                }
            }
        }
        return new ReferencedRivet(
            compilation.AssemblyName ?? "",
            accessors.OrderBy(a => a.Name, StringComparer.Ordinal).ThenBy(a => a.Assembly, StringComparer.Ordinal).ToEquatableArray(),
            registrations.OrderBy(r => r, StringComparer.Ordinal).ToEquatableArray(),
            actorNames.OrderBy(n => n.ActorName, StringComparer.Ordinal).ThenBy(n => n.ClassName, StringComparer.Ordinal).ToEquatableArray());
    }

    /// <summary>Every visible generated <c>{Name}ClientExtensions</c> class in the global namespace of <paramref name="assembly"/>.</summary>
    private static void AddAccessors(Compilation compilation, IAssemblySymbol assembly, List<ReferencedAccessor> found)
    {
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

    private static INamespaceSymbol? Namespace(INamespaceSymbol root, string dotted)
    {
        var current = root;
        foreach (var part in dotted.Split('.'))
        {
            current = current.GetNamespaceMembers().FirstOrDefault(n => n.Name == part);
            if (current is null)
            {
                return null;
            }
        }
        return current;
    }

    private static bool IsRivetGenerated(INamedTypeSymbol type) =>
        type.GetAttributes().Any(a => a.AttributeClass is { Name: "GeneratedCodeAttribute" }
            && a.ConstructorArguments.Length > 0 && a.ConstructorArguments[0].Value is "Rivet.Generators");
}

/// <summary>What the generator needs to know about the compilation's own name and its references.</summary>
/// <param name="AssemblyName">This assembly's name (its registration entry point is named after it).</param>
/// <param name="Accessors">The accessors referenced assemblies declare in the global namespace.</param>
/// <param name="Registrations">The registration entry points of referenced assemblies, as C# type names.</param>
/// <param name="ActorNames">The actor names of referenced assemblies (RIVET059).</param>
internal sealed record ReferencedRivet(string AssemblyName, EquatableArray<ReferencedAccessor> Accessors, EquatableArray<string> Registrations,
    EquatableArray<ReferencedActorName> ActorNames);

/// <summary>An actor of a referenced assembly.</summary>
/// <param name="ActorName">Its name on the wire.</param>
/// <param name="ClassName">Its class, as C# source without <c>global::</c>.</param>
/// <param name="Assembly">The referenced assembly's name.</param>
internal sealed record ReferencedActorName(string ActorName, string ClassName, string Assembly);

/// <summary>A <c>client.{Name}</c> accessor declared in the global namespace by a referenced assembly.</summary>
/// <param name="Name">The property name.</param>
/// <param name="Assembly">The referenced assembly's name.</param>
/// <param name="AccessorType">The accessor type it returns, as C# source (<c>global::Shop.Actors.CounterAccessor</c>).</param>
internal sealed record ReferencedAccessor(string Name, string Assembly, string AccessorType);
