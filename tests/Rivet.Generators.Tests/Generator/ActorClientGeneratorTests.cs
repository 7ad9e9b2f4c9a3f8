using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Rivet.Client;
using Rivet.Generators.Tests.Infrastructure;

namespace Rivet.Generators.Tests.Generator;

/// <summary>
/// [ActorClient] interfaces: output compared with Golden/Clients (rewrite with <c>RIVET_UPDATE_GOLDEN=1</c>),
/// compiled warning-free, executed against a recording transport, and cached across unrelated edits.
/// </summary>
public sealed class ActorClientGeneratorTests
{
    private static string GoldenDirectory => Path.Combine(GeneratorHarness.GoldenDirectory(), "Clients");

    [Fact]
    public void Generated_client_files_match_the_golden_files()
    {
        var run = GeneratorHarness.Run(GoldenClients.All);
        Assert.Empty(run.Diagnostics);
        var sources = run.Sources;
        GeneratorHarness.AssertMatchesGolden(sources, GoldenDirectory);
    }

    [Fact]
    public void Generated_client_files_have_the_expected_names_and_no_actor_registration()
    {
        var names = GeneratorHarness.Run(GoldenClients.All).Sources.Keys.OrderBy(n => n, StringComparer.Ordinal);
        Assert.Equal(
            new[] { "Inventory.ActorClient.g.cs", "Remote.ICounter.ActorClient.g.cs", "Remote.Rooms.IChatRoom.ActorClient.g.cs", "RivetClientAccessors.g.cs", "RivetJsonContext.g.cs" },
            names);
    }

    [Fact]
    public void Generated_clients_compile_without_warnings_including_documentation_comments()
    {
        var run = GeneratorHarness.Run(GoldenClients.All);
        Assert.Empty(run.Problems);
    }

    [Fact]
    public void Actors_and_clients_share_one_json_context_and_compile_together()
    {
        var run = GeneratorHarness.Run(GoldenActors.All.Concat(GoldenClients.All).ToArray());
        // Demo.Counter and Remote.ICounter both make client.Counter (likewise ChatRoom): each stays in its namespace.
        Assert.Equal(4, run.WithId("RIVET056").Count);
        Assert.Equal(4, run.Diagnostics.Length);
        Assert.Empty(run.Problems);
        var context = run.Sources["RivetJsonContext.g.cs"];
        Assert.Contains("global::Remote.Rooms.Message", context, StringComparison.Ordinal);
        Assert.Contains("RivetActorRegistration.g.cs", run.Sources.Keys);
    }

    [Fact]
    public void Before_CSharp_14_the_clients_are_generated_without_the_extension_property_and_RIVET015_is_reported()
    {
        var run = GeneratorHarness.Run(GeneratorHarness.Compile(GoldenClients.All, LanguageVersion.CSharp13));
        Assert.Equal("RIVET015", Assert.Single(run.Diagnostics).Id);
        Assert.DoesNotContain("extension(", run.Sources["Remote.ICounter.ActorClient.g.cs"], StringComparison.Ordinal);
        Assert.DoesNotContain("RivetClientAccessors.g.cs", run.Sources.Keys);
        Assert.Empty(run.Problems);
    }

    private const string Probe = """
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Rivet;
        using Remote;
        using Remote.Rooms;

        /// <summary>Calls every client.</summary>
        public static class Probe
        {
            /// <summary>Runs.</summary>
            /// <param name="client">The client.</param>
            /// <returns>The results.</returns>
            public static async Task<string> Run(RivetClient client)
            {
                var log = new List<string>();
                ICounter counter = client.Counter.GetOrCreate("k");
                log.Add((await counter.Increment(5)).ToString());
                log.Add((await counter.GetCount()).ToString());
                await counter.Clear();
                log.Add(await counter.Describe() ?? "<null>");
                log.Add(await client.Counter.Get(new[] { "a", "b" }).Describe("n=", verbose: true) ?? "<null>");
                await counter.Ping(CancellationToken.None);

                var room = client.ChatRoom.GetOrCreate("lobby", new RoomInput("Lobby", 8));
                IChatRoom roomInterface = room;
                log.Add((await roomInterface.Post(new Message("ada", "hi", 9007199254740993))).ToString());
                log.Add((await room.History()).Count.ToString());
                log.Add((await room.Sum(1, 2, 3)).ToString());
                log.Add(await roomInterface.ResolveAsync("main"));
                log.Add(await roomInterface.ToString(2));
                log.Add((await room.@event(4)).ToString());
                log.Add((await room.Shadow(1, 2)).ToString());
                log.Add(roomInterface.Title);
                log.Add(await room.ResolveAsync());

                var created = await client.ChatRoom.Create("new", new RoomInput("New", 2));
                log.Add(created.Handle.Query.ActorId!);

                var inventory = client.Inventory.GetForId("inv-1");
                log.Add((await inventory.Count("sku-1")).ToString());
                await inventory.Ping();
                return string.Join("|", log);
            }
        }
        """;

    [Fact]
    public async Task Generated_clients_send_the_wire_name_and_json_arguments_and_read_the_json_result()
    {
        var run = GeneratorHarness.Run(GoldenClients.All.Append(Probe).ToArray());
        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.Problems);
        var assembly = TestCompilation.EmitAndLoad(run.Output);
        var transport = new RecordingTransport(new Dictionary<string, string>
        {
            ["increment"] = "5",
            ["getCount"] = "5",
            ["reset"] = "null",
            ["describe"] = "\"five\"",
            ["ping"] = "null",
            ["post"] = "true",
            ["history"] = """[{"author":"ada","text":"hi","sentAt":1}]""",
            ["sum"] = "6",
            ["resolve"] = "\"actor-main\"",
            ["toString"] = "\"  room\"",
            ["event"] = "40",
            ["count"] = "9007199254740993",
            ["shadow"] = "3",
        });
        await using var client = new RivetClient(transport);
        var result = await (Task<string>)assembly.GetType("Probe")!.GetMethod("Run")!.Invoke(null, [client])!;

        Assert.Equal("5|5|five|five|True|1|6|actor-main|  room|40|3|room|id-of-chat-room[lobby]|created-chat-room[new]|9007199254740993", result);
        Assert.Equal(
            new[]
            {
                "invoke counter[k] GetOrCreate increment [5]",
                "invoke counter[k] GetOrCreate getCount []",
                "invoke counter[k] GetOrCreate reset []",
                "invoke counter[k] GetOrCreate describe [null,2,false]",
                "invoke counter[a, b] Get describe [\"n=\",2,true]",
                "invoke counter[k] GetOrCreate ping []",
                "invoke chat-room[lobby] GetOrCreate post [{\"author\":\"ada\",\"text\":\"hi\",\"sentAt\":[\"$BigInt\",\"9007199254740993\"]}] input {\"title\":\"Lobby\",\"capacity\":8}",
                "invoke chat-room[lobby] GetOrCreate history [50] input {\"title\":\"Lobby\",\"capacity\":8}",
                "invoke chat-room[lobby] GetOrCreate sum [[1,2,3]] input {\"title\":\"Lobby\",\"capacity\":8}",
                "invoke chat-room[lobby] GetOrCreate resolve [\"main\"] input {\"title\":\"Lobby\",\"capacity\":8}",
                "invoke chat-room[lobby] GetOrCreate toString [2] input {\"title\":\"Lobby\",\"capacity\":8}",
                "invoke chat-room[lobby] GetOrCreate event [4] input {\"title\":\"Lobby\",\"capacity\":8}",
                "invoke chat-room[lobby] GetOrCreate shadow [1,2] input {\"title\":\"Lobby\",\"capacity\":8}",
                "resolve chat-room[lobby] GetOrCreate",
                "create chat-room[new] input {\"title\":\"New\",\"capacity\":2}",
                "invoke inventory#inv-1 ForId count [\"sku-1\"]",
                "invoke inventory#inv-1 ForId ping []",
            },
            transport.Calls);
    }

    [Fact]
    public async Task A_cancellation_token_parameter_reaches_the_transport_and_never_travels()
    {
        var run = GeneratorHarness.Run(GoldenClients.All.Append("""
            using System.Threading;
            using System.Threading.Tasks;
            using Rivet;
            using Remote;

            /// <summary>Calls with a token.</summary>
            public static class Probe
            {
                /// <summary>Runs.</summary>
                /// <param name="client">The client.</param>
                /// <param name="cancellationToken">The token.</param>
                /// <returns>The count.</returns>
                public static Task<int> Run(RivetClient client, CancellationToken cancellationToken) =>
                    client.Counter.Get("k").GetCount(cancellationToken);
            }
            """).ToArray());
        Assert.Empty(run.Problems);
        var assembly = TestCompilation.EmitAndLoad(run.Output);
        var transport = new RecordingTransport(new Dictionary<string, string> { ["getCount"] = "1" });
        await using var client = new RivetClient(transport);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var call = (Task<int>)assembly.GetType("Probe")!.GetMethod("Run")!.Invoke(null, [client, cts.Token])!;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(new[] { "invoke counter[k] Get getCount []" }, transport.Calls);
    }

    [Fact]
    public void An_unrelated_edit_leaves_the_client_outputs_cached()
    {
        var compilation = GeneratorHarness.Compile(GoldenClients.All.Concat(GoldenActors.All).Append("public class Unrelated { }"));
        var driver = TestCompilation.CreateDriver(compilation).RunGenerators(compilation);

        var unrelated = compilation.SyntaxTrees.Last();
        var edited = compilation.ReplaceSyntaxTree(unrelated,
            CSharpSyntaxTree.ParseText("public class Unrelated { public int X; }", (CSharpParseOptions)unrelated.Options, unrelated.FilePath));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        foreach (var step in new[] { "RivetActorClientParse", "RivetActorClients", "RivetAllActorClients", "RivetClientNames" })
        {
            var outputs = result.TrackedSteps[step].SelectMany(s => s.Outputs).ToList();
            Assert.NotEmpty(outputs);
            Assert.All(outputs, o => Assert.True(
                o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {o.Reason}"));
        }
        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, o.Reason.ToString()));
    }

    [Fact]
    public void Editing_an_actors_actions_leaves_the_client_outputs_cached()
    {
        var compilation = GeneratorHarness.Compile(GoldenClients.All.Append(GoldenActors.Counter));
        var driver = TestCompilation.CreateDriver(compilation).RunGenerators(compilation);

        var actorTree = compilation.SyntaxTrees.Last();
        var edited = compilation.ReplaceSyntaxTree(actorTree, CSharpSyntaxTree.ParseText(
            GoldenActors.Counter.Replace("[Action] public int GetCount()", "[Action(\"count\")] public int GetCount()", StringComparison.Ordinal),
            (CSharpParseOptions)actorTree.Options, actorTree.FilePath));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        foreach (var step in new[] { "RivetActorClientParse", "RivetActorClients", "RivetClientNames" })
        {
            Assert.All(result.TrackedSteps[step].SelectMany(s => s.Outputs),
                o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {o.Reason}"));
        }
        // The actor's own parse did run again: the edit was seen, only the clients were left alone.
        Assert.Contains(result.TrackedSteps["RivetActorParse"].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
    }

    /// <summary>Records every call as text and answers with canned JSON results by action name.</summary>
    private sealed class RecordingTransport(IReadOnlyDictionary<string, string> results) : IActorTransport
    {
        public List<string> Calls { get; } = [];

        public Task<ReadOnlyMemory<byte>> InvokeAsync(ActorQuery query, string action, ReadOnlyMemory<byte> arguments, CancellationToken cancellationToken)
        {
            Calls.Add($"invoke {query} {query.Kind} {action} {Encoding.UTF8.GetString(arguments.Span)}{Input(query.Input)}");
            cancellationToken.ThrowIfCancellationRequested();
            return Task.FromResult<ReadOnlyMemory<byte>>(Encoding.UTF8.GetBytes(results[action]));
        }

        public Task<string> ResolveAsync(ActorQuery query, CancellationToken cancellationToken)
        {
            Calls.Add($"resolve {query} {query.Kind}");
            return Task.FromResult("id-of-" + query);
        }

        public Task<string> CreateAsync(string name, ActorKey key, ReadOnlyMemory<byte> input, CancellationToken cancellationToken)
        {
            Calls.Add($"create {name}{key}{Input(input)}");
            return Task.FromResult($"created-{name}{key}");
        }

        public ValueTask DisposeAsync() => default;

        private static string Input(ReadOnlyMemory<byte> input) => input.IsEmpty ? "" : " input " + Encoding.UTF8.GetString(input.Span);
    }
}
