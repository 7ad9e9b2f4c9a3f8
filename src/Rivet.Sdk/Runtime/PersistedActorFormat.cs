using System;
using System.Buffers.Binary;

namespace Rivet.Runtime;

/// <summary>
/// Byte layout of the persisted actor record. Temporary envelope: version byte, flags, length-prefixed input and
/// state JSON. To be replaced by RivetKit's actor-persist record (BARE + CBOR) so engine tools can read it.
/// </summary>
internal static class PersistedActorFormat
{
    private const byte Version = 0xA1;

    public static byte[] Encode(PersistedActorState state)
    {
        var buffer = new byte[2 + 4 + state.Input.Length + 4 + state.State.Length];
        buffer[0] = Version;
        buffer[1] = state.HasInitialized ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(2), state.Input.Length);
        state.Input.Span.CopyTo(buffer.AsSpan(6));
        var offset = 6 + state.Input.Length;
        BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(offset), state.State.Length);
        state.State.Span.CopyTo(buffer.AsSpan(offset + 4));
        return buffer;
    }

    public static PersistedActorState Decode(byte[] bytes)
    {
        if (bytes.Length < 10 || bytes[0] != Version)
        {
            throw new FormatException("The persisted actor record is not in a known format.");
        }
        var inputLength = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(2));
        var stateOffset = 6 + inputLength;
        var stateLength = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(stateOffset));
        return new PersistedActorState
        {
            HasInitialized = bytes[1] == 1,
            Input = bytes.AsMemory(6, inputLength),
            State = bytes.AsMemory(stateOffset + 4, stateLength),
        };
    }
}
