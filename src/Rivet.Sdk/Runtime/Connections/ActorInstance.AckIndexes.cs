using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Rivet.Runtime.Connections;
using Rivet.Storage;
using Rivet.Storage.Persistence;

namespace Rivet.Runtime;

// The acknowledged client message index of hibernatable connections, kept in memory. Acknowledging a client message
// costs no KV write of its own: the index is written with the actor's next state save (in the same put), at sleep
// and at stop, and whenever the connection's record is written for another reason. Nothing acknowledged is lost by
// that: an action's effects are durable before its message is acknowledged, and the gateway never re-delivers an
// acknowledged message, so a record behind the acknowledged index only means that a socket restored after a crash
// sees its next message ahead of the persisted index, which the restore accepts (RunnerConnectSockets). A save carries
// each such connection's compact index record (AckIndexRecord, 4 bytes), not its whole record.
internal sealed partial class ActorInstance
{
    /// <summary>At most this many connection records ride along with one state save (the engine takes 128 keys per put).</summary>
    private const int MaxIndexRecordsPerSave = 64;

    /// <summary>At most this many bytes of connection records ride along with one state save (the engine takes 976 KiB per put).</summary>
    private const int MaxIndexBytesPerSave = 256 * 1024;

    // 1 when some connection's ticket has IndexUnsaved set: lets a save skip the scan of the connections.
    private int _indexesUnsaved;

    /// <summary>
    /// Whether a state write is in flight: the actor is busy, more saves follow, and they carry the connection records
    /// whose index advances now. The sockets then hold their acks back for a moment (one ack for several messages).
    /// </summary>
    public bool IsSaving => Volatile.Read(ref _writing);

    /// <summary>
    /// The protocol layer advanced <paramref name="connection"/>'s client message index and is about to acknowledge
    /// the messages: the index is written with the next state save, at sleep and at stop. Safe outside the turn.
    /// </summary>
    public void IndexAdvanced(Connection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (connection.HibernationTicket is not { } ticket)
        {
            throw new InvalidOperationException($"Connection '{connection.Id}' of actor '{Definition.Name}' {Key} is not hibernatable.");
        }
        Volatile.Write(ref ticket.IndexUnsaved, 1);
        Volatile.Write(ref _indexesUnsaved, 1);
    }

    /// <summary>A state save: carries the compact index records of connections whose index advanced when there are any.</summary>
    private ValueTask SaveWithIndexes(PersistedActorState record) =>
        Volatile.Read(ref _indexesUnsaved) == 0 || (_hibernatableCount == 0 && !HasRawTickets)
            ? _store.SaveAsync(record, CancellationToken.None)
            : SaveWithIndexesAsync(record);

    private async ValueTask SaveWithIndexesAsync(PersistedActorState record)
    {
        var taken = TakeUnsavedIndexes(MaxIndexRecordsPerSave, MaxIndexBytesPerSave);
        try
        {
            await _store.SaveAsync(record, CancellationToken.None, taken.Entries).ConfigureAwait(false);
        }
        catch
        {
            taken.Failed();
            throw;
        }
        finally
        {
            taken.Release();
        }
    }

    /// <summary>
    /// At sleep and at stop (in the turn, after the sockets stopped acknowledging): writes every record whose index
    /// advanced since it was last written. A failure is logged: the acknowledged messages are not delivered again,
    /// and a restore accepts an index ahead of the persisted one.
    /// </summary>
    private async Task PersistUnsavedIndexesAsync()
    {
        while (Volatile.Read(ref _indexesUnsaved) != 0 && (_hibernatableCount != 0 || HasRawTickets))
        {
            var taken = TakeUnsavedIndexes(EnvoyKvLimits.MaxKeys, EnvoyKvLimits.MaxBytes);
            try
            {
                if (taken.Entries.Count == 0)
                {
                    return;
                }
                await Kv.PutAsync(taken.Entries, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                taken.Failed();
                LogIndexesNotSaved(_logger, ex, Definition.Name, Key, ActorId, taken.Entries.Count);
                return;
            }
            finally
            {
                taken.Release();
            }
        }
    }

    /// <summary>
    /// Takes (clears the flag of, and locks) the connections whose index advanced, up to the bounds, and encodes their compact
    /// records. A connection whose record is being written right now is skipped: that write carries its index.
    /// </summary>
    private UnsavedIndexes TakeUnsavedIndexes(int maxRecords, int maxBytes)
    {
        Volatile.Write(ref _indexesUnsaved, 0);
        var taken = new UnsavedIndexes(this);
        var bytes = 0;
        foreach (var connection in Volatile.Read(ref _connections))
        {
            if (connection.HibernationTicket is not { } ticket || Volatile.Read(ref ticket.IndexUnsaved) == 0)
            {
                continue;
            }
            if (taken.Entries.Count >= maxRecords || bytes >= maxBytes)
            {
                Volatile.Write(ref _indexesUnsaved, 1); // the rest go with the next save
                break;
            }
            if (connection.IsClosed || !connection.PersistLock.Wait(0))
            {
                continue;
            }
            if (connection.RecordDeleted)
            {
                connection.PersistLock.Release();
                continue;
            }
            Volatile.Write(ref ticket.IndexUnsaved, 0);
            // Only the indexes moved: their compact record, not the whole connection record with its headers.
            var entry = new KvEntry(KvKeys.AckIndex(connection.Id), AckIndexRecord.Encode(ticket));
            bytes += entry.Key.Length + entry.Value.Length;
            taken.Add(connection, entry);
        }
        if (HasRawTickets)
        {
            TakeUnsavedRawIndexes(taken, maxRecords, maxBytes, ref bytes);
        }
        return taken;
    }

    /// <summary>Connection records taken for one write, with their locks held until <see cref="Release"/>.</summary>
    private sealed class UnsavedIndexes(ActorInstance owner)
    {
        private readonly List<Connection> _connections = [];
        private List<Raw.RawSocketTicket>? _rawTickets;

        public List<KvEntry> Entries { get; } = [];

        public void Add(Connection connection, KvEntry entry)
        {
            _connections.Add(connection);
            Entries.Add(entry);
        }

        public void Add(Raw.RawSocketTicket ticket, KvEntry entry)
        {
            (_rawTickets ??= []).Add(ticket);
            Entries.Add(entry);
        }

        /// <summary>The write failed: the indexes are still unsaved.</summary>
        public void Failed()
        {
            foreach (var connection in _connections)
            {
                Volatile.Write(ref connection.HibernationTicket!.IndexUnsaved, 1);
            }
            foreach (var ticket in _rawTickets ?? [])
            {
                Volatile.Write(ref ticket.Ids.IndexUnsaved, 1);
            }
            if (Entries.Count != 0)
            {
                Volatile.Write(ref owner._indexesUnsaved, 1);
            }
        }

        public void Release()
        {
            foreach (var connection in _connections)
            {
                connection.PersistLock.Release();
            }
            foreach (var ticket in _rawTickets ?? [])
            {
                ticket.PersistLock.Release();
            }
        }
    }

    /// <summary>The engine's per-put limits with headroom (EnvoyActorKv checks the exact ones).</summary>
    private static class EnvoyKvLimits
    {
        public const int MaxKeys = 100;
        public const int MaxBytes = 512 * 1024;
    }

    [LoggerMessage(EventId = 1700, Level = LogLevel.Warning, Message = "Actor {Name} {Key} ({ActorId}): writing the acknowledged message indexes of {Count} connections at stop failed; a restore accepts the indexes ahead of the persisted ones")]
    private static partial void LogIndexesNotSaved(ILogger logger, Exception exception, string name, ActorKey key, string actorId, int count);
}
