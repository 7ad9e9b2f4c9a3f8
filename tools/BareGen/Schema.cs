using System;
using System.Collections.Generic;
using System.Linq;

namespace Rivet.Tools.BareGen;

/// <summary>A type expression: a primitive, a reference to a named type, or optional/list/map/fixed data.</summary>
internal abstract record TypeRef;
internal sealed record PrimitiveRef(string Name) : TypeRef;          // u8 … i64, uint, int, bool, str, data, f32, f64
internal sealed record FixedDataRef(int Length) : TypeRef;          // data[N]
internal sealed record NamedRef(string Name) : TypeRef;
internal sealed record OptionalRef(TypeRef Inner) : TypeRef;
internal sealed record ListRef(TypeRef Element) : TypeRef;
internal sealed record MapRef(TypeRef Key, TypeRef Value) : TypeRef;

/// <summary>A named declaration of the schema.</summary>
internal abstract record Declaration(string Name);
internal sealed record StructDecl(string Name, IReadOnlyList<(string Name, TypeRef Type)> Fields) : Declaration(Name);
internal sealed record UnionDecl(string Name, IReadOnlyList<string> Members) : Declaration(Name);
internal sealed record EnumDecl(string Name, IReadOnlyList<string> Values) : Declaration(Name);
internal sealed record VoidDecl(string Name) : Declaration(Name);
internal sealed record AliasDecl(string Name, TypeRef Target) : Declaration(Name);

/// <summary>Parses the subset of the BARE schema language the Rivet protocols use (with '#' comments).</summary>
internal sealed class SchemaParser
{
    private static readonly HashSet<string> s_primitives = ["u8", "u16", "u32", "u64", "i8", "i16", "i32", "i64", "uint", "int", "bool", "str", "data", "f32", "f64"];
    private readonly List<string> _tokens;
    private int _position;

    private SchemaParser(string text) => _tokens = Tokenize(text);

    public static IReadOnlyList<Declaration> Parse(string text)
    {
        var parser = new SchemaParser(text);
        var declarations = new List<Declaration>();
        while (parser._position < parser._tokens.Count)
        {
            declarations.Add(parser.ParseDeclaration());
        }
        var names = new HashSet<string>();
        foreach (var d in declarations)
        {
            if (!names.Add(d.Name))
            {
                throw new FormatException($"Type '{d.Name}' is declared twice.");
            }
        }
        return declarations;
    }

    private Declaration ParseDeclaration()
    {
        Expect("type");
        var name = Next();
        switch (Peek())
        {
            case "struct":
                Next();
                Expect("{");
                var fields = new List<(string, TypeRef)>();
                while (Peek() != "}")
                {
                    var field = Next();
                    Expect(":");
                    fields.Add((field, ParseType()));
                }
                Expect("}");
                return new StructDecl(name, fields);
            case "union":
                Next();
                Expect("{");
                var members = new List<string> { Next() };
                while (Peek() == "|")
                {
                    Next();
                    members.Add(Next());
                }
                Expect("}");
                return new UnionDecl(name, members);
            case "enum":
                Next();
                Expect("{");
                var values = new List<string>();
                while (Peek() != "}")
                {
                    values.Add(Next());
                }
                Expect("}");
                return new EnumDecl(name, values);
            case "void":
                Next();
                return new VoidDecl(name);
            default:
                return new AliasDecl(name, ParseType());
        }
    }

    private TypeRef ParseType()
    {
        var token = Next();
        switch (token)
        {
            case "optional":
                return new OptionalRef(ParseAngled());
            case "list":
                return new ListRef(ParseAngled());
            case "map":
                var key = ParseAngled();
                return new MapRef(key, ParseAngled());
            case "data" when Peek() == "[":
                Next();
                var length = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture);
                Expect("]");
                return new FixedDataRef(length);
            default:
                return s_primitives.Contains(token) ? new PrimitiveRef(token) : new NamedRef(token);
        }
    }

    private TypeRef ParseAngled()
    {
        Expect("<");
        var inner = ParseType();
        Expect(">");
        return inner;
    }

    private string Peek() => _position < _tokens.Count ? _tokens[_position] : throw new FormatException("Unexpected end of schema.");

    private string Next()
    {
        var token = Peek();
        _position++;
        return token;
    }

    private void Expect(string token)
    {
        var actual = Next();
        if (actual != token)
        {
            throw new FormatException($"Expected '{token}' but found '{actual}' (token {_position}).");
        }
    }

    private static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '#')
            {
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }
            }
            else if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if ("{}<>[]|:".Contains(c))
            {
                tokens.Add(c.ToString());
                i++;
            }
            else if (char.IsLetterOrDigit(c) || c == '_')
            {
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }
                tokens.Add(text[start..i]);
            }
            else
            {
                throw new FormatException($"Unexpected character '{c}' at offset {i}.");
            }
        }
        return tokens;
    }
}
