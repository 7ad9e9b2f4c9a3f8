using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Runtime;

namespace Rivet.Client;

/// <summary>The state of an <see cref="ActorConnection"/>.</summary>
public enum ActorConnectionStatus
{
    /// <summary>Opening, or reopening after a drop; calls wait for it to open.</summary>
    Connecting,

    /// <summary>Open: calls and events flow.</summary>
    Open,

    /// <summary>Closed for good: disposed, or the actor rejected or closed it.</summary>
    Closed,
}

/// <summary>
/// A realtime connection to one actor (RivetKit's <c>/connect</c> WebSocket through the engine's gateway, or an
/// in-process connection on the embedded host): actions over one socket, and the events the actor sends. It
/// reconnects by itself after a drop and subscribes again to what it listened to. Generated typed connections
/// (<c>CounterConnection</c>) wrap it.
/// </summary>
/// <remarks>Thread-safe. Dispose it to close the connection.</remarks>
public sealed partial class ActorConnection : IAsyncDisposable
{
    /// <summary>The connection's status.</summary>
    public ActorConnectionStatus Status => StatusCore;

    /// <summary>Raised, off the caller's thread and in order, whenever <see cref="Status"/> changes after the connection was opened.</summary>
    public event Action<ActorConnectionStatus>? StatusChanged;

    /// <summary>Raised with connection-level errors the actor sends (for example a rejected connection).</summary>
    public event Action<RivetException>? Error;

    /// <summary>The actor's id, once connected.</summary>
    public string? ActorId => ActorIdCore;

    /// <summary>The connection id the actor gave this connection (it changes after a reconnect).</summary>
    public string? ConnectionId => ConnectionIdCore;

    /// <summary>Calls an action over the connection with raw JSON arguments (a JSON array); returns its raw JSON result.</summary>
    public Task<ReadOnlyMemory<byte>> InvokeRawAsync(string action, ReadOnlyMemory<byte> argumentsJson, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(action);
        return InvokeCoreAsync(action, argumentsJson, cancellationToken);
    }

    /// <summary>Calls an action and deserializes its result. Used by generated connections.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public async Task<TResult> InvokeAsync<TResult>(string action, ActionArguments arguments, JsonTypeInfo<TResult> resultType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ReadOnlyMemory<byte> result;
        using (arguments)
        {
            result = await InvokeCoreAsync(action, arguments.Complete(), cancellationToken).ConfigureAwait(false);
        }
        return ActionResults.Read(ActorId ?? "?", action, result, resultType);
    }

    /// <summary>Calls an action that returns nothing. Used by generated connections.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public async Task InvokeAsync(string action, ActionArguments arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        using (arguments)
        {
            await InvokeCoreAsync(action, arguments.Complete(), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Calls <paramref name="handler"/> with the arguments (a UTF-8 JSON array) of every <paramref name="eventName"/>
    /// event, and asks the actor to send that event to this connection. Dispose the result to unsubscribe (the actor
    /// stops sending it once no handler or stream listens).
    /// </summary>
    /// <remarks>Handlers run one at a time on the connection's receive loop, in the order the actor sent the events:
    /// keep them short (a slow handler delays the responses behind it). An exception from a handler is logged and
    /// ignored. An event already being dispatched may still reach a handler that is being disposed.</remarks>
    public IDisposable Subscribe(string eventName, Action<ReadOnlyMemory<byte>> handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        ArgumentNullException.ThrowIfNull(handler);
        return SubscribeCore(eventName, handler);
    }

    /// <summary>
    /// The arguments (UTF-8 JSON arrays) of every <paramref name="eventName"/> event from now on, as a stream; the
    /// subscription lasts while it is enumerated. Ends when the connection closes; cancelling
    /// <paramref name="cancellationToken"/> ends it with <see cref="OperationCanceledException"/>.
    /// </summary>
    /// <remarks>Each stream buffers up to <see cref="EventStreamCapacity"/> unread events. A consumer that falls further
    /// behind gets a <see cref="RivetException"/> <c>client.events_overflow</c> after the buffered ones: events are never
    /// dropped silently, and a slow reader never stalls the connection. Events keep flowing across reconnects, but those
    /// the actor sent while the connection was down are not replayed.</remarks>
    public IAsyncEnumerable<ReadOnlyMemory<byte>> Events(string eventName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        return EventsCore(eventName, cancellationToken);
    }

    /// <summary>Closes the connection (the actor's <c>OnDisconnectAsync</c> runs) and fails calls still waiting.</summary>
    public ValueTask DisposeAsync() => DisposeCoreAsync();
}
