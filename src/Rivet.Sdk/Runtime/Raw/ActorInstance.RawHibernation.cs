using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Net.Http;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Rivet.Runtime.Raw;
using Rivet.Storage;
using Rivet.Storage.Persistence;

namespace Rivet.Runtime;

// Hibernatable raw WebSockets (Actor.CanHibernateWebSocket): a record per socket from its open to its close, so a wake
// knows which sockets the gateway held are raw ones and what their handler was opened with (read with the
// connections' records, LoadHibernatedConnectionsAsync). Their acknowledged client index follows the rule of /connect
// connections (AckIndexes): kept in memory, written with the next state save, at sleep and at stop. They are not
// connections: no hooks, not in Connections, no events.
internal sealed partial class ActorInstance
{
    /// <summary>How long a sleep waits for the handlers of hibernatable raw sockets to end once their token fired.</summary>
    private static readonly TimeSpan s_rawHandlerStopTimeout = TimeSpan.FromSeconds(5);

    // The hibernatable socket whose handler runs now: flows with the handler, so its RunInTurnAsync marks what it read.
    private static readonly AsyncLocal<HandlerSocket?> s_handlerSocket = new();

    private readonly ConcurrentDictionary<RawSocketTicket, byte> _rawTickets = new();

    // Handlers of hibernatable raw sockets running now (with their socket); each completes once its handled messages are reported.
    private readonly ConcurrentDictionary<TaskCompletionSource, HandledMessageWebSocket?> _rawHandlers = new();

    /// <summary>
    /// Whether a hibernatable raw socket's handler holds a client message it is not done with: that keeps the actor
    /// awake (at most <see cref="HandledMessageWebSocket.AckDeadline"/> per message), so an idle sleep does not cut it short.
    /// </summary>
    private bool RawHandlerHoldsMessage => !_rawHandlers.IsEmpty && _rawHandlers.Values.Any(s => s is { HoldsMessage: true });

    /// <summary>Whether some hibernatable raw socket is registered (its index may ride along with state saves).</summary>
    private bool HasRawTickets => !_rawTickets.IsEmpty;

    /// <summary>The actor's <see cref="Actor.CanHibernateWebSocket"/>; one that throws answers no (logged).</summary>
    public bool CanHibernateWebSocket(HttpRequestMessage request)
    {
        try
        {
            return Actor.RunCanHibernateWebSocket(request);
        }
        catch (Exception ex)
        {
            LogCanHibernateFailed(_logger, ex, Definition.Name, Key, ActorId);
            return false;
        }
    }

    /// <summary>A hibernatable raw socket opened: registers it and writes its record (before the open is answered).</summary>
    public async Task AddRawTicketAsync(RawSocketTicket ticket, CancellationToken cancellationToken)
    {
        _rawTickets[ticket] = 0;
        await ticket.PersistLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Volatile.Write(ref ticket.Ids.IndexUnsaved, 0);
            await Kv.PutAsync([new KvEntry(ticket.Key, EncodeRawRecord(ticket))], cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _rawTickets.TryRemove(ticket, out _);
            throw;
        }
        finally
        {
            ticket.PersistLock.Release();
        }
    }

    /// <summary>A restored socket (its record was loaded by <see cref="LoadHibernatedConnectionsAsync"/>) is served again.</summary>
    public void AttachRawTicket(RawSocketTicket ticket) => _rawTickets[ticket] = 0;

    /// <summary>The socket closed for good (or the gateway no longer holds it): forgets it and deletes its record.</summary>
    public async Task RemoveRawTicketAsync(RawSocketTicket ticket)
    {
        _rawTickets.TryRemove(ticket, out _);
        await ticket.PersistLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (ticket.RecordDeleted)
            {
                return;
            }
            ticket.RecordDeleted = true;
            await Kv.DeleteAsync([ticket.Key]).ConfigureAwait(false);
        }
        finally
        {
            ticket.PersistLock.Release();
        }
    }

    /// <summary>The host acknowledged client messages up to the ticket's index: written with the next state save, at sleep and at stop.</summary>
    public void RawIndexAdvanced(RawSocketTicket ticket)
    {
        Volatile.Write(ref ticket.Ids.IndexUnsaved, 1);
        Volatile.Write(ref _indexesUnsaved, 1);
    }

    /// <summary>Takes the raw socket records whose index advanced into <paramref name="taken"/>, within the bounds (see <see cref="TakeUnsavedIndexes"/>).</summary>
    private void TakeUnsavedRawIndexes(UnsavedIndexes taken, int maxRecords, int maxBytes, ref int bytes)
    {
        foreach (var ticket in _rawTickets.Keys)
        {
            if (Volatile.Read(ref ticket.Ids.IndexUnsaved) == 0)
            {
                continue;
            }
            if (taken.Entries.Count >= maxRecords || bytes >= maxBytes)
            {
                Volatile.Write(ref _indexesUnsaved, 1);
                return;
            }
            if (!ticket.PersistLock.Wait(0))
            {
                Volatile.Write(ref _indexesUnsaved, 1); // being written or deleted right now: the next save tries again
                continue;
            }
            if (ticket.RecordDeleted)
            {
                ticket.PersistLock.Release();
                continue;
            }
            Volatile.Write(ref ticket.Ids.IndexUnsaved, 0);
            var entry = new KvEntry(ticket.Key, EncodeRawRecord(ticket));
            bytes += entry.Key.Length + entry.Value.Length;
            taken.Add(ticket, entry);
        }
    }

    /// <summary>The hibernatable socket of the handler running now, when it belongs to this actor.</summary>
    private HandledMessageWebSocket? CallerHandledSocket => s_handlerSocket.Value is { } caller && ReferenceEquals(caller.Owner, this) ? caller.Socket : null;

    /// <summary>A hibernatable raw socket's handler starts: <see cref="RawHandlerEnded"/> completes what this returns.</summary>
    private TaskCompletionSource RawHandlerStarted(HandledMessageWebSocket? socket)
    {
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _rawHandlers[ended] = socket;
        return ended;
    }

    /// <summary>
    /// A hibernatable raw socket's handler ended. At a sleep, the messages whose state change it made durable count as
    /// handled (their index is written by the sleep's final save, after <see cref="WaitForRawHandlersAsync"/>).
    /// </summary>
    private void RawHandlerEnded(TaskCompletionSource ended, WebSocket socket)
    {
        try
        {
            if (_stopping.IsCancellationRequested && socket is HandledMessageWebSocket handled)
            {
                handled.HandledThroughDurableTurn();
            }
        }
        finally
        {
            _rawHandlers.TryRemove(ended, out _);
            ended.TrySetResult();
        }
    }

    /// <summary>
    /// At stop (after the handlers' tokens fired, before the final save): waits, boundedly, for the handlers of
    /// hibernatable raw sockets to end, so that what they finished is in that save and not delivered again after the wake.
    /// </summary>
    private async Task WaitForRawHandlersAsync()
    {
        var running = _rawHandlers.Keys.Select(h => h.Task).ToArray();
        if (running.Length == 0)
        {
            return;
        }
        try
        {
            await Task.WhenAll(running).WaitAsync(s_rawHandlerStopTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            LogRawHandlersOverran(_logger, Definition.Name, Key, ActorId, running.Count(t => !t.IsCompleted), s_rawHandlerStopTimeout.TotalSeconds);
        }
    }

    private sealed record HandlerSocket(ActorInstance Owner, HandledMessageWebSocket Socket);

    private static byte[] EncodeRawRecord(RawSocketTicket ticket) => PersistedConnectionCodec.Encode(new PersistedConnection
    {
        Id = ticket.Id,
        Parameters = s_cborNull,
        State = s_cborNull,
        GatewayId = ticket.Ids.GatewayId,
        RequestId = ticket.Ids.RequestId,
        ClientMessageIndex = ticket.Ids.ClientMessageIndex,
        RequestPath = ticket.Path,
        RequestHeaders = ticket.Headers.ToArray(),
    });

    [LoggerMessage(EventId = 2880, Level = LogLevel.Warning, Message = "Actor {Name} {Key} ({ActorId}): {Count} hibernatable raw WebSocket handlers did not end within {Seconds} s of the stop; messages they finished later are delivered again after the wake")]
    private static partial void LogRawHandlersOverran(ILogger logger, string name, ActorKey key, string actorId, int count, double seconds);

    [LoggerMessage(EventId = 2000, Level = LogLevel.Error, Message = "CanHibernateWebSocket of actor {Name} {Key} ({ActorId}) threw; the raw WebSocket is opened not hibernatable")]
    private static partial void LogCanHibernateFailed(ILogger logger, Exception exception, string name, ActorKey key, string actorId);
}
