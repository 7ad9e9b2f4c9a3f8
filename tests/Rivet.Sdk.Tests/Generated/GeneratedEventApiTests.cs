using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Client;
using Rivet.Runtime;

namespace Rivet.Sdk.Tests.Generated;

/// <summary>
/// What the generator emits for events, connections, connection types and schedules, compiled in this project as in a
/// user's: the definition's metadata, the typed API's shapes, and the decoding of event payloads.
/// </summary>
public sealed class GeneratedEventApiTests
{
    private static ActorDefinition Definition => Of<GenEventCounter>();

    private static ActorDefinition Of<T>() where T : IGeneratedActor => T.Definition;

    [Fact]
    public void The_definition_lists_the_event_wire_names_in_declaration_order()
    {
        Assert.Equal(new[] { "newCount", "cleared", "moved" }, Definition.EventNames);
    }

    [Fact]
    public void The_definition_carries_the_connection_parameter_and_state_serializers()
    {
        Assert.Equal(typeof(GenJoinParams), Definition.ConnectionParamsType?.Type);
        Assert.Equal(typeof(GenMember), Definition.ConnectionStateType?.Type);
        var json = System.Text.Json.JsonSerializer.Serialize(new GenJoinParams("ada"), Definition.ConnectionParamsType!);
        Assert.Equal("""{"name":"ada"}""", json);
    }

    [Fact]
    public void An_actor_without_events_or_connection_types_keeps_the_defaults()
    {
        Assert.True(ActorRegistry.Default.TryGet("smoke-greeter", out var greeter));
        Assert.Empty(greeter.EventNames);
        Assert.Null(greeter.ConnectionParamsType);
        Assert.Null(greeter.ConnectionStateType);
    }

    [Fact]
    public void Connect_takes_the_declared_connection_parameters()
    {
        var connect = Assert.Single(typeof(GenEventCounterHandle).GetMethods(), m => m.Name == "Connect");
        Assert.Equal(new[] { typeof(GenJoinParams), typeof(CancellationToken) }, connect.GetParameters().Select(p => p.ParameterType));
        Assert.Equal(typeof(Task<GenEventCounterConnection>), connect.ReturnType);
        var remote = Assert.Single(typeof(RemoteEventCounterHandle).GetMethods(), m => m.Name == "Connect");
        Assert.Equal(typeof(GenJoinParams), remote.GetParameters()[0].ParameterType);
        Assert.Equal(typeof(Task<RemoteEventCounterConnection>), remote.ReturnType);
    }

    [Fact]
    public void The_connection_has_the_actions_and_a_handler_and_a_stream_per_event()
    {
        var type = typeof(GenEventCounterConnection);
        Assert.True(typeof(IAsyncDisposable).IsAssignableFrom(type));
        Assert.Equal(typeof(Task<int>), type.GetMethod("Increment")!.ReturnType);
        Assert.Equal(typeof(Action<int>), type.GetMethod("OnNewCount")!.GetParameters().Single().ParameterType);
        Assert.Equal(typeof(IAsyncEnumerable<int>), type.GetMethod("NewCountEvents")!.ReturnType);
        Assert.Equal(typeof(Action), type.GetMethod("OnCleared")!.GetParameters().Single().ParameterType);
        Assert.Equal(typeof(IAsyncEnumerable<GenEventCounterConnection.ClearedEvent>), type.GetMethod("ClearedEvents")!.ReturnType);
        Assert.Equal(typeof(Action<GenEventCounterConnection.MovedEvent>), type.GetMethod("OnMoved")!.GetParameters().Single().ParameterType);
        Assert.Equal(typeof(ActorConnectionStatus), type.GetProperty("Status")!.PropertyType);
        Assert.NotNull(type.GetEvent("StatusChanged"));
        Assert.Equal(typeof(ActorConnection), type.GetProperty("Connection")!.PropertyType);
    }

    [Fact]
    public void Event_payloads_decode_into_the_declared_types()
    {
        Assert.Equal(42, Read<int>(typeof(GenEventCounterConnection), "NewCount", "[42]"));
        Assert.Equal(new GenEventCounterConnection.MovedEvent("ada", 1.5, -2), Read<GenEventCounterConnection.MovedEvent>(typeof(GenEventCounterConnection), "Moved", """["ada", 1.5, -2]"""));
        // Extra trailing arguments are ignored, as a newer actor may add some.
        Assert.Equal(7, Read<int>(typeof(RemoteEventCounterConnection), "NewCount", """[7, "extra"]"""));
    }

    [Fact]
    public void A_bad_event_payload_names_the_actor_the_event_and_the_argument()
    {
        var error = Assert.Throws<RivetException>(() => Read<int>(typeof(GenEventCounterConnection), "NewCount", """["seven"]"""));
        Assert.Equal(RivetErrors.InvalidRequest, error.Code);
        Assert.Contains("gen-event-counter", error.Message, StringComparison.Ordinal);
        Assert.Contains("Event 'newCount'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'count'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_handle_implements_an_abstract_client_event_explicitly_and_refuses_to_send_it()
    {
        await using var client = new RivetClient(new NoTransport());
        IRemoteEventCounter handle = client.RemoteEventCounter.Get("k");
        var error = Assert.Throws<NotSupportedException>(() => handle.NewCount(1));
        Assert.Contains("'newCount'", error.Message, StringComparison.Ordinal);
        Assert.Contains("OnNewCount", error.Message, StringComparison.Ordinal);
        handle.Cleared();   // a default body: nothing generated, nothing thrown
        Assert.Null(typeof(RemoteEventCounterHandle).GetMethod("NewCount"));
    }

    [Fact]
    public void The_typed_schedule_has_one_method_per_action_without_the_cancellation_token()
    {
        var calls = typeof(GenEventCounterScheduledCalls);
        Assert.Equal(typeof(ScheduledEvent), calls.GetMethod("Increment")!.ReturnType);
        Assert.Equal(new[] { typeof(int), typeof(int) }, calls.GetMethod("IncrementLater")!.GetParameters().Select(p => p.ParameterType));
        Assert.Equal(new[] { "After", "At", "Cancel", "Get", "List" },
            typeof(GenEventCounterScheduler).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly).Select(m => m.Name).Order());
        // Private: part of the actor's own code only.
        var property = typeof(GenEventCounter).GetProperty("Schedule", BindingFlags.NonPublic | BindingFlags.Instance)!;
        Assert.True(property.GetMethod!.IsPrivate);
        Assert.Equal(typeof(GenEventCounterScheduler), property.PropertyType);
    }

    /// <summary>Runs the connection's generated payload reader, as its handler and stream do for each event.</summary>
    private static T Read<T>(Type connection, string eventName, string payload)
    {
        var reader = connection.GetMethod("__Read" + eventName, BindingFlags.NonPublic | BindingFlags.Static)!;
        try
        {
            return (T)reader.Invoke(null, [(ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(payload)])!;
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            throw ex.InnerException;
        }
    }

    /// <summary>A transport for tests that never call an actor.</summary>
    private sealed class NoTransport : IActorTransport
    {
        public Task<ReadOnlyMemory<byte>> InvokeAsync(ActorQuery query, string action, ReadOnlyMemory<byte> arguments, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("No calls expected.");

        public Task<string> ResolveAsync(ActorQuery query, CancellationToken cancellationToken) => throw new InvalidOperationException("No calls expected.");

        public Task<string> CreateAsync(string name, ActorKey key, ReadOnlyMemory<byte> input, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("No calls expected.");

        public ValueTask DisposeAsync() => default;
    }
}
