using Microsoft.CodeAnalysis;

namespace Rivet.Generators;

/// <summary>What a referenced class library of actors already declares (RIVET034, RIVET057-059).</summary>
internal static partial class Diagnostics
{
    public static readonly DiagnosticDescriptor AccessorTakenByReference = Rule("RIVET057",
        "A referenced assembly already declares this client accessor, so the actor's stays in its namespace",
        "client.{0} is already declared in the global namespace by the referenced assembly '{1}' (it returns '{2}'), so the accessor of '{3}' is {4}",
        DiagnosticSeverity.Info);

    public static readonly DiagnosticDescriptor ReferencedAccessorsClash = Rule("RIVET058",
        "Two referenced assemblies declare the same client accessor",
        "client.{0} is declared in the global namespace by both '{1}' (returning '{2}') and '{3}' (returning '{4}'), so client.{0} is ambiguous in this project: write 'new {2}(client)' or 'new {4}(client)'",
        DiagnosticSeverity.Info);

    public static readonly DiagnosticDescriptor ActorTypeTakenByReference = Rule("RIVET034",
        "An actor class of a referenced assembly has the same full name",
        "Actor class '{0}' has the same full name as the actor class '{0}' of the referenced assembly '{1}': here the name means only this project's class (the compiler's CS0436 on it and on each generated client type), so the referenced actor and its client cannot be named from this project; rename this class or move it to another namespace");

    public static readonly DiagnosticDescriptor ActorNameTakenByReference = Rule("RIVET059",
        "An actor of a referenced assembly has the same name",
        "Actor '{0}' is named '{1}', and so is '{2}' of the referenced assembly '{3}'; a host of this project registers both and fails at startup: set [Actor(\"name\")] on one of them");
}
