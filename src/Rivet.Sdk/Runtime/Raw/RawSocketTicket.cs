using System.Collections.Generic;
using System.Threading;
using Rivet.Runtime.Connections;
using Rivet.Storage.Persistence;

namespace Rivet.Runtime.Raw;

/// <summary>
/// What an actor keeps of one hibernatable raw WebSocket: the gateway's ids of the socket, its acknowledged client
/// message index, and the opening request (to call the handler again after a wake). Its record lives at
/// <see cref="KvKeys.RawSocket"/> from the open until the socket closes; the index is written as a
/// <c>/connect</c> connection's is (with the actor's next state save, at sleep and at stop).
/// </summary>
internal sealed class RawSocketTicket
{
    public RawSocketTicket(HibernationTicket ids, string path, IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        Ids = ids;
        Path = path;
        Headers = headers;
        Key = KvKeys.RawSocket(ids.GatewayId, ids.RequestId);
    }

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
}
