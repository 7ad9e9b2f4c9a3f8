using Microsoft.CodeAnalysis;

namespace Rivet.Generators;

internal static partial class Diagnostics
{
    public static readonly DiagnosticDescriptor AccessorNotInGlobalNamespace = Rule("RIVET056",
        "Two actors share a class name, so their client accessors stay in their namespaces",
        "'{0}' and '{1}' both generate client.{2}, so neither is declared in the global namespace, where every file finds it: {3}",
        DiagnosticSeverity.Info);

    public static readonly DiagnosticDescriptor AccessorTakenByReference = Rule("RIVET057",
        "A referenced assembly already declares this client accessor, so the actor's stays in its namespace",
        "client.{0} is already declared in the global namespace by the referenced assembly '{1}' (it returns '{2}'), so the accessor of '{3}' is {4}",
        DiagnosticSeverity.Info);

    public static readonly DiagnosticDescriptor ReferencedAccessorsClash = Rule("RIVET058",
        "Two referenced assemblies declare the same client accessor",
        "client.{0} is declared in the global namespace by both '{1}' (returning '{2}') and '{3}' (returning '{4}'), so client.{0} is ambiguous in this project: write 'new {2}(client)' or 'new {4}(client)'",
        DiagnosticSeverity.Info);
}
