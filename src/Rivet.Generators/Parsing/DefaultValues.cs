using System;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Rivet.Generators.Parsing;

/// <summary>Turns a parameter's default value back into an exact, culture-invariant C# literal.</summary>
internal static class DefaultValues
{
    /// <summary>The C# expression of <paramref name="parameter"/>'s default, or null when it has none.</summary>
    public static string? Format(IParameterSymbol parameter, string typeName)
    {
        if (!parameter.IsOptional)
        {
            return null;
        }
        if (!parameter.HasExplicitDefaultValue)
        {
            // [Optional] without a value: the runtime passes default(T).
            return "default(" + typeName + ")";
        }
        var value = parameter.ExplicitDefaultValue;
        var type = parameter.Type;
        if (value is null)
        {
            return type.IsValueType && type.OriginalDefinition.SpecialType != SpecialType.System_Nullable_T
                ? "default(" + typeName + ")"
                : "null";
        }
        var underlying = type.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T && type is INamedTypeSymbol nullable
            ? nullable.TypeArguments[0]
            : type;
        if (underlying.TypeKind == TypeKind.Enum)
        {
            var number = Primitive(value);
            var enumName = underlying.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
            return number.StartsWith("-", StringComparison.Ordinal) ? $"({enumName})({number})" : $"({enumName}){number}";
        }
        return Primitive(value);
    }

    private static string Primitive(object value) => value switch
    {
        string s => SymbolDisplay.FormatLiteral(s, quote: true),
        char c => SymbolDisplay.FormatLiteral(c, quote: true),
        bool b => b ? "true" : "false",
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture) + "L",
        uint u => u.ToString(CultureInfo.InvariantCulture) + "U",
        ulong ul => ul.ToString(CultureInfo.InvariantCulture) + "UL",
        short sh => "(short)" + Parenthesize(sh.ToString(CultureInfo.InvariantCulture)),
        ushort us => "(ushort)" + us.ToString(CultureInfo.InvariantCulture),
        byte by => "(byte)" + by.ToString(CultureInfo.InvariantCulture),
        sbyte sb => "(sbyte)" + Parenthesize(sb.ToString(CultureInfo.InvariantCulture)),
        float f => Float(f),
        double d => Double(d),
        decimal m => m.ToString(CultureInfo.InvariantCulture) + "M",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "default",
    };

    private static string Parenthesize(string number) => number.StartsWith("-", StringComparison.Ordinal) ? "(" + number + ")" : number;

    private static string Float(float f)
    {
        if (float.IsNaN(f))
        {
            return "float.NaN";
        }
        if (float.IsPositiveInfinity(f))
        {
            return "float.PositiveInfinity";
        }
        if (float.IsNegativeInfinity(f))
        {
            return "float.NegativeInfinity";
        }
        return f.ToString("R", CultureInfo.InvariantCulture) + "F";
    }

    private static string Double(double d)
    {
        if (double.IsNaN(d))
        {
            return "double.NaN";
        }
        if (double.IsPositiveInfinity(d))
        {
            return "double.PositiveInfinity";
        }
        if (double.IsNegativeInfinity(d))
        {
            return "double.NegativeInfinity";
        }
        return d.ToString("R", CultureInfo.InvariantCulture) + "D";
    }
}
