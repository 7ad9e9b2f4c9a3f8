using Microsoft.CodeAnalysis;

namespace Rivet.Generators;

internal static partial class Diagnostics
{
    public static readonly DiagnosticDescriptor AccessorNotInGlobalNamespace = Rule("RIVET056",
        "Two actors share a class name, so their client accessors stay in their namespaces",
        "'{0}' and '{1}' both generate client.{2}, so neither is declared in the global namespace, where every file finds it: {3}",
        DiagnosticSeverity.Info);
}
