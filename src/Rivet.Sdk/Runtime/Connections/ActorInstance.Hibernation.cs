using System;
using System.Buffers;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Rivet.Codecs.Bare;
using Rivet.Codecs.Cbor;
using Rivet.Runtime.Connections;
using Rivet.Storage;
using Rivet.Storage.Persistence;

namespace Rivet.Runtime;

// Hibernatable connections: each one is an actor-persist v4 Conn record at KV key [2] + id (its message indexes also in
// a compact record at [0x80, 3] + id, which state saves carry: AckIndexRecord), written on connect,
// on subscription changes, after turns that changed its state, and when the protocol layer advanced its message
// indexes; deleted when it closes. After sleep the host loads the records and re-attaches the sockets the gateway
// kept open, without running hooks: from the client's view the connection never closed.
internal sealed partial class ActorInstance
{
    private static readonly byte[] s_connectionPrefix = KvKeys.ConnectionPrefix.ToArray();
    private static readonly byte[] s_ackIndexPrefix = KvKeys.AckIndexPrefix.ToArray();
    private static readonly byte[] s_jsonNull = "null"u8.ToArray();
    private static readonly byte[] s_cborNull = [0xf6];

    private ArrayBufferWriter<byte>? _connStateBuffer;
    private Utf8JsonWriter? _connStateWriter;

    /// <summary>
    /// Reads every persisted hibernatable connection. They have no output and are not registered: attach the ones
    /// the gateway still holds with <see cref="AttachRestored"/>, and drop the others with <see cref="DropHibernatedAsync"/>.
    /// </summary>
    /// <remarks>Records that cannot be decoded are logged and skipped. The records of hibernatable raw WebSockets
    /// (same prefix, <see cref="Raw.RawSocketTicket.IsRawSocketId"/>) go to <paramref name="rawSockets"/>.</remarks>
    public async Task<IReadOnlyList<Connection>> LoadHibernatedConnectionsAsync(CancellationToken cancellationToken, List<Raw.RawSocketTicket>? rawSockets = null)
    {
        var entries = await Kv.ListPrefixAsync(s_connectionPrefix, cancellationToken: cancellationToken).ConfigureAwait(false);
        var connections = new List<Connection>(entries.Count);
        foreach (var entry in entries)
        {
            try
            {
                var record = PersistedConnectionCodec.Decode(entry.Value);
                if (Raw.RawSocketTicket.IsRawSocketId(record.Id))
                {
                    rawSockets?.Add(Raw.RawSocketTicket.FromRecord(record));
                    continue;
                }
                connections.Add(Restore(record));
            }
            catch (Exception ex) when (ex is BareFormatException or CborJsonException or JsonException or RivetException)
            {
                LogConnectionRecordInvalid(_logger, ex, Definition.Name, Key, ActorId, Convert.ToHexString(entry.Key));
            }
        }
        if (connections.Count != 0)
        {
            await ApplyAckIndexesAsync(connections, cancellationToken).ConfigureAwait(false);
        }
        return connections;
    }

    /// <summary>Moves restored connections' indexes forward to their compact index records (written by state saves).</summary>
    private async Task ApplyAckIndexesAsync(List<Connection> connections, CancellationToken cancellationToken)
    {
        var entries = await Kv.ListPrefixAsync(s_ackIndexPrefix, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (entries.Count == 0)
        {
            return;
        }
        var byId = connections.ToDictionary(c => c.Id, StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var id = System.Text.Encoding.UTF8.GetString(entry.Key.AsSpan(s_ackIndexPrefix.Length));
            if (byId.TryGetValue(id, out var connection) && !AckIndexRecord.TryApply(entry.Value, connection.HibernationTicket!))
            {
                LogConnectionRecordInvalid(_logger, new FormatException($"A compact index record has {entry.Value.Length} bytes, expected {AckIndexRecord.Size}."), Definition.Name, Key, ActorId, Convert.ToHexString(entry.Key));
            }
        }
    }

    /// <summary>Registers a restored connection with its new output, without running any hook.</summary>
    public void AttachRestored(Connection connection, IConnectionOutput output)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(output);
        if (connection.Owner != this || !connection.IsHibernatable)
        {
            throw new InvalidOperationException($"Connection '{connection.Id}' was not restored by actor '{Definition.Name}' {Key}.");
        }
        if (connection.IsClosed)
        {
            throw new InvalidOperationException($"Connection '{connection.Id}' of actor '{Definition.Name}' {Key} was already dropped.");
        }
        connection.Output = output;
        Register(connection);
    }

    /// <summary>
    /// Drops a restored connection whose socket the gateway no longer holds: deletes its record and runs
    /// <see cref="Actor.OnDisconnectAsync"/> in the actor's turn.
    /// </summary>
    public async Task DropHibernatedAsync(Connection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await EnterTurnAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!connection.TryMarkClosed())
            {
                return;
            }
            Unregister(connection);
            LogDisconnected(_logger, Definition.Name, Key, connection.Id, "its hibernated socket is gone");
            await FinishDisconnectAsync(connection).ConfigureAwait(false);
        }
        finally
        {
            await LeaveConnectionTurnAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Rewrites a hibernatable connection's record now, with its current <see cref="HibernationTicket"/> indexes. Safe
    /// outside the turn. (Acknowledging messages does not call this: see <see cref="IndexAdvanced"/>.)
    /// </summary>
    public Task PersistHibernationAsync(Connection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (!connection.IsHibernatable)
        {
            throw new InvalidOperationException($"Connection '{connection.Id}' of actor '{Definition.Name}' {Key} is not hibernatable.");
        }
        return WriteConnectionRecordAsync(connection, stateJson: null, cancellationToken, keepPersistedState: true);
    }

    /// <summary>
    /// After a hook or a scheduled action ran in the turn (OnWake, OnConnect, OnDisconnect, OnSleep, a schedule):
    /// saves the actor's changes, then the records of the hibernatable connections whose state the turn changed.
    /// </summary>
    private async Task PersistTurnAsync(string what, CancellationToken cancellationToken)
    {
        await PersistIfChangedAsync(what, cancellationToken).ConfigureAwait(false);
        if (_hibernatableCount != 0)
        {
            await PersistConnectionStatesAsync(what).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// After a turn: writes the record of every hibernatable connection whose state changed. Call in the turn,
    /// only when <see cref="_hibernatableCount"/> is not zero.
    /// </summary>
    private async Task PersistConnectionStatesAsync(string action)
    {
        foreach (var connection in Volatile.Read(ref _connections))
        {
            if (!connection.IsHibernatable || connection.IsClosed)
            {
                continue;
            }
            byte[]? json = null;
            try
            {
                json = SerializeConnectionStateIfChanged(connection);
                if (json is not null)
                {
                    await WriteConnectionRecordAsync(connection, json, CancellationToken.None).ConfigureAwait(false);
                }
            }
            catch (Exception ex)
            {
                throw ConnectionSaveError(ex, connection, $"'{action}' changed its state");
            }
        }
    }

    /// <summary>
    /// The hibernatable connections whose state the turn changed, with their new state (their records must be written
    /// after the actor's state is durable); <see langword="null"/> for none: most actions change none, and keep group
    /// commit. Only connections whose <see cref="Connection.State"/> the turn read or set are serialized, so the cost
    /// does not grow with the number of connections; a change made through a reference kept from an earlier turn is
    /// found by the next turn that touches that connection, and at sleep (hooks and stops check every connection).
    /// </summary>
    private List<(Connection Connection, byte[] Json)>? ChangedConnectionStates()
    {
        if (Definition.ConnectionStateType is null)
        {
            return null;
        }
        List<(Connection, byte[])>? changed = null;
        foreach (var connection in Volatile.Read(ref _connections))
        {
            if (!connection.StateTouched)
            {
                continue;
            }
            connection.StateTouched = false;
            if (connection.IsHibernatable && !connection.IsClosed && SerializeConnectionStateIfChanged(connection) is { } json)
            {
                (changed ??= []).Add((connection, json));
            }
        }
        return changed;
    }

    /// <summary>Writes the records of the connections <see cref="ChangedConnectionStates"/> found. Call in the turn.</summary>
    private async Task WriteConnectionStatesAsync(List<(Connection Connection, byte[] Json)> changed, string action)
    {
        foreach (var (connection, json) in changed)
        {
            try
            {
                await WriteConnectionRecordAsync(connection, json, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                throw ConnectionSaveError(ex, connection, $"'{action}' changed its state");
            }
        }
    }

    /// <summary>The JSON of the connection's state when it differs from what was persisted, else <see langword="null"/>.</summary>
    private byte[]? SerializeConnectionStateIfChanged(Connection connection)
    {
        var json = WriteConnectionState(connection);
        return connection.PersistedStateJson is { } saved && json.SequenceEqual(saved) ? null : json.ToArray();
    }

    private ReadOnlySpan<byte> WriteConnectionState(Connection connection)
    {
        if (connection.StateUntracked is not { } state || Definition.ConnectionStateType is not { } type)
        {
            return s_jsonNull;
        }
        _connStateBuffer ??= new ArrayBufferWriter<byte>(128);
        _connStateBuffer.ResetWrittenCount();
        if (_connStateWriter is null)
        {
            _connStateWriter = new Utf8JsonWriter(_connStateBuffer);
        }
        else
        {
            _connStateWriter.Reset(_connStateBuffer);
        }
        JsonSerializer.Serialize(_connStateWriter, state, type);
        _connStateWriter.Flush();
        return _connStateBuffer.WrittenSpan;
    }

    /// <summary>Writes the connection's record from its current values, unless it was deleted meanwhile.</summary>
    // keepPersistedState: write the state last persisted, read under the lock (an index update must not overwrite a
    // newer state a turn wrote meanwhile), instead of stateJson.
    private async Task WriteConnectionRecordAsync(Connection connection, byte[]? stateJson, CancellationToken cancellationToken, bool keepPersistedState = false)
    {
        var ticket = connection.HibernationTicket!;
        var unsavedIndex = 0;
        await connection.PersistLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (keepPersistedState)
            {
                stateJson = connection.PersistedStateJson;
            }
            if (connection.RecordDeleted)
            {
                return;
            }
            // This write carries the current message indexes: the next state save need not.
            unsavedIndex = Interlocked.Exchange(ref ticket.IndexUnsaved, 0);
            var bytes = EncodeConnectionRecord(connection, stateJson);
            // With its compact index record, which must never be behind the record (a restore takes the later one).
            await Kv.PutAsync([new KvEntry(KvKeys.Connection(connection.Id), bytes), new KvEntry(KvKeys.AckIndex(connection.Id), AckIndexRecord.Encode(ticket))], cancellationToken).ConfigureAwait(false);
            unsavedIndex = 0;
            connection.PersistedStateJson = stateJson;
        }
        finally
        {
            if (unsavedIndex != 0)
            {
                IndexAdvanced(connection); // the write failed: the index still waits for one
            }
            connection.PersistLock.Release();
        }
    }

    /// <summary>The connection's actor-persist v4 record from its current values and <paramref name="stateJson"/>.</summary>
    private static byte[] EncodeConnectionRecord(Connection connection, byte[]? stateJson)
    {
        var ticket = connection.HibernationTicket!;
        var record = new PersistedConnection
        {
            Id = connection.Id,
            Parameters = connection.ParamsJson.IsEmpty ? s_cborNull : CborJson.JsonToCbor(connection.ParamsJson.Span),
            State = stateJson is null ? s_cborNull : CborJson.JsonToCbor(stateJson),
            Subscriptions = connection.SubscriptionSnapshot,
            GatewayId = ticket.GatewayId,
            RequestId = ticket.RequestId,
            ServerMessageIndex = ticket.ServerMessageIndex,
            ClientMessageIndex = ticket.ClientMessageIndex,
            RequestPath = connection.RequestPath,
            RequestHeaders = connection.RequestHeaders.ToArray(),
        };
        return PersistedConnectionCodec.Encode(record);
    }

    private async Task DeleteConnectionRecordAsync(Connection connection)
    {
        await connection.PersistLock.WaitAsync().ConfigureAwait(false);
        try
        {
            connection.RecordDeleted = true;
            await Kv.DeleteAsync([KvKeys.Connection(connection.Id), KvKeys.AckIndex(connection.Id)]).ConfigureAwait(false);
        }
        finally
        {
            connection.PersistLock.Release();
        }
    }

    private Connection Restore(PersistedConnection record)
    {
        var paramsJson = CborToJsonOrEmpty(record.Parameters);
        var stateJson = CborToJsonOrEmpty(record.State);
        var state = stateJson.Length > 0 && Definition.ConnectionStateType is { } stateType
            ? JsonSerializer.Deserialize(stateJson, stateType)
            : null;
        var connection = new Connection(record.Id, DecodeConnectionParams(paramsJson), state)
        {
            Owner = this,
            HibernationTicket = new HibernationTicket
            {
                GatewayId = record.GatewayId,
                RequestId = record.RequestId,
                ClientMessageIndex = record.ClientMessageIndex,
                ServerMessageIndex = record.ServerMessageIndex,
            },
            RequestPath = record.RequestPath,
            RequestHeaders = record.RequestHeaders.ToDictionary(StringComparer.Ordinal),
            ParamsJson = paramsJson,
            PersistedStateJson = stateJson.Length > 0 ? stateJson : s_jsonNull,
        };
        foreach (var eventName in record.Subscriptions)
        {
            connection.SetSubscription(eventName, subscribe: true);
        }
        return connection;
    }

    /// <summary>CBOR to JSON; empty for no value (empty data, CBOR null or undefined, as RivetKit may write them).</summary>
    private static byte[] CborToJsonOrEmpty(byte[] cbor) =>
        cbor.Length == 0 || (cbor.Length == 1 && cbor[0] is 0xf6 or 0xf7) ? [] : CborJson.CborToJson(cbor);

    [LoggerMessage(EventId = 107, Level = LogLevel.Error, Message = "Actor {Name} {Key} ({ActorId}): the hibernated connection record at KV key {KvKey} is invalid and was skipped")]
    private static partial void LogConnectionRecordInvalid(ILogger logger, Exception exception, string name, ActorKey key, string actorId, string kvKey);
}
