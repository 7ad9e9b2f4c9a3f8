using Microsoft.CodeAnalysis.CSharp;

namespace Rivet.Generators.Parsing;

/// <summary>Wire names and identifier escaping.</summary>
internal static class Names
{
    /// <summary>
    /// camelCase as RivetKit clients spell names: the leading run of capitals is lowered, except the capital that
    /// starts the next word (<c>GetCount</c> → <c>getCount</c>, <c>URLFetch</c> → <c>urlFetch</c>, <c>ID</c> → <c>id</c>).
    /// Same rule as System.Text.Json's camelCase policy.
    /// </summary>
    public static string ToCamelCase(string name)
    {
        if (name.Length == 0 || !char.IsUpper(name[0]))
        {
            return name;
        }
        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (i == 1 && !char.IsUpper(chars[i]))
            {
                break;
            }
            var hasNext = i + 1 < chars.Length;
            if (i > 0 && hasNext && !char.IsUpper(chars[i + 1]))
            {
                break;
            }
            chars[i] = char.ToLowerInvariant(chars[i]);
        }
        return new string(chars);
    }

    /// <summary>The identifier as C# source: <c>@</c>-prefixed when it is a reserved keyword.</summary>
    public static string Escape(string identifier) =>
        SyntaxFacts.GetKeywordKind(identifier) != SyntaxKind.None ? "@" + identifier : identifier;
}
