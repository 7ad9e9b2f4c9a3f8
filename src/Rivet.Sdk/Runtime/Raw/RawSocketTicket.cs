using System;
using System.Collections.Generic;
using System.Threading;
using Rivet.Runtime.Connections;
using Rivet.Storage.Persistence;

namespace Rivet.Runtime.Raw;

/// <summary>
/// What an actor keeps of one hibernatable raw WebSocket: the gateway's ids of the socket, its acknowledged client
/// message index, and the opening request (to call the handler again after a wake). Its record is an actor-persist
/// <c>Conn</c> among the hibernatable connections' (<see cref="KvKeys.Connection"/>, id <see cref="IdPrefix"/> + the
/// socket's ids; RivetKit keeps its hibernatable raw sockets as connections too), so a wake reads both in one list. It
/// lives from the open until the socket closes; the index is written as a <c>/connect</c> connection's is (with the
/// actor's next state save, at sleep and at stop).
/// </summary>
internal sealed class RawSocketTicket
{
    /// <summary>The start of the record id of a raw socket (connection ids are UUIDs).</summary>
    public const string IdPrefix = "raw-websocket-";

    public RawSocketTicket(HibernationTicket ids, string path, IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        Ids = ids;
        Path = path;
        Headers = headers;
        Id = IdPrefix + Convert.ToHexString(ids.GatewayId) + Convert.ToHexString(ids.RequestId);
        Key = KvKeys.Connection(Id);
    }

    /// <summary>The record's id.</summary>
    public string Id { get; }

    /// <summary>Gateway and request ids, and the indexes (<see cref="HibernationTicket.IndexUnsaved"/> as for connections).</summary>
    public HibernationTicket Ids { get; }

    /// <summary>The tunnelled path (<c>/websocket/…</c>, with its query).</summary>
    public string Path { get; }

    /// <summary>The opening request's headers.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <summary>The record's KV key.</summary>
    public byte[] Key { get; }

    /// <summary>Held while the record is written or deleted, so a late index write never resurrects a deleted record.</summary>
    public SemaphoreSlim PersistLock { get; } = new(1, 1);

    /// <summary>Set (under <see cref="PersistLock"/>) once the record was deleted.</summary>
    public bool RecordDeleted { get; set; }

    /// <summary>Whether a hibernatable connection record with this id is a raw socket's.</summary>
    public static bool IsRawSocketId(string id) => id.StartsWith(IdPrefix, StringComparison.Ordinal);

    /// <summary>The ticket a loaded record describes.</summary>
    public static RawSocketTicket FromRecord(PersistedConnection record) => new(
        new HibernationTicket { GatewayId = record.GatewayId, RequestId = record.RequestId, ClientMessageIndex = record.ClientMessageIndex },
        record.RequestPath, record.RequestHeaders);
}
