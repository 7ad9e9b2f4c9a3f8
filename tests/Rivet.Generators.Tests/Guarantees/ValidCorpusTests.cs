using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Rivet.Generators.Tests.Infrastructure;

namespace Rivet.Generators.Tests.Guarantees;

/// <summary>
/// A corpus of valid actors and actor clients, one per supported type of docs/supported-types.md, each using its
/// type everywhere a type can appear (state, input, action parameter and result, sync and async, event argument,
/// connection parameters and state, client method): the generator reports nothing and no generated file has a
/// warning or an error.
/// </summary>
public sealed class ValidCorpusTests
{
    [Fact]
    public void Every_supported_type_in_every_position_generates_code_without_a_diagnostic()
    {
        var types = SupportedTypesTableTests.s_rows.Values.SelectMany(r => r.Supported).ToList();
        var corpus = new StringBuilder("using System;\nusing System.Collections.Generic;\nusing System.Collections.Immutable;\nusing System.Numerics;\nusing System.Text.Json;\nusing System.Text.Json.Nodes;\nusing System.Text.Json.Serialization;\nusing System.Threading;\nusing System.Threading.Tasks;\nusing Rivet;\nusing Zoo;\n\nnamespace Corpus\n{\n");
        for (var i = 0; i < types.Count; i++)
        {
            var t = types[i];
            var nt = t.EndsWith('?') ? t : t + "?";
            corpus.Append($$"""
                public sealed class State{{i}} { public {{t}} Value { get; set; } = default!; public List<{{t}}> All { get; set; } = new(); }
                public sealed class Input{{i}} { public {{t}} Seed { get; set; } = default!; }
                public sealed class Params{{i}} { public {{t}} Token { get; set; } = default!; }
                public sealed class Conn{{i}} { public {{nt}} Last { get; set; } }

                [Actor]
                public partial class Actor{{i}} : Actor<State{{i}}, Input{{i}}>, IConnectionParams<Params{{i}}>, IConnectionState<Params{{i}}, Conn{{i}}>
                {
                    [Action] public {{t}} Get() => State.Value;
                    [Action] public void Set({{t}} value) { State.Value = value; Changed(value); }
                    [Action] public async Task<{{t}}[]> Many({{t}} first, {{nt}} second, CancellationToken cancellationToken) { await Task.Yield(); return new[] { first }; }
                    [Action] public ValueTask<Dictionary<string, {{t}}>> Named(string name, {{t}} value) => new(new Dictionary<string, {{t}}> { [name] = value });
                    [Event] partial void Changed({{t}} value);
                    [Event] partial void Pair({{t}} left, {{t}} right);
                    public ValueTask OnBeforeConnectAsync(Params{{i}}? parameters, CancellationToken cancellationToken) => default;
                    public Conn{{i}} CreateConnectionState(Params{{i}}? parameters) => new();
                }

                [ActorClient("remote{{i}}", InputType = typeof(Input{{i}}), ConnectionParamsType = typeof(Params{{i}}))]
                public interface IRemote{{i}}
                {
                    Task<{{t}}> Get();
                    Task Set({{t}} value, CancellationToken cancellationToken = default);
                    ValueTask<List<{{t}}>> Many({{t}} first);
                    [Event] void Changed({{t}} value);
                }


                """);
        }
        corpus.Append("}\n");

        var compilation = TestCompilation.Create(SerializationUsings + SupportedTypesTableTests.Declarations.Replace("namespace Zoo;", "namespace Zoo {") + "\n}\n", corpus.ToString());
        var inputErrors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error && !d.Id.Equals("CS8795")).ToList();
        Assert.True(inputErrors.Count == 0, "The corpus does not compile:\n" + string.Join("\n", inputErrors.Take(20)));

        var (output, generatorDiagnostics, result) = TestCompilation.RunGenerator(compilation);
        Assert.True(generatorDiagnostics.IsEmpty, "The generator reported:\n" + string.Join("\n", generatorDiagnostics.Take(20)));
        var generatedTrees = result.GeneratedTrees.ToHashSet();
        Assert.True(generatedTrees.Count > types.Count * 4, $"Only {generatedTrees.Count} files were generated for {types.Count} actors and clients");
        var problems = output.GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning && (d.Location.SourceTree is null || generatedTrees.Contains(d.Location.SourceTree) || d.Severity == DiagnosticSeverity.Error))
            .ToList();
        Assert.True(problems.Count == 0, $"{problems.Count} warnings or errors:\n" + string.Join("\n", problems.Take(30)));
    }

    private const string SerializationUsings = "using System;\nusing System.Collections.Generic;\nusing System.Collections.Immutable;\nusing System.Numerics;\nusing System.Text.Json;\nusing System.Text.Json.Nodes;\nusing System.Text.Json.Serialization;\n\n";
}
