using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Rivet.Generators.Serialization;
using Rivet.Generators.Tests.Infrastructure;

namespace Rivet.Generators.Tests.Serialization;

/// <summary>
/// Parses types of a test source with <see cref="TypeShapeParser"/>, emits the resolver with
/// <see cref="JsonResolverEmitter"/>, compiles it with the source and a test class, and runs the test class.
/// </summary>
internal static class SerializationHarness
{
    public const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Collections.Immutable;
        using System.Numerics;
        using System.Text.Json;
        using System.Text.Json.Nodes;
        using System.Text.Json.Serialization;

        """;

    /// <summary>Parses the C# types <paramref name="roots"/> (e.g. <c>"List&lt;Demo.Order&gt;"</c>) as they appear in <paramref name="source"/>.</summary>
    public static IReadOnlyList<(SerializableType? Type, string? Reason)> Parse(string source, params string[] roots)
    {
        var holder = "internal static class __RootHolder\n{\n"
            + string.Join("\n", roots.Select((r, i) => $"    internal static {r} R{i}(){{ throw null!; }}"))
            + "\n}\n";
        var compilation = TestCompilation.Create(Usings + source, Usings + holder);
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, "Test source does not compile:\n" + string.Join("\n", errors));
        var holderType = compilation.GetTypeByMetadataName("__RootHolder")!;
        var results = new List<(SerializableType?, string?)>();
        for (var i = 0; i < roots.Length; i++)
        {
            var method = (IMethodSymbol)holderType.GetMembers("R" + i).Single();
            var parsed = TypeShapeParser.TryParse(method.ReturnType, compilation, out var reason, CancellationToken.None);
            results.Add((parsed, reason));
        }
        return results;
    }

    /// <summary>Parses a type found by metadata name (e.g. <c>Demo.Outer+Hidden</c>), for types a test cannot name.</summary>
    public static (SerializableType? Type, string? Reason) ParseByMetadataName(string source, string metadataName)
    {
        var compilation = TestCompilation.Create(Usings + source);
        var type = compilation.GetTypeByMetadataName(metadataName);
        Assert.NotNull(type);
        var parsed = TypeShapeParser.TryParse(type!, compilation, out var reason, CancellationToken.None);
        return (parsed, reason);
    }

    /// <summary>Parses one root that must be supported.</summary>
    public static SerializableType ParseSupported(string source, string root)
    {
        var (type, reason) = Parse(source, root)[0];
        Assert.True(type is not null, $"'{root}' should be supported but: {reason}");
        return type!;
    }

    /// <summary>Parses one root that must be unsupported; returns the reason.</summary>
    public static string ParseUnsupported(string source, string root)
    {
        var (type, reason) = Parse(source, root)[0];
        Assert.Null(type);
        Assert.NotNull(reason);
        return reason!;
    }

    public static string Emit(string source, params string[] roots)
    {
        var parsed = Parse(source, roots);
        foreach (var (type, reason) in parsed)
        {
            Assert.True(type is not null, "Unsupported root: " + reason);
        }
        return JsonResolverEmitter.Emit(parsed.Select(p => p.Type!));
    }

    /// <summary>Compiles source + emitted resolver + <paramref name="test"/>, checks there is no warning, loads it.</summary>
    public static Compilation Compile(string source, string test, string[] roots, bool documentationDiagnostics = false)
    {
        var resolver = Emit(source, roots);
        // Documentation diagnostics (CS1591 …) are checked on the generated resolver only.
        var resolverOptions = documentationDiagnostics ? TestCompilation.ParseOptions.WithDocumentationMode(DocumentationMode.Diagnose) : TestCompilation.ParseOptions;
        var trees = new[] { Usings + source, Usings + "using Rivet.Generated;\n" + test, resolver }
            .Select((s, i) => CSharpSyntaxTree.ParseText(s, i == 2 ? resolverOptions : TestCompilation.ParseOptions, path: $"Source{i}.cs"));
        return TestCompilation.Create(Array.Empty<string>(), "TestAssembly").AddSyntaxTrees(trees);
    }

    /// <summary>Round-trips through the generated resolver: compiles, asserts no warnings, invokes <c>Test.Run()</c>.</summary>
    public static string Run(string source, string test, params string[] roots)
    {
        var compilation = Compile(source, test, roots);
        var problems = TestCompilation.Problems(compilation);
        Assert.True(problems.IsEmpty, "Warnings or errors:\n" + string.Join("\n", problems) + "\n\n" + compilation.SyntaxTrees.Last());
        var assembly = TestCompilation.EmitAndLoad(compilation);
        var method = assembly.GetType("Test")!.GetMethod("Run", BindingFlags.Public | BindingFlags.Static)!;
        try
        {
            return (string)method.Invoke(null, null)!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw new InvalidOperationException("Test.Run threw: " + e.InnerException, e.InnerException);
        }
    }
}
