using System;
using System.Collections.Generic;
using System.Threading;
using Rivet.Runtime;
using Rivet.Runtime.Connections;

namespace Rivet;

// Runtime side of Connection: where its events go, its hibernation data, and what was last persisted of it.
// Everything read outside the actor's turn (by the protocol layer persisting indexes) is an immutable snapshot.
public sealed partial class Connection
{
    private static readonly IReadOnlyDictionary<string, string> s_noHeaders = new Dictionary<string, string>(0);

    private readonly HashSet<string> _subscriptions = new(StringComparer.Ordinal);
    private string[] _subscriptionSnapshot = [];
    private int _closed;
    private object? _state;

    internal Connection(string id, object? parameters, object? state)
    {
        Id = id;
        Params = parameters;
        State = state;
    }

    /// <summary>The actor this connection belongs to.</summary>
    internal ActorInstance? Owner { get; set; }

    /// <summary>The span that opened the connection (actions over it link to it); <see langword="default"/> when nobody traced it.</summary>
    internal System.Diagnostics.ActivityContext OpenedBy { get; set; }

    /// <summary>Where its events go; <see langword="null"/> for a restored hibernated connection not attached yet.</summary>
    internal IConnectionOutput? Output { get; set; }

    /// <summary>Set for a hibernatable engine WebSocket: its gateway ids and message indexes.</summary>
    internal HibernationTicket? HibernationTicket { get; init; }

    /// <summary>Whether the connection survives the actor's sleep (and is persisted).</summary>
    internal bool IsHibernatable => HibernationTicket is not null;

    /// <summary>The upgrade request's path.</summary>
    internal string RequestPath { get; init; } = "";

    /// <summary>The upgrade request's headers.</summary>
    internal IReadOnlyDictionary<string, string> RequestHeaders { get; init; } = s_noHeaders;

    /// <summary>The parameters as the client sent them (Rivet JSON), empty when it sent none.</summary>
    internal ReadOnlyMemory<byte> ParamsJson { get; init; }

    /// <summary>The JSON of <see cref="State"/> last written to storage (hibernatable connections only).</summary>
    internal byte[]? PersistedStateJson { get; set; }

    /// <summary>The subscriptions as of the last change: safe to read outside the actor's turn.</summary>
    internal IReadOnlyList<string> SubscriptionSnapshot => Volatile.Read(ref _subscriptionSnapshot);

    /// <summary>Serializes writes of this connection's record, and stops them once it was deleted.</summary>
    internal SemaphoreSlim PersistLock { get; } = new(1, 1);

    /// <summary>Set (under <see cref="PersistLock"/>) once the record was deleted: later writes must not resurrect it.</summary>
    internal bool RecordDeleted { get; set; }

    /// <summary>Set when <see cref="State"/> was read or set since the actor last checked it for a change.</summary>
    internal bool StateTouched { get; set; }

    /// <summary><see cref="State"/> for the runtime's own reads (serializing it), which touch nothing.</summary>
    internal object? StateUntracked => _state;

    /// <summary>Whether the connection was closed (by the client, the actor, or the host).</summary>
    internal bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>Marks the connection closed; <see langword="false"/> when it already was.</summary>
    internal bool TryMarkClosed() => Interlocked.Exchange(ref _closed, 1) == 0;

    /// <summary>Adds or removes a subscription; <see langword="true"/> when that changed anything.</summary>
    internal bool SetSubscription(string eventName, bool subscribe)
    {
        var changed = subscribe ? _subscriptions.Add(eventName) : _subscriptions.Remove(eventName);
        if (changed)
        {
            var snapshot = new string[_subscriptions.Count];
            _subscriptions.CopyTo(snapshot);
            Volatile.Write(ref _subscriptionSnapshot, snapshot);
        }
        return changed;
    }

    private void SendCore(string eventName, ReadOnlyMemory<byte> argumentsJson)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        if (IsClosed || Output is not { } output || !_subscriptions.Contains(eventName))
        {
            return;
        }
        // The caller's buffer (generated events use a pooled one) is reused after this returns: outputs get a copy.
        output.SendEvent(eventName, argumentsJson.ToArray());
    }

    private void DisconnectCore(string? reason)
    {
        var owner = Owner ?? throw new InvalidOperationException($"Connection '{Id}' does not belong to a running actor.");
        owner.RequestDisconnect(this, reason);
    }
}
