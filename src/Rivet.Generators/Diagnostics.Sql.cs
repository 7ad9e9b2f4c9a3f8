using Microsoft.CodeAnalysis;

namespace Rivet.Generators;

internal static partial class Diagnostics
{
    public static readonly DiagnosticDescriptor SqlBuiltFromValues = Rule("RIVET040",
        "SQL built from values instead of bound parameters",
        "This SQL is built with {0} from non-constant values, which splices them into the statement (SQL injection); use an interpolated statement ($\"… {{value}} …\") so every value is a bound parameter",
        DiagnosticSeverity.Warning);
}
