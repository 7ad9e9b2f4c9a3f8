using System;
using System.Text;

namespace Rivet.Generators.Helpers;

/// <summary>A small indented text writer for emitters (after System.Text.Json's SourceWriter).</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _sb = new();
    private int _indent;

    public int Indentation
    {
        get => _indent;
        set => _indent = value < 0 ? throw new ArgumentOutOfRangeException(nameof(value)) : value;
    }

    public SourceWriter WriteLine(string line = "")
    {
        if (line.Length == 0)
        {
            _sb.Append('\n');
            return this;
        }
        foreach (var part in line.Split('\n'))
        {
            if (part.Length > 0)
            {
                _sb.Append(' ', _indent * 4);
            }
            _sb.Append(part.TrimEnd('\r')).Append('\n');
        }
        return this;
    }

    /// <summary>Writes <paramref name="line"/> then <c>{</c>, and indents.</summary>
    public SourceWriter OpenBlock(string line)
    {
        WriteLine(line);
        WriteLine("{");
        _indent++;
        return this;
    }

    /// <summary>Unindents and writes <c>}</c> followed by <paramref name="suffix"/>.</summary>
    public SourceWriter CloseBlock(string suffix = "")
    {
        _indent--;
        WriteLine("}" + suffix);
        return this;
    }

    public override string ToString() => _sb.ToString();
}
