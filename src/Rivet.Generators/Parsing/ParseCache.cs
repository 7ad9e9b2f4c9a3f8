using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Rivet.Generators.Parsing;

/// <summary>
/// Skips re-parsing an actor or actor client after an edit that cannot change its result.
/// </summary>
/// <remarks>
/// <para>The generator's syntax provider calls the parse transform for every matched declaration whenever the
/// compilation changes, although an edit inside one method body changes nothing any other actor's model depends on.
/// The models depend only on declarations (types, member signatures, attributes, constant and field initializers,
/// usings, directives), never on member bodies, and carry no positions (diagnostics are the analyzer's).</para>
/// <para>So a result is reused when (1) the declaration node is the same instance (its syntax tree is unchanged) and
/// (2) the compilation is equivalent: the same declarations in every tree (a hash of each tree's text without member
/// bodies), the same references and options. The check binds nothing: a reused result costs no symbol of the new
/// compilation. Any declaration edit anywhere re-parses everything, as before.</para>
/// </remarks>
internal static class ParseCache
{
    private static readonly ConditionalWeakTable<SyntaxTree, byte[]> s_treeHashes = new();
    private static readonly ConditionalWeakTable<Compilation, Epoch> s_epochs = new();
    private static readonly ConditionalWeakTable<SyntaxNode, Slot> s_results = new();

    /// <summary>Raised after a declaration was parsed rather than taken from the cache (for tests).</summary>
    internal static event Action<SyntaxNode>? Parsed;

    /// <summary>The cached result for <paramref name="node"/> when still valid in <paramref name="compilation"/>; otherwise <paramref name="parse"/>'s, cached.</summary>
    public static T GetOrParse<T>(SyntaxNode node, Compilation compilation, Func<T> parse, CancellationToken cancellationToken)
        where T : class
    {
        var epoch = s_epochs.GetValue(compilation, c => Epoch.Create(c, cancellationToken));
        var slot = s_results.GetValue(node, static _ => new Slot());
        if (Volatile.Read(ref slot.Entry) is { Result: T cached } entry && epoch.IsEquivalentTo(entry.Epoch))
        {
            return cached;
        }
        var result = parse();
        Parsed?.Invoke(node);
        Volatile.Write(ref slot.Entry, new Entry(result, epoch));
        return result;
    }

    /// <summary>The last result for one declaration node (replaced, never removed: it lives as long as the node).</summary>
    private sealed class Slot
    {
        public Entry? Entry;
    }

    private sealed record Entry(object Result, Epoch Epoch);

    /// <summary>What a compilation's parse results depend on besides the parsed declaration itself.</summary>
    private sealed class Epoch
    {
        private readonly byte[] _declarations;
        private readonly ImmutableArray<MetadataReference> _references;
        private readonly CompilationOptions _options;
        private readonly string? _assemblyName;

        private Epoch(byte[] declarations, ImmutableArray<MetadataReference> references, CompilationOptions options, string? assemblyName)
        {
            _declarations = declarations;
            _references = references;
            _options = options;
            _assemblyName = assemblyName;
        }

        public static Epoch Create(Compilation compilation, CancellationToken cancellationToken)
        {
            var combined = new List<byte>();
            foreach (var tree in compilation.SyntaxTrees)
            {
                combined.AddRange(Encoding.UTF8.GetBytes(tree.FilePath));
                combined.Add(0);
                combined.AddRange(s_treeHashes.GetValue(tree, t => HashDeclarations(t, cancellationToken)));
            }
            using var sha = SHA256.Create();
            return new Epoch(sha.ComputeHash(combined.ToArray()), compilation.References.ToImmutableArray(), compilation.Options, compilation.AssemblyName);
        }

        /// <summary>The last epoch found equivalent: the cached results of most actors share one, so it is compared once per compilation.</summary>
        private Epoch? _equivalent;

        /// <summary>Same declarations, references (the same instances) and options.</summary>
        public bool IsEquivalentTo(Epoch other)
        {
            if (ReferenceEquals(this, other) || ReferenceEquals(Volatile.Read(ref _equivalent), other))
            {
                return true;
            }
            var equivalent = _declarations.SequenceEqual(other._declarations)
                && _assemblyName == other._assemblyName
                && _options.Equals(other._options)
                && _references.Length == other._references.Length
                && _references.Zip(other._references, ReferenceEquals).All(same => same);
            if (equivalent)
            {
                Volatile.Write(ref _equivalent, other);
            }
            return equivalent;
        }
    }

    /// <summary>A hash of the tree's tokens and directives with every member body replaced by a marker, plus its parse options.</summary>
    private static byte[] HashDeclarations(SyntaxTree tree, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        if (tree.Options is CSharpParseOptions options)
        {
            text.Append(options.LanguageVersion).Append('|').Append(string.Join(",", options.PreprocessorSymbolNames)).Append('|');
        }
        Append(tree.GetRoot(cancellationToken), text);
        using var sha = SHA256.Create();
        return sha.ComputeHash(Encoding.UTF8.GetBytes(text.ToString()));
    }

    private static void Append(SyntaxNode node, StringBuilder text)
    {
        foreach (var child in node.ChildNodesAndTokens())
        {
            if (child.AsNode() is { } childNode)
            {
                if (IsBody(childNode))
                {
                    text.Append("{…}");
                }
                else
                {
                    Append(childNode, text);
                }
                continue;
            }
            var token = child.AsToken();
            foreach (var trivia in token.LeadingTrivia)
            {
                if (trivia.IsDirective)
                {
                    text.Append(trivia.ToFullString()).Append('\n');
                }
            }
            text.Append(token.Text).Append(' ');
        }
    }

    /// <summary>A method, constructor, operator, accessor or expression-bodied member's body: nothing a model reads.</summary>
    private static bool IsBody(SyntaxNode node) => node switch
    {
        BlockSyntax { Parent: BaseMethodDeclarationSyntax or AccessorDeclarationSyntax } => true,
        ArrowExpressionClauseSyntax { Parent: BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or PropertyDeclarationSyntax or IndexerDeclarationSyntax } => true,
        _ => false,
    };
}
