using System;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;
using Rivet.Hosting;
using Rivet.Runtime;
using Rivet.Storage;
using Rivet.Generators.Tests.Infrastructure;

namespace Rivet.Generators.Tests.Generator;

/// <summary>
/// Where <c>client.Counter</c> is declared: in the global namespace, so a caller in any namespace finds it without a
/// single <c>using</c>; when two actors share a class name, in each actor's own namespace, with RIVET056 saying how to
/// reach them.
/// </summary>
public sealed class ClientAccessorPlacementTests
{
    private const string Basket = """
        namespace Shop.Actors
        {
            internal sealed class BasketState { public int Count { get; set; } }

            [Rivet.Actor("placement-basket")]
            internal partial class Basket : Rivet.Actor<BasketState>
            {
                [Rivet.Action] public int Add(int amount) => State.Count += amount;
            }
        }
        """;

    /// <summary>Has no using at all: neither Shop.Actors nor Rivet.</summary>
    private const string Caller = """
        namespace Web.Pages
        {
            internal static class Caller
            {
                public static async System.Threading.Tasks.Task<int> RunAsync(global::Rivet.RivetClient client)
                {
                    await client.Basket.GetOrCreate("b1").Add(2);
                    return await client.Basket.Get("b1").Add(3);
                }
            }
        }
        """;

    [Fact]
    public async Task A_caller_in_another_namespace_without_any_using_calls_the_actor()
    {
        var run = GeneratorHarness.Run(Basket, Caller);
        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.Problems);
        Assert.DoesNotContain("namespace", run.Sources["RivetClientAccessors.g.cs"], StringComparison.Ordinal);

        // The real embedded runtime runs the compiled actor; the caller reaches it through client.Basket.
        var assembly = TestCompilation.EmitAndLoad(run.Output);
        var definitions = (System.Collections.Generic.IReadOnlyList<ActorDefinition>)assembly.GetType("Rivet.Generated.RivetActorRegistration")!
            .GetProperty("Definitions", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
        await using var host = await RivetHost.StartAsync(new RivetHostOptions { Storage = new InMemoryActorStorage(), Registry = new ActorRegistry().Add(definitions) });
        var call = (Task<int>)assembly.GetType("Web.Pages.Caller")!.GetMethod("RunAsync")!.Invoke(null, [host.Client])!;
        Assert.Equal(5, await call.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void Actors_sharing_a_class_name_keep_their_accessors_in_their_namespaces_report_RIVET056_and_compile()
    {
        var run = GeneratorHarness.Run(
            "namespace App.Chat { [Rivet.Actor(\"chatRoom\")] internal partial class Room : Rivet.Actor { [Rivet.Action] public int Ping() => 1; } }",
            "namespace App.Games { [Rivet.Actor(\"gameRoom\")] internal partial class Room : Rivet.Actor { [Rivet.Action] public int Ping() => 2; } }",
            Basket,
            """
            using Rivet;
            using App.Chat;

            namespace Web
            {
                internal static class Callers
                {
                    public static System.Threading.Tasks.Task<int> Chat(RivetClient client) => client.Room.Get("r").Ping();
                    public static System.Threading.Tasks.Task<int> Game(RivetClient client) => new App.Games.RoomAccessor(client).Get("r").Ping();
                    public static System.Threading.Tasks.Task<int> Shop(RivetClient client) => client.Basket.Get("b").Add(1);
                }
            }
            """);
        Assert.Empty(run.Problems);
        var reported = run.Diagnostics.Select(d => (d.Id, d.Severity, d.GetMessage(System.Globalization.CultureInfo.InvariantCulture), d.Location.GetLineSpan().Path)).OrderBy(d => d.Item4).ToList();
        Assert.Equal(2, reported.Count);
        Assert.All(reported, d => Assert.Equal(("RIVET056", Microsoft.CodeAnalysis.DiagnosticSeverity.Info), (d.Id, d.Severity)));
        Assert.Equal("'App.Chat.Room' and 'App.Games.Room' both generate client.Room, so neither is declared in the global namespace, where every file finds it: "
            + "add 'using App.Chat;' for client.Room, or write 'new global::App.Chat.RoomAccessor(client)'", reported[0].Item3);
        Assert.Equal("Source1.cs", reported[1].Item4);

        var accessors = run.Sources["RivetClientAccessors.g.cs"];
        Assert.Contains("namespace App.Chat\n", accessors, StringComparison.Ordinal);
        Assert.Contains("namespace App.Games\n", accessors, StringComparison.Ordinal);
        Assert.Contains("public global::Shop.Actors.BasketAccessor Basket", accessors, StringComparison.Ordinal);
    }
}
