using System;
using System.Buffers.Binary;

namespace Rivet.Storage.Persistence;

/// <summary>
/// RivetKit's actor KV key map (<c>rivetkit/src/actor/keys.ts</c>; the legacy layout RivetKit 2.3.19 still probes
/// and imports). Keys are raw bytes and sort bytewise.
/// </summary>
internal static class KvKeys
{
    /// <summary><c>[1]</c>: the persisted actor record (<see cref="PersistedActorCodec"/>).</summary>
    public static ReadOnlySpan<byte> PersistedActor => [1];

    /// <summary><c>[2]</c> + connection id (UTF-8): a hibernatable connection.</summary>
    public static ReadOnlySpan<byte> ConnectionPrefix => [2];

    /// <summary><c>[3]</c>: the inspector token (UTF-8).</summary>
    public static ReadOnlySpan<byte> InspectorToken => [3];

    /// <summary><c>[4]</c> + user key: the user-facing KV store.</summary>
    public static ReadOnlySpan<byte> UserKvPrefix => [4];

    /// <summary><c>[5]</c>: queue storage.</summary>
    public static ReadOnlySpan<byte> QueuePrefix => [5];

    /// <summary><c>[5, 1, 1]</c>: queue metadata (storage version 1).</summary>
    public static ReadOnlySpan<byte> QueueMetadata => [5, 1, 1];

    /// <summary><c>[5, 1, 2]</c> + u64 big-endian message id: queue messages.</summary>
    public static ReadOnlySpan<byte> QueueMessagesPrefix => [5, 1, 2];

    /// <summary><c>[6]</c>: the last alarm timestamp pushed to the engine.</summary>
    public static ReadOnlySpan<byte> LastPushedAlarm => [6];

    /// <summary><c>[6, 1]</c>: workflow storage (storage version 1).</summary>
    public static ReadOnlySpan<byte> WorkflowPrefix => [6, 1];

    /// <summary><c>[7, 1]</c>: traces (storage version 1).</summary>
    public static ReadOnlySpan<byte> TracesPrefix => [7, 1];

    /// <summary>
    /// <c>[0x80, 1]</c>: the .NET SDK's remembered idempotency keys (<see cref="Runtime.Idempotency"/>), written in the
    /// same batch as <see cref="PersistedActor"/>. Outside RivetKit's key map (which uses 1–7), so RivetKit ignores it.
    /// </summary>
    public static ReadOnlySpan<byte> Idempotency => [0x80, 1];

    /// <summary>
    /// <c>[0x80, 3]</c> + connection id (UTF-8): the .NET SDK's compact message indexes of a hibernatable connection
    /// (<see cref="Runtime.Connections.AckIndexRecord"/>), written with state saves instead of the whole record at
    /// <see cref="Connection"/>. Outside RivetKit's key map, so RivetKit ignores it
    /// (<c>[0x80, 2]</c> holds queue messages: <see cref="Runtime.Queues.QueueStorage"/>).
    /// </summary>
    public static ReadOnlySpan<byte> AckIndexPrefix => [0x80, 3];

    /// <summary>The compact index key of one hibernatable connection: <c>[0x80, 3]</c> + UTF-8 of <paramref name="connectionId"/>.</summary>
    public static byte[] AckIndex(string connectionId)
    {
        ArgumentNullException.ThrowIfNull(connectionId);
        var key = new byte[2 + System.Text.Encoding.UTF8.GetByteCount(connectionId)];
        AckIndexPrefix.CopyTo(key);
        System.Text.Encoding.UTF8.GetBytes(connectionId, key.AsSpan(2));
        return key;
    }

    /// <summary>The key of one hibernatable connection: <c>[2]</c> + UTF-8 of <paramref name="connectionId"/>.</summary>
    public static byte[] Connection(string connectionId)
    {
        ArgumentNullException.ThrowIfNull(connectionId);
        var key = new byte[1 + System.Text.Encoding.UTF8.GetByteCount(connectionId)];
        key[0] = 2;
        System.Text.Encoding.UTF8.GetBytes(connectionId, key.AsSpan(1));
        return key;
    }

    /// <summary>The engine key of a user KV key: <c>[4]</c> + <paramref name="userKey"/>.</summary>
    public static byte[] User(ReadOnlySpan<byte> userKey) => Concat(UserKvPrefix, userKey);

    /// <summary>The user key of an engine key under <see cref="UserKvPrefix"/>.</summary>
    /// <exception cref="ArgumentException">The key is not under the user prefix.</exception>
    public static ReadOnlySpan<byte> StripUserPrefix(ReadOnlySpan<byte> key)
    {
        if (!key.StartsWith(UserKvPrefix))
        {
            throw new ArgumentException("The key is not a user KV key (prefix [4]).", nameof(key));
        }
        return key[UserKvPrefix.Length..];
    }

    /// <summary>The key of a queue message: <c>[5, 1, 2]</c> + <paramref name="id"/> as u64 big-endian.</summary>
    public static byte[] QueueMessage(ulong id)
    {
        var key = new byte[QueueMessagesPrefix.Length + 8];
        QueueMessagesPrefix.CopyTo(key);
        BinaryPrimitives.WriteUInt64BigEndian(key.AsSpan(QueueMessagesPrefix.Length), id);
        return key;
    }

    private static byte[] Concat(ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> suffix)
    {
        var key = new byte[prefix.Length + suffix.Length];
        prefix.CopyTo(key);
        suffix.CopyTo(key.AsSpan(prefix.Length));
        return key;
    }
}
