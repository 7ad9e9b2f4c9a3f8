using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Rivet.Protocol.Client;

namespace Rivet.Client;

// Event subscriptions: the first listener of an event subscribes on the actor, the last one gone unsubscribes, and
// every reconnect subscribes again to what is listened to.
public sealed partial class ActorConnection
{
    /// <summary>
    /// How many events an <see cref="Events"/> stream holds for a consumer that reads slower than the actor sends.
    /// Past that, the stream ends with <c>client.events_overflow</c>: it neither drops events silently nor stalls the
    /// connection (the actions and the other listeners of this connection keep flowing).
    /// </summary>
    public const int EventStreamCapacity = 1024;

    // Guarded by _gate; arrays are replaced, never changed, so dispatch reads them without the lock.
    private readonly Dictionary<string, EventListener[]> _listeners = new(StringComparer.Ordinal);

    private IDisposable SubscribeCore(string eventName, Action<ReadOnlyMemory<byte>> handler)
    {
        var listener = new HandlerListener(this, eventName, handler);
        AddListener(listener);
        return listener;
    }

    private async IAsyncEnumerable<ReadOnlyMemory<byte>> EventsCore(string eventName, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Subscribed when enumeration starts (the first MoveNextAsync), so an action called after that sees it.
        using var listener = new StreamListener(this, eventName);
        AddListener(listener);
        var reader = listener.Reader;
        while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (reader.TryRead(out var arguments))
            {
                yield return arguments;
            }
        }
    }

    private void AddListener(EventListener listener)
    {
        lock (_gate)
        {
            if (_status == ActorConnectionStatus.Closed)
            {
                listener.Complete();
                return;
            }
            if (_listeners.TryGetValue(listener.EventName, out var existing))
            {
                _listeners[listener.EventName] = [.. existing, listener];
                return;
            }
            _listeners[listener.EventName] = [listener];
            if (_status == ActorConnectionStatus.Open && _session is { } session)
            {
                session.Outbox.Writer.TryWrite(new ConnectSubscriptionRequest(listener.EventName, true));
            }
            // Otherwise the next open subscribes to it (Activate).
        }
    }

    private void RemoveListener(EventListener listener)
    {
        lock (_gate)
        {
            if (!_listeners.TryGetValue(listener.EventName, out var existing))
            {
                return;
            }
            var index = Array.IndexOf(existing, listener);
            if (index < 0)
            {
                return;
            }
            if (existing.Length > 1)
            {
                _listeners[listener.EventName] = [.. existing[..index], .. existing[(index + 1)..]];
                return;
            }
            _listeners.Remove(listener.EventName);
            if (_status == ActorConnectionStatus.Open && _session is { } session)
            {
                session.Outbox.Writer.TryWrite(new ConnectSubscriptionRequest(listener.EventName, false));
            }
        }
    }

    /// <summary>Runs on the receive loop, in the order the actor sent the events.</summary>
    private void Dispatch(string eventName, ReadOnlyMemory<byte> arguments)
    {
        EventListener[]? listeners;
        lock (_gate)
        {
            _listeners.TryGetValue(eventName, out listeners);
        }
        if (listeners is null)
        {
            // Sent just before an unsubscription reached the actor.
            return;
        }
        foreach (var listener in listeners)
        {
            listener.Deliver(arguments);
        }
    }

    private void CompleteAllListenersLocked()
    {
        foreach (var listeners in _listeners.Values)
        {
            foreach (var listener in listeners)
            {
                listener.Complete();
            }
        }
        _listeners.Clear();
    }

    private abstract class EventListener(ActorConnection connection, string eventName) : IDisposable
    {
        private int _disposed;

        public string EventName { get; } = eventName;

        protected ActorConnection Connection { get; } = connection;

        public abstract void Deliver(ReadOnlyMemory<byte> arguments);

        public virtual void Complete()
        {
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Connection.RemoveListener(this);
                Complete();
            }
        }
    }

    private sealed class HandlerListener(ActorConnection connection, string eventName, Action<ReadOnlyMemory<byte>> handler) : EventListener(connection, eventName)
    {
        public override void Deliver(ReadOnlyMemory<byte> arguments)
        {
            try
            {
                handler(arguments);
            }
            catch (Exception e)
            {
                // A handler's bug must not stop the connection or the other listeners.
                LogEventHandlerFailed(Connection._logger, e, EventName, Connection.Describe());
            }
        }
    }

    private sealed class StreamListener(ActorConnection connection, string eventName) : EventListener(connection, eventName)
    {
        private readonly Channel<ReadOnlyMemory<byte>> _buffer = Channel.CreateBounded<ReadOnlyMemory<byte>>(
            new BoundedChannelOptions(EventStreamCapacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });

        public ChannelReader<ReadOnlyMemory<byte>> Reader => _buffer.Reader;

        public override void Deliver(ReadOnlyMemory<byte> arguments)
        {
            if (!_buffer.Writer.TryWrite(arguments) && _buffer.Writer.TryComplete(new RivetException(ClientGroup, "events_overflow",
                    $"The stream of event '{EventName}' from actor {Connection.Describe()} fell {EventStreamCapacity} events behind and was ended "
                    + "(the connection does not drop events or wait for a slow reader); read faster, or use Subscribe with a handler that queues.")))
            {
                LogStreamOverflow(Connection._logger, EventName, Connection.Describe(), EventStreamCapacity);
            }
        }

        public override void Complete() => _buffer.Writer.TryComplete();
    }
}
