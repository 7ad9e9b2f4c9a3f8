using System;
using System.Collections.Generic;
using System.ComponentModel;
using Rivet.Runtime;

namespace Rivet;

/// <summary>
/// One client connection to a running actor (a RivetKit <c>/connect</c> WebSocket, or an in-process connection on
/// the embedded host). The actor receives it in <see cref="Actor.OnConnectAsync"/> and <see cref="Actor.OnDisconnectAsync"/>,
/// lists them in <see cref="Actor.Connections"/>, and can send events to it alone.
/// </summary>
/// <remarks>Use it only from the actor's own code (actions and hooks), like the rest of the actor.</remarks>
public sealed partial class Connection
{
    /// <summary>The connection id (a UUID), as the client sees it in its <c>Init</c> message.</summary>
    public string Id { get; }

    /// <summary>The parameters the client connected with, deserialized as the actor's
    /// <see cref="IConnectionParams{TParams}"/> type; <see langword="null"/> when it sent none or declares none.</summary>
    public object? Params { get; }

    /// <summary>The connection's state (see <see cref="IConnectionState{TParams, TConnState}"/>); changes made in an
    /// action are saved with the actor's state for hibernatable connections. Unlike the actor's state, a change is not
    /// rolled back when the action throws.</summary>
    public object? State
    {
        get
        {
            // Read or set in a turn: the turn's end checks this connection's state for a change (and no other).
            StateTouched = true;
            return _state;
        }
        set
        {
            StateTouched = true;
            _state = value;
        }
    }

    /// <summary>The parameters as <typeparamref name="T"/>.</summary>
    /// <exception cref="InvalidCastException">The actor declares another parameter type.</exception>
    public T? GetParams<T>() => Params is null ? default : (T)Params;

    /// <summary>The connection state as <typeparamref name="T"/>.</summary>
    /// <exception cref="InvalidCastException">The actor declares another connection state type.</exception>
    public T? GetState<T>() => State is null ? default : (T)State;

    /// <summary>The events this connection subscribed to (wire names).</summary>
    public IReadOnlyCollection<string> Subscriptions => _subscriptions;

    /// <summary>Whether it subscribed to <paramref name="eventName"/>.</summary>
    public bool IsSubscribed(string eventName) => _subscriptions.Contains(eventName);

    /// <summary>Sends the event <paramref name="eventName"/> to this connection only, if it subscribed to it.</summary>
    /// <param name="eventName">The event's wire name.</param>
    /// <param name="argumentsJson">The event's arguments as a UTF-8 JSON array.</param>
    public void Send(string eventName, ReadOnlyMemory<byte> argumentsJson) => SendCore(eventName, argumentsJson);

    /// <summary>Sends a generated event to this connection only. Used by generated code.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void SendEvent(string eventName, ActionArguments arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        SendCore(eventName, arguments.Complete());
    }

    /// <summary>Closes the connection from the actor side; <see cref="Actor.OnDisconnectAsync"/> runs afterwards.</summary>
    /// <param name="reason">Why, for the client and the logs.</param>
    public void Disconnect(string? reason = null) => DisconnectCore(reason);

    /// <inheritdoc />
    public override string ToString() => Id;
}
