using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Rivet.Generators.Tests.Infrastructure;

namespace Rivet.Generators.Tests.Generator;

/// <summary>
/// Class libraries of actors referenced by an app. Their actors register when the app's assembly loads, so a host
/// serves them before any of their types is used. <c>client.Counter</c> across projects: a class library of actors declares its accessors in the global namespace, so
/// an app referencing it with an actor of the same class name keeps its own accessor in its namespace (RIVET057)
/// instead of making <c>client.Counter</c> ambiguous (CS9339) in every file; a client of two such libraries is told
/// which accessor types to use (RIVET058).
/// </summary>
public sealed class ReferencedAssemblyTests
{
    private const string LibraryCounter = """
        namespace Shop.Actors
        {
            public sealed class CounterState { public int Count { get; set; } }

            [Rivet.Actor]
            public partial class Counter : Rivet.Actor<CounterState>
            {
                [Rivet.Action] public int Increment(int amount = 1) => State.Count += amount;
            }
        }
        """;

    /// <summary>Compiles <paramref name="sources"/> as the class library <paramref name="name"/>, generator included, and references it.</summary>
    private static MetadataReference Library(string name, params string[] sources) => MetadataReference.CreateFromImage(Image(GeneratorHarness.Run(GeneratorHarness.Compile(sources, assemblyName: name))));

    private static byte[] Image(GeneratorRun run)
    {
        Assert.Empty(Problems(run));
        using var image = new System.IO.MemoryStream();
        Assert.True(run.Output.Emit(image).Success);
        return image.ToArray();
    }

    [Fact]
    public void Loading_an_app_registers_the_actors_of_the_libraries_it_references_before_any_of_their_types_is_used()
    {
        // A unique actor name: the registry is process-wide.
        var library = GeneratorHarness.Run(GeneratorHarness.Compile(
            ["namespace Probe.Actors { [Rivet.Actor(\"referencedLibraryProbe\")] internal partial class Probe : Rivet.Actor { [Rivet.Action] public int Ping() => 1; } }"],
            assemblyName: "Probe.Actors-Lib"));
        var libraryImage = Image(library);
        var app = RunApp([MetadataReference.CreateFromImage(libraryImage)], "internal static class Program { }");
        Assert.Empty(app.Diagnostics);
        Assert.Contains("global::Rivet.Generated.ActorAssemblies.Probe_Actors_Lib.Register();", app.Sources["RivetActorRegistration.g.cs"], System.StringComparison.Ordinal);

        var context = new System.Runtime.Loader.AssemblyLoadContext("rivet-referenced-" + System.Guid.NewGuid().ToString("N"), isCollectible: true);
        context.LoadFromStream(new System.IO.MemoryStream(libraryImage));
        var appAssembly = context.LoadFromStream(new System.IO.MemoryStream(Image(app)));
        Assert.False(Rivet.Runtime.ActorRegistry.Default.TryGet("referencedLibraryProbe", out _));   // loaded, not run: as a runner sees it today
        System.Runtime.CompilerServices.RuntimeHelpers.RunModuleConstructor(appAssembly.ManifestModule.ModuleHandle);
        Assert.True(Rivet.Runtime.ActorRegistry.Default.TryGet("referencedLibraryProbe", out var definition));
        Assert.Equal("Probe.Actors.Probe", definition.ActorType.FullName);
    }

    private static GeneratorRun RunApp(MetadataReference[] libraries, params string[] sources) =>
        GeneratorHarness.Run(GeneratorHarness.Compile(sources, assemblyName: "App").AddReferences(libraries));

    /// <summary>Compile errors and warnings, without the missing XML docs of the tests' own public types.</summary>
    private static Diagnostic[] Problems(GeneratorRun run) => run.Problems.Where(d => d.Id != "CS1591").ToArray();

    private static string Message(Diagnostic d) => d.GetMessage(CultureInfo.InvariantCulture);

    [Fact]
    public void An_app_actor_with_the_actor_name_of_a_library_actor_gets_RIVET059_at_compile_time_instead_of_failing_at_startup()
    {
        var run = RunApp([Library("Shop", LibraryCounter)],
            """
            namespace Web.Actors
            {
                [Rivet.Actor("counter")]
                public partial class Tally : Rivet.Actor { [Rivet.Action] public int Ping() => 1; }
            }
            """);

        var reported = Assert.Single(run.Diagnostics);
        Assert.Equal(("RIVET059", DiagnosticSeverity.Error, 3), (reported.Id, reported.Severity, reported.Location.GetLineSpan().StartLinePosition.Line));
        Assert.Equal("Actor 'Web.Actors.Tally' is named 'counter', and so is 'Shop.Actors.Counter' of the referenced assembly 'Shop'; a host of this "
            + "project registers both and fails at startup: set [Actor(\"name\")] on one of them", Message(reported));
    }

    [Theory]
    [InlineData("")]                  // the same actor name too: RIVET034 alone, not also RIVET059
    [InlineData("(\"webCounter\")")]  // another actor name: without RIVET034 only CS0436 warnings said anything
    public void An_app_actor_class_with_the_full_name_of_a_library_actor_class_gets_RIVET034_naming_both(string actorName)
    {
        var run = RunApp([Library("Shop", LibraryCounter)],
            """
            namespace Shop.Actors
            {
                public sealed class WebState { public int Size { get; set; } }

                [Rivet.Actor NAME]
                public partial class Counter : Rivet.Actor<WebState> { [Rivet.Action] public int Size() => State.Size; }
            }
            """.Replace("NAME", actorName, System.StringComparison.Ordinal));

        var reported = Assert.Single(run.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal(("RIVET034", 5), (reported.Id, reported.Location.GetLineSpan().StartLinePosition.Line));
        Assert.Equal("Actor class 'Shop.Actors.Counter' has the same full name as the actor class 'Shop.Actors.Counter' of the referenced "
            + "assembly 'Shop': here the name means only this project's class (the compiler's CS0436 on it and on each generated client type), "
            + "so the referenced actor and its client cannot be named from this project; rename this class or move it to another namespace",
            Message(reported));
        Assert.DoesNotContain(run.Diagnostics, d => d.Id == "RIVET059");
        Assert.Contains(Problems(run), d => d.Id == "CS0436"); // what the user saw before, now explained
    }

    [Fact]
    public void An_app_actor_named_like_a_library_actor_keeps_its_accessor_in_its_namespace_and_the_app_compiles()
    {
        var run = RunApp([Library("Shop", LibraryCounter)],
            """
            namespace Web.Actors
            {
                public sealed class WebState { public int Size { get; set; } }

                [Rivet.Actor("webCounter")]
                public partial class Counter : Rivet.Actor<WebState>
                {
                    [Rivet.Action] public int Size() => State.Size;
                }

                internal static class Inside
                {
                    // In the actor's own namespace, client.Counter is this project's actor.
                    public static System.Threading.Tasks.Task<int> Size(Rivet.RivetClient client) => client.Counter.Get("w").Size();
                }
            }
            """,
            """
            namespace Web.Pages
            {
                internal static class Outside
                {
                    // Elsewhere, client.Counter is the library's, and the own one is reached through its accessor type.
                    public static System.Threading.Tasks.Task<int> Shop(Rivet.RivetClient client) => client.Counter.Get("s").Increment(2);
                    public static System.Threading.Tasks.Task<int> Web(Rivet.RivetClient client) => new global::Web.Actors.CounterAccessor(client).Get("w").Size();
                }
            }
            """);

        Assert.Empty(Problems(run));
        var reported = Assert.Single(run.Diagnostics);
        Assert.Equal(("RIVET057", DiagnosticSeverity.Info, "Source0.cs"), (reported.Id, reported.Severity, reported.Location.GetLineSpan().Path));
        Assert.Equal(5, reported.Location.GetLineSpan().StartLinePosition.Line);   // the actor's declaration
        Assert.Equal("client.Counter is already declared in the global namespace by the referenced assembly 'Shop' (it returns 'Shop.Actors.CounterAccessor'), "
            + "so the accessor of 'Web.Actors.Counter' is declared in namespace Web.Actors, where code in that namespace finds it as client.Counter; "
            + "elsewhere write 'new global::Web.Actors.CounterAccessor(client)'", Message(reported));
        Assert.Contains("namespace Web.Actors\n", run.Sources["RivetClientAccessors.g.cs"], System.StringComparison.Ordinal);
    }

    [Fact]
    public void A_global_namespace_app_actor_named_like_a_library_actor_gets_no_accessor_and_the_app_compiles()
    {
        var run = RunApp([Library("Shop", LibraryCounter)],
            """
            [Rivet.Actor("globalCounter")]
            public partial class Counter : Rivet.Actor
            {
                [Rivet.Action] public int Ping() => 1;
            }

            internal static class Callers
            {
                public static System.Threading.Tasks.Task<int> Shop(Rivet.RivetClient client) => client.Counter.Get("s").Increment(2);
                public static System.Threading.Tasks.Task<int> Own(Rivet.RivetClient client) => new global::CounterAccessor(client).Get("g").Ping();
            }
            """);

        Assert.Empty(Problems(run));
        var reported = Assert.Single(run.Diagnostics);
        Assert.Equal("RIVET057", reported.Id);
        Assert.EndsWith("so the accessor of 'Counter' is not declared (the actor is in the global namespace): write 'new global::CounterAccessor(client)'",
            Message(reported), System.StringComparison.Ordinal);
        Assert.False(run.Sources.ContainsKey("RivetClientAccessors.g.cs"));
    }

    [Fact]
    public void An_internal_library_accessor_is_not_visible_so_the_app_keeps_client_Counter()
    {
        var run = RunApp([Library("Shop", LibraryCounter.Replace("public partial class Counter", "internal partial class Counter", System.StringComparison.Ordinal))],
            """
            namespace Web.Actors
            {
                [Rivet.Actor("webCounter")]
                public partial class Counter : Rivet.Actor { [Rivet.Action] public int Ping() => 1; }
            }
            internal static class Caller
            {
                public static System.Threading.Tasks.Task<int> Own(Rivet.RivetClient client) => client.Counter.Get("w").Ping();
            }
            """);

        Assert.Empty(Problems(run));
        Assert.Empty(run.Diagnostics);
    }

    [Fact]
    public void A_client_of_two_libraries_with_one_accessor_name_is_told_which_accessor_types_to_use_RIVET058()
    {
        var chat = Library("Chat", "namespace Chat { [Rivet.Actor(\"chatRoom\")] public partial class Room : Rivet.Actor { [Rivet.Action] public int Ping() => 1; } }");
        var games = Library("Games", "namespace Games { [Rivet.Actor(\"gameRoom\")] public partial class Room : Rivet.Actor { [Rivet.Action] public int Ping() => 2; } }");
        var run = RunApp([chat, games],
            """
            internal static class Caller
            {
                public static System.Threading.Tasks.Task<int> Chat(Rivet.RivetClient client) => new global::Chat.RoomAccessor(client).Get("r").Ping();
                public static System.Threading.Tasks.Task<int> Game(Rivet.RivetClient client) => new global::Games.RoomAccessor(client).Get("r").Ping();
            }
            """);

        Assert.Empty(Problems(run));
        var reported = Assert.Single(run.Diagnostics);
        Assert.Equal(("RIVET058", DiagnosticSeverity.Info), (reported.Id, reported.Severity));
        Assert.Equal("client.Room is declared in the global namespace by both 'Chat' (returning 'global::Chat.RoomAccessor') and 'Games' (returning "
            + "'global::Games.RoomAccessor'), so client.Room is ambiguous in this project: write 'new global::Chat.RoomAccessor(client)' or "
            + "'new global::Games.RoomAccessor(client)'", Message(reported));
    }
}
