using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Runtime;
using Rivet.Generators.Tests.Infrastructure;

namespace Rivet.Generators.Tests.Generator;

/// <summary>
/// Compares the generator's output for <see cref="GoldenActors"/> with the files in Golden/.
/// To accept new output, run the tests with <c>RIVET_UPDATE_GOLDEN=1</c>: the files are rewritten in the source tree.
/// </summary>
public sealed class GoldenFileTests
{
    [Fact]
    public void Generated_files_match_the_golden_files()
    {
        var run = GeneratorHarness.Run(GoldenActors.All);
        Assert.Empty(run.Diagnostics);
        var directory = GeneratorHarness.GoldenDirectory();
        // The cron and schedule files come from one emitter (TypedCallsEmitter) with a spec each: the schedule files
        // cover its output for every actor, one cron file covers the cron spec. All of them compile (below).
        var sources = run.Sources
            .Where(s => !s.Key.EndsWith(".Cron.g.cs", StringComparison.Ordinal) || s.Key == "Demo.Greeter.Cron.g.cs")
            .ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
        GeneratorHarness.AssertMatchesGolden(sources, directory);
    }

    [Fact]
    public void Generated_files_have_the_expected_names()
    {
        var names = GeneratorHarness.Run(GoldenActors.All).Sources.Keys.OrderBy(n => n, StringComparer.Ordinal);
        Assert.Equal(
            new[]
            {
                "Demo.Counter.Actor.g.cs", "Demo.Counter.Client.g.cs", "Demo.Counter.Cron.g.cs", "Demo.Counter.Schedule.g.cs",
                "Demo.Greeter.Actor.g.cs", "Demo.Greeter.Client.g.cs", "Demo.Greeter.Cron.g.cs", "Demo.Greeter.Schedule.g.cs",
                "Demo.Rooms.ChatRoom.Actor.g.cs", "Demo.Rooms.ChatRoom.Client.g.cs", "Demo.Rooms.ChatRoom.Cron.g.cs", "Demo.Rooms.ChatRoom.Schedule.g.cs",
                "Lobby.Actor.g.cs", "Lobby.Client.g.cs", "Lobby.Cron.g.cs", "Lobby.Schedule.g.cs",
                "RivetActorRegistration.g.cs", "RivetClientAccessors.g.cs", "RivetJsonContext.g.cs",
            },
            names);
    }

    [Fact]
    public void Generated_code_compiles_without_warnings_including_documentation_comments()
    {
        var run = GeneratorHarness.Run(GoldenActors.All);
        Assert.Empty(run.Problems);
    }

    [Fact]
    public async Task Generated_dispatch_runs_actions_and_writes_json_results()
    {
        // Unique actor names: the module initializer registers them in the process-wide registry.
        var sources = GoldenActors.All.Select((s, i) => s
            .Replace("[Actor]", $"[Actor(\"golden-{i}\")]", StringComparison.Ordinal)
            .Replace("[Actor(\"chat-room\")]", "[Actor(\"golden-chat-room\")]", StringComparison.Ordinal));
        var run = GeneratorHarness.Run(GeneratorHarness.Compile(sources));
        Assert.Empty(run.Diagnostics);
        var assembly = TestCompilation.EmitAndLoad(run.Output);
        var definitions = (IReadOnlyList<ActorDefinition>)assembly.GetType("Rivet.Generated.RivetActorRegistration")!
            .GetProperty("Definitions", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
        Assert.Equal(4, definitions.Count);
        var greeter = definitions.Single(d => d.ActorType.Name == "Greeter");
        Assert.Equal(new[] { "hello", "helloLater", "reset", "ping", "pingTask", "length", "add", "echo" }, greeter.ActionNames);
        Assert.Null(greeter.StateType);
        var room = definitions.Single(d => d.ActorType.Name == "ChatRoom");
        Assert.Equal("golden-chat-room", room.Name);
        Assert.Equal(new[] { "post", "urlFetch" }, room.ActionNames);
        Assert.NotNull(room.StateType);
        Assert.NotNull(room.InputType);
        Assert.Null(room.DefaultState);

        var actor = greeter.CreateInstance();
        Assert.Equal("\"Hello, Ada\"", await Dispatch(greeter, actor, "hello", """["Ada"]"""));
        Assert.Equal("\"Later, Bo\"", await Dispatch(greeter, actor, "helloLater", """["Bo"]"""));
        Assert.Equal("null", await Dispatch(greeter, actor, "reset", ""));
        Assert.Equal("null", await Dispatch(greeter, actor, "ping", "[]"));
        Assert.Equal("null", await Dispatch(greeter, actor, "pingTask", "null"));
        Assert.Equal("-1", await Dispatch(greeter, actor, "length", "[null]"));
        Assert.Equal("3", await Dispatch(greeter, actor, "length", """["abc"]"""));
        // 1 + 1.5 - 2 + len("a\"b\n") = 4.5
        Assert.Equal("4.5", await Dispatch(greeter, actor, "add", "[1]"));
        Assert.Equal("-5", await Dispatch(greeter, actor, "add", """[1, 2, 3, true, "", "x"]"""));
        Assert.Equal("7", await Dispatch(greeter, actor, "echo", "[7]"));

        var missing = await Assert.ThrowsAsync<RivetException>(() => Dispatch(greeter, actor, "nope", "[]"));
        Assert.Equal(RivetErrors.ActionNotFound, missing.Code);
        var tooMany = await Assert.ThrowsAsync<RivetException>(() => Dispatch(greeter, actor, "hello", """["a", "b"]"""));
        Assert.Equal(RivetErrors.InvalidRequest, tooMany.Code);
        var nullName = await Assert.ThrowsAsync<RivetException>(() => Dispatch(greeter, actor, "hello", "[null]"));
        Assert.Equal(RivetErrors.InvalidRequest, nullName.Code);
        var missingArgument = await Assert.ThrowsAsync<RivetException>(() => Dispatch(greeter, actor, "hello", "[]"));
        Assert.Equal(RivetErrors.InvalidRequest, missingArgument.Code);

        var roomActor = room.CreateInstance();
        Assert.Equal("true", await Dispatch(room, roomActor, "post", """["hi"]"""));
        Assert.Equal("false", await Dispatch(room, roomActor, "post", """["hi", false]"""));
    }

    private static async Task<string> Dispatch(ActorDefinition definition, Actor actor, string action, string arguments)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            await definition.DispatchAsync(actor, action, Encoding.UTF8.GetBytes(arguments), writer, CancellationToken.None);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
