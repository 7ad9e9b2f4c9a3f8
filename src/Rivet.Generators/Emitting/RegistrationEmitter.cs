using System.Collections.Generic;
using System.Linq;
using Rivet.Generators.Model;
using Rivet.Generators.Parsing;
using static Rivet.Generators.Emitting.EmitHelpers;

namespace Rivet.Generators.Emitting;

/// <summary>
/// Emits <c>RivetActorRegistration.g.cs</c>: the list of the assembly's actor definitions and a module initializer
/// that adds them to <c>ActorRegistry.Default</c> when the assembly loads. A referenced class library of actors loads
/// only when one of its types is first used, which on a runner may be never (the engine starts its actors by name),
/// so every assembly also has a public entry point, <c>Rivet.Generated.ActorAssemblies.{AssemblyName}.Register()</c>,
/// and the module initializer of an assembly that references such libraries calls theirs first.
/// </summary>
internal static class RegistrationEmitter
{
    public const string HintName = "RivetActorRegistration.g.cs";

    /// <summary>The prefix of the entry point's constants holding "{actor name}\n{class}".</summary>
    public const string ActorNameField = "ActorName";

    /// <param name="actors">The actors to register, already in a deterministic order.</param>
    /// <param name="assemblyName">This assembly's name: its entry point's class name.</param>
    /// <param name="referenced">The entry points of referenced assemblies, as C# type names, in a deterministic order.</param>
    public static string Emit(IReadOnlyList<ActorModel> actors, string assemblyName, IReadOnlyList<string> referenced)
    {
        var w = StartFile();
        w.OpenBlock("namespace Rivet.Generated");
        w.WriteLine("/// <summary>Registers this assembly's actors with <see cref=\"global::Rivet.Runtime.ActorRegistry.Default\"/>.</summary>");
        w.WriteLine(GeneratedCodeAttribute);
        w.WriteLine(EditorBrowsableNever);
        w.OpenBlock("internal static class RivetActorRegistration");
        w.WriteLine("/// <summary>The definitions of every actor in this assembly, ordered by class name.</summary>");
        w.WriteLine("public static global::System.Collections.Generic.IReadOnlyList<global::Rivet.Runtime.ActorDefinition> Definitions { get; } = new global::Rivet.Runtime.ActorDefinition[]");
        w.WriteLine("{");
        w.Indentation++;
        foreach (var actor in actors)
        {
            w.WriteLine($"Of<{actor.FullyQualifiedName}>(),");
        }
        w.Indentation--;
        w.WriteLine("};");
        w.WriteLine();
        w.WriteLine("#pragma warning disable CA2255 // Registering generated actors is what module initializers are for.");
        w.WriteLine("/// <summary>Adds <see cref=\"Definitions\"/> (after those of the referenced assemblies) to the default registry; runs when the assembly loads.</summary>");
        w.WriteLine("[global::System.Runtime.CompilerServices.ModuleInitializer]");
        if (referenced.Count == 0)
        {
            w.WriteLine("internal static void Register() => global::Rivet.Runtime.ActorRegistry.Default.Add(Definitions);");
        }
        else
        {
            w.OpenBlock("internal static void Register()");
            foreach (var entry in referenced)
            {
                w.WriteLine($"{entry}.Register();");
            }
            w.WriteLine("global::Rivet.Runtime.ActorRegistry.Default.Add(Definitions);");
            w.CloseBlock();
        }
        w.WriteLine("#pragma warning restore CA2255");
        w.WriteLine();
        w.WriteLine("private static global::Rivet.Runtime.ActorDefinition Of<T>() where T : global::Rivet.Runtime.IGeneratedActor => T.Definition;");
        w.CloseBlock();
        w.CloseBlock();
        w.WriteLine();
        w.OpenBlock("namespace " + ReferencedAssemblies.RegistrationNamespace);
        w.WriteLine($"/// <summary>Registers the actors of assembly <c>{Xml(assemblyName)}</c> (and of the assemblies it references); called by the assemblies that reference it.</summary>");
        w.WriteLine(GeneratedCodeAttribute);
        w.WriteLine(EditorBrowsableNever);
        w.OpenBlock($"public static class {EntryPointName(assemblyName)}");
        w.WriteLine("/// <summary>Adds this assembly's actors to the default registry (again: registering is idempotent).</summary>");
        w.WriteLine("public static void Register() => global::Rivet.Generated.RivetActorRegistration.Register();");
        // The actor names, read by the generator of a referencing assembly to report a name taken twice (RIVET059).
        for (var i = 0; i < actors.Count; i++)
        {
            w.WriteLine($"/// <summary>Actor name and class of actor {i}.</summary>");
            w.WriteLine($"public const string {ActorNameField}{i} = {Literal(actors[i].ActorName + "\n" + actors[i].FullyQualifiedName.Replace("global::", ""))};");
        }
        w.CloseBlock();
        w.CloseBlock();
        return w.ToString();
    }

    /// <summary>The assembly name as an identifier: <c>Shop.Actors</c> gives <c>Shop_Actors</c>.</summary>
    public static string EntryPointName(string assemblyName)
    {
        var chars = assemblyName.Select(c => char.IsLetterOrDigit(c) || c == '_' ? c : '_').ToArray();
        var name = new string(chars);
        return name.Length == 0 || char.IsDigit(name[0]) ? "_" + name : Names.Escape(name);
    }
}
