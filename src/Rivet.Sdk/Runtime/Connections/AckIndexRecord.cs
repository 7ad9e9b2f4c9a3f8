using System;
using System.Buffers.Binary;

namespace Rivet.Runtime.Connections;

/// <summary>
/// The compact form of a hibernatable connection's message indexes, at <see cref="Storage.Persistence.KvKeys.AckIndex"/>:
/// 4 bytes, the client message index then the server message index, each u16 little-endian. A state save carries it
/// instead of the whole connection record (path, headers, parameters, state) when only the acknowledged index moved;
/// every write of the whole record writes it too, so it is never behind the record. A restore takes whichever of the
/// two is ahead, so records of earlier versions (without it) restore as before.
/// </summary>
internal static class AckIndexRecord
{
    public const int Size = 4;

    public static byte[] Encode(HibernationTicket ticket)
    {
        var value = new byte[Size];
        BinaryPrimitives.WriteUInt16LittleEndian(value, ticket.ClientMessageIndex);
        BinaryPrimitives.WriteUInt16LittleEndian(value.AsSpan(2), ticket.ServerMessageIndex);
        return value;
    }

    /// <summary>Moves <paramref name="ticket"/>'s indexes forward to those in <paramref name="value"/> where they are ahead.</summary>
    /// <returns>false when <paramref name="value"/> is not a compact index (the ticket is left as it is).</returns>
    public static bool TryApply(ReadOnlySpan<byte> value, HibernationTicket ticket)
    {
        if (value.Length != Size)
        {
            return false;
        }
        ticket.ClientMessageIndex = Later(ticket.ClientMessageIndex, BinaryPrimitives.ReadUInt16LittleEndian(value));
        ticket.ServerMessageIndex = Later(ticket.ServerMessageIndex, BinaryPrimitives.ReadUInt16LittleEndian(value[2..]));
        return true;
    }

    /// <summary>The later of two indexes of a u16 sequence that wraps (as the gateway compares them).</summary>
    private static ushort Later(ushort a, ushort b) => (short)(b - a) > 0 ? b : a;
}
