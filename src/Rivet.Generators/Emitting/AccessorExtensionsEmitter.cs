using System;
using System.Collections.Generic;
using System.Linq;
using Rivet.Generators.Helpers;
using Rivet.Generators.Model;
using Rivet.Generators.Parsing;
using static Rivet.Generators.Emitting.EmitHelpers;

namespace Rivet.Generators.Emitting;

/// <summary>
/// Emits <c>RivetClientAccessors.g.cs</c>: the <c>client.Counter</c> extension properties (C# 14) of every actor and
/// actor-client interface of the assembly. They live in the global namespace, which every file sees, so
/// <c>host.Client.Counter</c> works without a <c>using</c> of the actor's namespace (or of <c>Rivet</c>: a file
/// that only has <c>using Rivet.Hosting;</c> reaches the client too). When two of them share a name (<c>Chat.Room</c>
/// and <c>Games.Room</c>), neither property goes there (it would be ambiguous everywhere): each stays in its actor's
/// namespace, and RIVET056 says how to reach it. The same happens when a referenced assembly (a class library of actors)
/// already declares the name there (RIVET057): the referenced one keeps <c>client.Counter</c>.
/// </summary>
internal static class AccessorExtensionsEmitter
{
    public const string HintName = "RivetClientAccessors.g.cs";

    /// <summary>The accessor of an actor whose client is generated.</summary>
    public static ClientAccessor ForActor(ActorModel actor) =>
        new(actor.Namespace, actor.ClassName, actor.IsPublic, actor.ActorName, actor.FullyQualifiedName);

    /// <summary>The accessor of an actor-client interface whose client is generated.</summary>
    public static ClientAccessor ForClient(ActorClientModel client) =>
        new(client.Namespace, client.ClientName, client.IsPublic, client.ActorName, client.FullyQualifiedName);

    /// <summary>The accessor names more than one actor or client takes (compared as C# does, case-sensitively).</summary>
    public static HashSet<string> SharedNames(IEnumerable<string> names) =>
        new(names.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key), StringComparer.Ordinal);

    /// <param name="accessors">Every generated client of the assembly, in a deterministic order.</param>
    /// <param name="referenced">The names referenced assemblies already declare in the global namespace (RIVET057).</param>
    /// <returns>The file, or null when no accessor is left to declare.</returns>
    public static string? Emit(IReadOnlyList<ClientAccessor> accessors, IReadOnlyCollection<ReferencedAccessor> referenced)
    {
        var shared = SharedNames(accessors.Select(a => a.Name));
        var taken = new HashSet<string>(referenced.Select(r => r.Name), StringComparer.Ordinal);
        // A global-namespace actor whose name a referenced assembly took has no namespace of its own to go to.
        var declared = accessors.Where(a => !(taken.Contains(a.Name) && a.Namespace.Length == 0)).ToList();
        if (declared.Count == 0)
        {
            return null;
        }
        var w = StartFile();
        var first = true;
        // One namespace block per target namespace, in order: the global one for the unique names, the own one for the others.
        foreach (var group in declared.GroupBy(a => shared.Contains(a.Name) || taken.Contains(a.Name) ? a.Namespace : "").OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            if (!first)
            {
                w.WriteLine();
            }
            first = false;
            var hasNamespace = OpenNamespace(w, group.Key);
            var firstInNamespace = true;
            foreach (var accessor in group)
            {
                if (!firstInNamespace)
                {
                    w.WriteLine();
                }
                firstInNamespace = false;
                EmitExtension(w, accessor);
            }
            if (hasNamespace)
            {
                w.CloseBlock();
            }
        }
        return w.ToString();
    }

    private static void EmitExtension(SourceWriter w, ClientAccessor accessor)
    {
        var qualifiedPrefix = accessor.Namespace.Length == 0 ? "global::" : "global::" + accessor.Namespace + ".";
        var type = qualifiedPrefix + accessor.Name + "Accessor";
        w.WriteLine($"/// <summary>Adds <c>client.{Xml(accessor.Name)}</c> to <see cref=\"global::Rivet.RivetClient\"/>.</summary>");
        w.WriteLine(GeneratedCodeAttribute);
        w.OpenBlock($"{(accessor.IsPublic ? "public" : "internal")} static class {accessor.Name}ClientExtensions");
        w.WriteLine("/// <summary>Typed access to actors from a client.</summary>");
        w.WriteLine("/// <param name=\"client\">The client.</param>");
        w.OpenBlock("extension(global::Rivet.RivetClient client)");
        w.WriteLine($"/// <summary>The <c>{Xml(accessor.ActorName)}</c> actors (<see cref=\"{Xml(accessor.Cref)}\"/>).</summary>");
        w.WriteLine($"public {type} {Names.Escape(accessor.Name)} => new {type}(client);");
        w.CloseBlock();
        w.CloseBlock();
    }

    /// <summary>Where the accessor of <paramref name="accessor"/> went when a referenced assembly took its name (RIVET057's advice).</summary>
    public static string WhereItWent(ClientAccessor accessor) => accessor.Namespace.Length == 0
        ? $"not declared (the actor is in the global namespace): write 'new global::{accessor.Name}Accessor(client)'"
        : $"declared in namespace {accessor.Namespace}, where code in that namespace finds it as client.{accessor.Name}; elsewhere write 'new global::{accessor.Namespace}.{accessor.Name}Accessor(client)'";

    /// <summary>How to reach the accessor of <paramref name="ns"/>.<paramref name="name"/> when it is not in the global namespace (RIVET056's advice).</summary>
    public static string HowToReach(string ns, string name) => ns.Length == 0
        ? $"it is in the global namespace; from a namespace that has its own '{name}' extension, write 'new global::{name}Accessor(client)'"
        : $"add 'using {ns};' for client.{name}, or write 'new global::{ns}.{name}Accessor(client)'";
}

/// <summary>What the <c>client.{Name}</c> extension property of one actor or actor-client interface needs.</summary>
/// <param name="Namespace">The namespace of the generated accessor type ("" for the global namespace).</param>
/// <param name="Name">The property name: the actor class name or the client name.</param>
/// <param name="IsPublic">Public, else internal.</param>
/// <param name="ActorName">The actor name on the wire, for the docs.</param>
/// <param name="Cref">The actor class or client interface as C# source, for the docs.</param>
internal sealed record ClientAccessor(string Namespace, string Name, bool IsPublic, string ActorName, string Cref);
