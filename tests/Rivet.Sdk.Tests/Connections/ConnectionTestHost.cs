using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging.Abstractions;
using Rivet.Runtime;
using Rivet.Runtime.Connections;
using Rivet.Runtime.Lifecycle;
using Rivet.Storage;

namespace Rivet.Sdk.Tests.Connections;

/// <summary>
/// A generated definition with the connection serializers the generator does not emit yet (params and state types).
/// </summary>
internal sealed class WithConnectionTypes(ActorDefinition inner, JsonTypeInfo? paramsType, JsonTypeInfo? stateType)
    : ActorDefinition(inner.Name, inner.ActorType, inner.ActionNames, inner.StateType, inner.InputType, inner.DefaultState)
{
    public override JsonTypeInfo? ConnectionParamsType => paramsType;

    public override JsonTypeInfo? ConnectionStateType => stateType;

    public override Actor CreateInstance() => inner.CreateInstance();

    public override ValueTask DispatchAsync(Actor actor, string action, ReadOnlyMemory<byte> arguments, Utf8JsonWriter result, CancellationToken cancellationToken) =>
        inner.DispatchAsync(actor, action, arguments, result, cancellationToken);

    public static ActorDefinition Of<TActor>() where TActor : IGeneratedActor => TActor.Definition;
}

/// <summary>An <see cref="IConnectionOutput"/> that records what the actor sent.</summary>
internal sealed class RecordingOutput : IConnectionOutput
{
    private readonly Lock _lock = new();
    private readonly List<string> _events = [];
    private readonly List<string?> _closes = [];

    /// <summary>Each event as <c>name json</c>.</summary>
    public IReadOnlyList<string> Events { get { lock (_lock) { return _events.ToArray(); } } }

    public IReadOnlyList<string?> Closes { get { lock (_lock) { return _closes.ToArray(); } } }

    public void SendEvent(string eventName, ReadOnlyMemory<byte> argumentsJson)
    {
        lock (_lock)
        {
            _events.Add(eventName + " " + Encoding.UTF8.GetString(argumentsJson.Span));
        }
    }

    public void Close(string? reason)
    {
        lock (_lock)
        {
            _closes.Add(reason);
        }
    }
}

/// <summary>Starts <see cref="ConnRoom"/> instances on one in-memory store, as a host would.</summary>
internal sealed class ConnectionTestHost : IAsyncDisposable
{
    public static readonly ActorDefinition Room = new WithConnectionTypes(
        WithConnectionTypes.Of<ConnRoom>(), ConnectionTestJson.Default.RoomParams, ConnectionTestJson.Default.RoomConnState);

    private readonly InMemoryActorStorage _storage = new();
    private readonly RivetClient _client = RivetClient.Create();

    public IActorKv Kv => _storage.ForActor(ActorId);

    public string ActorId { get; } = "conn-actor-1";

    public Task<ActorInstance> StartAsync(ActorDefinition? definition = null, Func<ActorInstance, Task>? beforeWake = null) =>
        ActorInstance.StartAsync(definition ?? Room, ActorId, "room", ReadOnlyMemory<byte>.Empty, Kv, NullLoggerFactory.Instance, _client, DetachedHostControl.Instance, CancellationToken.None, beforeWake);

    public static ConnectionOpen Open(string? user, HibernationTicket? hibernation = null) => new(
        user is null ? ReadOnlyMemory<byte>.Empty : JsonSerializer.SerializeToUtf8Bytes(new RoomParams(user), ConnectionTestJson.Default.RoomParams),
        "/connect",
        new Dictionary<string, string> { ["x-test"] = "yes" },
        hibernation);

    public static HibernationTicket Ticket(byte gateway, byte request) => new()
    {
        GatewayId = [gateway, 0, 0, 1],
        RequestId = [request, 0, 0, 2],
    };

    public static byte[] Args(params object[] values) =>
        Encoding.UTF8.GetBytes("[" + string.Join(",", values.Select(v => v is string s ? "\"" + s + "\"" : v.ToString())) + "]");

    public static string Text(byte[] json) => Encoding.UTF8.GetString(json);

    public async ValueTask DisposeAsync()
    {
        await _client.DisposeAsync();
        await _storage.DisposeAsync();
    }
}
