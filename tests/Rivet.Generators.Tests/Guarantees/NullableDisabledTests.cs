using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Rivet.Generators.Tests.Generator;
using Rivet.Generators.Tests.Infrastructure;

namespace Rivet.Generators.Tests.Guarantees;

/// <summary>
/// A project with <c>&lt;Nullable&gt;disable&lt;/Nullable&gt;</c> (and TreatWarningsAsErrors): its reference types are
/// oblivious, so <c>string name = null</c> is an ordinary default. The generated files enable nullable annotations,
/// so copying <c>string</c> as written warned (CS8625, CS8600) in the user's build; they are written <c>string?</c>, and
/// a null argument is accepted for them, as the method accepts it.
/// </summary>
public sealed class NullableDisabledTests
{
    private const string Actors = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Rivet;

        namespace Legacy
        {
            public sealed class JoinParams { public string Name { get; set; } }
            public sealed class Member { public string Name { get; set; } }
            public sealed class RoomState { public List<string> Lines { get; set; } = new List<string>(); }
            public sealed class Job { public string Text { get; set; } }

            [Actor]
            [Queue<Job, string>("jobs")]
            public partial class Room : Actor<RoomState, JoinParams>, IConnectionParams<JoinParams>, IConnectionState<JoinParams, Member>
            {
                [Action] public string Greet(string name = null, int? times = null) => (name ?? "nobody") + (times ?? 1);
                [Action] public Task<string> Last(List<string> filter = null) => Task.FromResult(State.Lines.Count == 0 ? null : State.Lines[State.Lines.Count - 1]);
                [Action] public int Say(string text) { State.Lines.Add(text); Said(Caller?.GetState<Member>()?.Name, text); return State.Lines.Count; }
                [Event] partial void Said(string who, string text);

                public ValueTask OnBeforeConnectAsync(JoinParams p, CancellationToken ct) => default;
                public Member CreateConnectionState(JoinParams p) => new Member { Name = p?.Name };
            }

            [ActorClient("legacyRemote")]
            public interface ILegacyRemote
            {
                Task<string> Greet(string name = null);
                [Event] void Said(string who, string text);
            }
        }
        """;

    [Fact]
    public void Actors_and_clients_of_a_nullable_disabled_project_generate_code_without_a_warning()
    {
        var compilation = GeneratorHarness.Compile([Actors]);
        compilation = compilation.WithOptions(compilation.Options.WithNullableContextOptions(NullableContextOptions.Disable));
        var run = GeneratorHarness.Run(compilation);

        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.Problems.Where(d => d.Id != "CS1591"));
        var dispatch = run.Sources["Legacy.Room.Actor.g.cs"];
        var greet = dispatch.Split('\n').Single(l => l.Contains("__args.Read", System.StringComparison.Ordinal) && l.Contains("\"name\"", System.StringComparison.Ordinal)).Trim();
        Assert.Equal("string? __p0 = __args.Next() ? __args.Read<string?>(\"name\", global::Rivet.Generated.RivetJsonContext.String!, allowNull: true) : null;", greet);
        Assert.Contains("Greet(string? name = null, int? times = null, global::System.Threading.CancellationToken cancellationToken = default)", run.Sources["Legacy.Room.Client.g.cs"], System.StringComparison.Ordinal);
    }
}
