using System.Collections.Generic;
using Rivet.Generators.Model;
using static Rivet.Generators.Emitting.EmitHelpers;

namespace Rivet.Generators.Emitting;

/// <summary>
/// Emits <c>RivetActorRegistration.g.cs</c>: the list of the assembly's actor definitions and a module initializer
/// that adds them to <c>ActorRegistry.Default</c> when the assembly loads.
/// </summary>
internal static class RegistrationEmitter
{
    public const string HintName = "RivetActorRegistration.g.cs";

    /// <param name="actors">The actors to register, already in a deterministic order.</param>
    public static string Emit(IReadOnlyList<ActorModel> actors)
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
        w.WriteLine("/// <summary>Adds <see cref=\"Definitions\"/> to the default registry; runs when the assembly loads.</summary>");
        w.WriteLine("[global::System.Runtime.CompilerServices.ModuleInitializer]");
        w.WriteLine("internal static void Register() => global::Rivet.Runtime.ActorRegistry.Default.Add(Definitions);");
        w.WriteLine("#pragma warning restore CA2255");
        w.WriteLine();
        w.WriteLine("private static global::Rivet.Runtime.ActorDefinition Of<T>() where T : global::Rivet.Runtime.IGeneratedActor => T.Definition;");
        w.CloseBlock();
        w.CloseBlock();
        return w.ToString();
    }
}
