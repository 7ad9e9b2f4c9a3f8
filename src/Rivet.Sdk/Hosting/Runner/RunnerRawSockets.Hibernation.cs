using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Rivet.Hosting.ActorHttp;
using Rivet.Protocol.Envoy;
using Rivet.Runtime;
using Rivet.Runtime.Raw;

namespace Rivet.Hosting.Runner;

// Hibernatable raw WebSockets (Actor.CanHibernateWebSocket), as RivetKit's canHibernateWebSocket: opened with
// canHibernate, each client message checked against the client index (duplicates after a wake dropped and acknowledged
// again, a gap closes the socket) and acknowledged once the handler is done with it (HandledMessageWebSocket). On
// sleep the socket is left open at the gateway; on wake (CommandStartActor.hibernatingRequests) it is answered again
// and, once the actor runs, its handler is called again with the same request, marked restored.
internal sealed partial class RunnerRawSockets
{
    /// <summary>Close reason of a restored raw socket whose actor failed to wake (code 1011, RivetKit's restore failure reason).</summary>
    public const string RestoreErrorReason = "ws.restore_error";

    /// <summary>How long opening a hibernatable socket waits for its record to be written before serving it not hibernatable.</summary>
    private static readonly TimeSpan s_recordTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Before the actor sleeps: its hibernatable raw sockets stop acknowledging client messages (those arriving from
    /// now on are delivered again after the wake) and stay open when its handlers' tokens fire.
    /// </summary>
    public void Suspend(string actorId)
    {
        foreach (var socket in _sockets.Values.Where(s => s.Actor.ActorId == actorId && s.Ticket is not null))
        {
            socket.Hibernate();
        }
    }

    /// <summary>The actor is destroyed: its raw sockets are closed, hibernating ones included (<paramref name="code"/> <paramref name="reason"/>).</summary>
    public void CloseAll(string actorId, ushort code, string reason)
    {
        foreach (var socket in _sockets.Values.Where(s => s.Actor.ActorId == actorId))
        {
            if (socket.Hibernating)
            {
                _ = socket.CloseFromHostAsync(code, reason);
            }
            else
            {
                socket.Abort();
            }
        }
    }

    /// <summary>
    /// On a wake, before <c>OnWake</c>: answers the hibernating requests that are raw sockets of this actor
    /// (<paramref name="tickets"/>, loaded with its connections) and returns the others, for the <c>/connect</c>
    /// restore. Records the gateway no longer holds are deleted. The restored handlers start with
    /// <see cref="RawRestoration.Starts"/>, once the actor runs.
    /// </summary>
    public RawRestoration AttachHibernated(ActorInstance actor, IReadOnlyList<HibernatingRequest> requests, IReadOnlyList<RawSocketTicket> tickets)
    {
        var restoration = new RawRestoration();
        var attached = new HashSet<RawSocketTicket>();
        foreach (var request in requests)
        {
            var ticket = tickets.FirstOrDefault(t => t.Ids.GatewayId.AsSpan().SequenceEqual(request.GatewayId) && t.Ids.RequestId.AsSpan().SequenceEqual(request.RequestId));
            if (ticket is null)
            {
                restoration.Others.Add(request);
                continue;
            }
            attached.Add(ticket);
            actor.AttachRawTicket(ticket);
            var socket = new RawSocket(this, request.GatewayId, request.RequestId, actor, ticket, restored: true);
            Register(socket);
            restoration.Opened.Add(socket.SendOpenAsync());
            restoration.Starts.Add(() =>
            {
                var opening = RawRequestEndpoint.ToActorRequest("GET", RawRequestEndpoint.StripWebSocket(ticket.Path), ticket.Headers, ReadOnlyMemory<byte>.Empty);
                Actor.MarkRestoredWebSocket(opening);
                socket.Start(opening, ticket.Headers.ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase), restored: true);
            });
            LogRawRestored(_logger, actor.ActorId, ticket.Path, ticket.Ids.ClientMessageIndex);
        }
        foreach (var stale in tickets.Where(t => !attached.Contains(t)))
        {
            // Closed while the actor slept (the gateway forgot it): nothing to serve.
            _ = ForgetAsync(actor, stale);
        }
        return restoration;
    }

    private async Task ForgetAsync(ActorInstance actor, RawSocketTicket ticket)
    {
        try
        {
            await actor.RemoveRawTicketAsync(ticket).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Deleted at the next wake that finds it unclaimed.
            LogRecordNotDeleted(_logger, actor.ActorId, ticket.Path, ex.Message);
        }
    }

    /// <summary>What <see cref="AttachHibernated"/> restored.</summary>
    public sealed class RawRestoration
    {
        /// <summary>The hibernating requests that are not raw sockets of the actor.</summary>
        public List<HibernatingRequest> Others { get; } = [];

        /// <summary>Completes once each restored socket's open message went out.</summary>
        public List<Task> Opened { get; } = [];

        /// <summary>Starts each restored socket's handler.</summary>
        public List<Action> Starts { get; } = [];
    }

    private sealed partial class RawSocket
    {
        // Client indexes of the messages put into the pair, in order: the handler reads them in this order.
        private readonly ConcurrentQueue<ushort> _pumped = new();
        private ushort _lastClientIndex;
        private bool _restoredAhead;
        private int _hibernating;
        private int _started;

        /// <summary>The socket's record when it is hibernatable; null when not (or its record could not be written).</summary>
        public RawSocketTicket? Ticket { get; private set; }

        /// <summary>Restored after a wake (its open went out in <see cref="AttachHibernated"/>).</summary>
        public bool Restored { get; }

        /// <summary>Left open for the actor's sleep: client messages arriving now are not acknowledged, no close goes out.</summary>
        public bool Hibernating => Volatile.Read(ref _hibernating) != 0;

        public void Hibernate() => Volatile.Write(ref _hibernating, 1);

        public Task SendOpenAsync() => SendAsync(new ToRivetWebSocketOpen { CanHibernate = true }).AsTask();

        /// <summary>The actor stopped: hibernating sockets are let go silently; a restored one never served (its actor failed to wake) is closed.</summary>
        public void EndForStop()
        {
            if (Restored && Volatile.Read(ref _started) == 0)
            {
                LogRestoredNotServed(_owner._logger, Actor.ActorId, Ticket!.Path);
                _ = CloseFromHostAsync((ushort)WebSocketCloseStatus.InternalServerError, RestoreErrorReason);
                return;
            }
            Abort();
        }

        /// <summary>Closes the socket at the gateway (even while hibernating), forgets its record, and ends it here.</summary>
        public async Task CloseFromHostAsync(ushort code, string reason)
        {
            Interlocked.Exchange(ref _clientClosed, 1); // no other close goes out
            Abort();
            await SendAsync(new ToRivetWebSocketClose { Code = code, Reason = reason, Hibernate = false }).ConfigureAwait(false);
            Forget();
        }

        /// <summary>Checks a client message's index (called on the receive loop); false: drop it.</summary>
        private bool AcceptIndex(ushort index)
        {
            if (Hibernating)
            {
                return false; // not acknowledged: the gateway delivers it again after the wake
            }
            var step = (short)(index - _lastClientIndex);
            if (step <= 0)
            {
                // Handled before the sleep; its ack may have been lost with the actor.
                _ = SendAsync(new ToRivetWebSocketMessageAck { Index = index });
                return false;
            }
            if (step > 1 && !_restoredAhead)
            {
                LogRawIndexGap(_owner._logger, Actor.ActorId, _lastClientIndex, index);
                _ = CloseFromHostAsync((ushort)WebSocketCloseStatus.PolicyViolation, "ws.message_index_skip");
                return false;
            }
            // The first message after a wake may be ahead of the persisted index (acknowledged, index not yet written).
            _lastClientIndex = index;
            _restoredAhead = false;
            Actor.MarkActivity();
            return true;
        }

        /// <summary>The handler is done with <paramref name="count"/> more messages: they are acknowledged, their index written with the next save.</summary>
        private void OnHandled(int count)
        {
            var indexes = new ushort[count];
            var taken = 0;
            while (taken < count && _pumped.TryDequeue(out var index))
            {
                indexes[taken++] = index;
            }
            // Also while hibernating: a message handled before the handler saw the sleep must not be delivered again
            // (the sleep's final save waits for the handlers and writes the index).
            if (taken == 0 || Ticket is not { } ticket)
            {
                return;
            }
            ticket.Ids.ClientMessageIndex = indexes[taken - 1];
            Actor.RawIndexAdvanced(ticket);
            for (var i = 0; i < taken; i++)
            {
                _ = SendAsync(new ToRivetWebSocketMessageAck { Index = indexes[i] });
            }
        }

        /// <summary>Writes a new hibernatable socket's record; when that fails the socket is served, not hibernatable.</summary>
        private async Task RecordAsync()
        {
            if (Ticket is not { } ticket)
            {
                return;
            }
            try
            {
                await Actor.AddRawTicketAsync(ticket, _aborted.Token).WaitAsync(s_recordTimeout).ConfigureAwait(false);
            }
            catch (Exception ex) when (!_aborted.IsCancellationRequested)
            {
                LogRecordNotWritten(_owner._logger, Actor.ActorId, ticket.Path, ex.Message);
                Ticket = null;
                _ = Actor.RemoveRawTicketAsync(ticket).ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
            }
        }

        /// <summary>The socket ended for good: its record goes.</summary>
        private void Forget()
        {
            if (Ticket is { } ticket)
            {
                _ = _owner.ForgetAsync(Actor, ticket);
            }
        }
    }

    [LoggerMessage(EventId = 2010, Level = LogLevel.Debug, Message = "Actor {ActorId}: a hibernatable raw WebSocket stays open at the gateway while the actor sleeps (last client message {ClientIndex})")]
    private static partial void LogHibernated(ILogger logger, string actorId, ushort clientIndex);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Debug, Message = "Actor {ActorId}: raw WebSocket {Path} restored after the wake (last client message {ClientIndex})")]
    private static partial void LogRawRestored(ILogger logger, string actorId, string path, ushort clientIndex);

    [LoggerMessage(EventId = 2013, Level = LogLevel.Warning, Message = "Actor {ActorId}: raw WebSocket {Path} was restored but the actor failed to wake; closing it (1011 " + RestoreErrorReason + ")")]
    private static partial void LogRestoredNotServed(ILogger logger, string actorId, string path);

    [LoggerMessage(EventId = 2014, Level = LogLevel.Warning, Message = "Actor {ActorId}: raw WebSocket client message {Index} follows {Last}; messages were lost, closing the socket (1008 ws.message_index_skip)")]
    private static partial void LogRawIndexGap(ILogger logger, string actorId, ushort last, ushort index);

    [LoggerMessage(EventId = 2015, Level = LogLevel.Warning, Message = "Actor {ActorId}: the record of hibernatable raw WebSocket {Path} could not be written ({Reason}); it is served not hibernatable")]
    private static partial void LogRecordNotWritten(ILogger logger, string actorId, string path, string reason);

    [LoggerMessage(EventId = 2016, Level = LogLevel.Debug, Message = "Actor {ActorId}: the record of closed raw WebSocket {Path} could not be deleted ({Reason}); the next wake deletes it")]
    private static partial void LogRecordNotDeleted(ILogger logger, string actorId, string path, string reason);
}
