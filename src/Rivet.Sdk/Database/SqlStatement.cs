using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Text;

namespace Rivet;

/// <summary>
/// A SQL statement with its parameters, safe by construction: in an interpolated string every hole becomes a bound
/// parameter (<c>?</c>), never text, so <c>$"insert into msgs(text) values ({text})"</c> binds <c>text</c>. A hole
/// holding another <see cref="SqlStatement"/> splices that fragment with its own parameters.
/// </summary>
/// <remarks>
/// Parameter values: <see langword="null"/>, integers, <see cref="bool"/> (0/1), enums (their number),
/// <see cref="float"/>/<see cref="double"/>, <see cref="string"/>, <see cref="char"/>, <c>byte[]</c> and
/// <see cref="ReadOnlyMemory{T}"/> of bytes (blobs), <see cref="decimal"/>, <see cref="Guid"/>,
/// <see cref="DateTime"/> and <see cref="DateTimeOffset"/> (stored as invariant text: ISO 8601 for times).
/// A plain <see cref="string"/> converts implicitly for constant SQL; building SQL text from values with <c>+</c> or
/// <see cref="string.Format(string, object?)"/> defeats the binding, and analyzer RIVET040 reports it.
/// </remarks>
[InterpolatedStringHandler]
public struct SqlStatement
{
    private readonly StringBuilder? _builder;
    private readonly string? _text;
    private List<object?>? _parameters;

    /// <summary>Called by the compiler for an interpolated string.</summary>
    public SqlStatement(int literalLength, int formattedCount)
    {
        _builder = new StringBuilder(literalLength + formattedCount);
        _parameters = formattedCount == 0 ? null : new List<object?>(formattedCount);
    }

    private SqlStatement(string text, List<object?>? parameters)
    {
        _text = text;
        _parameters = parameters;
    }

    /// <summary>The SQL text, with a <c>?</c> for each parameter.</summary>
    public readonly string Text => _builder?.ToString() ?? _text ?? "";

    /// <summary>The bound parameter values, in order (normalized: <see langword="null"/>, <see cref="long"/>, <see cref="double"/>, <see cref="string"/> or <c>byte[]</c>).</summary>
    public readonly IReadOnlyList<object?> Parameters => _parameters ?? (IReadOnlyList<object?>)[];

    /// <summary>Appends literal SQL text (called by the compiler).</summary>
    public readonly void AppendLiteral(string value) => _builder!.Append(value);

    /// <summary>Binds <paramref name="value"/> as a parameter (called by the compiler for each hole).</summary>
    /// <exception cref="ArgumentException">A value of a type SQLite cannot store.</exception>
    public void AppendFormatted<T>(T value)
    {
        _builder!.Append('?');
        (_parameters ??= []).Add(SqlValues.ToParameter(value, _parameters.Count));
    }

    /// <summary>Splices a statement fragment with its own parameters (called by the compiler for a hole holding one).</summary>
    public void AppendFormatted(SqlStatement fragment)
    {
        _builder!.Append(fragment.Text);
        if (fragment.Parameters.Count > 0)
        {
            (_parameters ??= []).AddRange(fragment.Parameters);
        }
    }

    /// <summary>Constant SQL without parameters.</summary>
    public static implicit operator SqlStatement(string sql) => new(sql ?? throw new ArgumentNullException(nameof(sql)), null);

    /// <summary>SQL text with <c>?</c> placeholders and the values to bind to them, in order.</summary>
    /// <exception cref="ArgumentException">A value of a type SQLite cannot store.</exception>
    public static SqlStatement Raw(string sql, params object?[] parameters)
    {
        ArgumentNullException.ThrowIfNull(sql);
        ArgumentNullException.ThrowIfNull(parameters);
        var list = new List<object?>(parameters.Length);
        foreach (var p in parameters)
        {
            list.Add(SqlValues.ToParameter(p, list.Count));
        }
        return new SqlStatement(sql, list);
    }

    /// <summary>The SQL text and the number of parameters (values are left out: they may be secrets).</summary>
    public override readonly string ToString() => $"{Text} ({Parameters.Count} parameters)";
}
