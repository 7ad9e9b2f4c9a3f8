using System;
using System.Buffers;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Runtime;
using Rivet.Sdk.Tests.Actors;

namespace Rivet.Sdk.Tests;

/// <summary>The generator runs on this project's actors as it does for users; these tests run what it produced.</summary>
public sealed class GeneratedActorTests
{
    [Fact]
    public void Generated_actors_are_in_the_default_registry()
    {
        Assert.True(ActorRegistry.Default.TryGet("smoke-greeter", out var greeter));
        Assert.Equal(typeof(SmokeGreeter), greeter.ActorType);
        Assert.Equal(new[] { "hello", "addLater", "ping", "length" }, greeter.ActionNames);
        Assert.Null(greeter.StateType);

        Assert.True(ActorRegistry.Default.TryGet("smokeRoom", out var room));
        Assert.Equal(typeof(SmokeRoom), room.ActorType);
        Assert.NotNull(room.StateType);
        Assert.NotNull(room.InputType);
        Assert.Same(room, Definition<SmokeRoom>());
    }

    [Fact]
    public async Task Dispatching_a_json_argument_array_returns_the_json_result()
    {
        var definition = Definition<SmokeGreeter>();
        var actor = definition.CreateInstance();
        Assert.IsType<SmokeGreeter>(actor);
        Assert.Equal("\"Hello, Ada!\"", await Dispatch(definition, actor, "hello", """["Ada"]"""));
        Assert.Equal("\"Hello, Ada?\"", await Dispatch(definition, actor, "hello", """["Ada", "?"]"""));
        Assert.Equal("5", await Dispatch(definition, actor, "addLater", "[2, 3]"));
        Assert.Equal("null", await Dispatch(definition, actor, "ping", "[]"));
        Assert.Equal("-1", await Dispatch(definition, actor, "length", "[]"));
        Assert.Equal("2", await Dispatch(definition, actor, "length", """["ab"]"""));

        var room = Definition<SmokeRoom>();
        Assert.Equal("1.5", await Dispatch(room, room.CreateInstance(), "half", "[3]"));
    }

    [Fact]
    public async Task Dispatching_bad_arguments_names_the_actor_action_and_parameter()
    {
        var definition = Definition<SmokeGreeter>();
        var error = await Assert.ThrowsAsync<RivetException>(() => Dispatch(definition, definition.CreateInstance(), "hello", "[1]"));
        Assert.Equal(RivetErrors.InvalidRequest, error.Code);
        Assert.Contains("'name'", error.Message, StringComparison.Ordinal);
        Assert.Contains("smoke-greeter", error.Message, StringComparison.Ordinal);
        var missing = await Assert.ThrowsAsync<RivetException>(() => Dispatch(definition, definition.CreateInstance(), "nope", "[]"));
        Assert.Equal(RivetErrors.ActionNotFound, missing.Code);
    }

    [Fact]
    public void The_typed_client_is_reachable_from_a_rivet_client()
    {
        // Only compile-time shape: client.SmokeGreeter.Get(key) returns the typed handle.
        Func<RivetClient, Task<string>> call = client => client.SmokeGreeter.Get("room-1").Hello("Ada");
        Func<RivetClient, Task<SmokeRoomHandle>> create = client => client.SmokeRoom.Create(["a", "b"], 3);
        Assert.NotNull(call);
        Assert.NotNull(create);
    }

    private static ActorDefinition Definition<T>() where T : IGeneratedActor => T.Definition;

    private static async Task<string> Dispatch(ActorDefinition definition, Actor actor, string action, string arguments)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            await definition.DispatchAsync(actor, action, Encoding.UTF8.GetBytes(arguments), writer, CancellationToken.None);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
