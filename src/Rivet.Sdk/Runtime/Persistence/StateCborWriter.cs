using System;
using System.Buffers;
using System.Buffers.Binary;
using System.ComponentModel;
using System.Text;

namespace Rivet.Runtime;

/// <summary>
/// Writes an actor's state as the CBOR its record stores, for the writer the generator emits
/// (<see cref="ActorDefinition.TryWriteStateCbor"/>): the bytes the state's JSON transcodes to
/// (<c>CborJson.JsonToCbor</c>), without the JSON in between. Not meant to be called by hand.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class StateCborWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(256);

    internal StateCborWriter()
    {
    }

    internal ReadOnlySpan<byte> Written => _buffer.WrittenSpan;

    internal int Capacity => _buffer.Capacity;

    internal void Reset() => _buffer.ResetWrittenCount();

    /// <summary>The UTF-8 of a member name, as a map key takes it (<see cref="WriteKey"/>).</summary>
    /// <param name="name">The member's JSON name.</param>
    public static byte[] Key(string name) => Encoding.UTF8.GetBytes(name);

    /// <summary>Whether a string array starting with <paramref name="first"/> may be one of RivetKit's compat arrays
    /// (<c>["$BigInt",…]</c> and the like), which the transcoder turns into other values: such a state is left to it.</summary>
    /// <param name="first">The array's first element.</param>
    public static bool MayBeCompat(string? first) => first is { Length: > 0 } && first[0] == '$';

    /// <summary>Starts a map of <paramref name="count"/> entries.</summary>
    /// <param name="count">The number of entries.</param>
    public void WriteMap(int count) => WriteHeader(5, (uint)count);

    /// <summary>Starts an array of <paramref name="count"/> items.</summary>
    /// <param name="count">The number of items.</param>
    public void WriteArray(int count) => WriteHeader(4, (uint)count);

    /// <summary>Writes a map key from <see cref="Key"/>.</summary>
    /// <param name="utf8">The key's UTF-8.</param>
    public void WriteKey(byte[] utf8)
    {
        WriteHeader(3, (uint)utf8.Length);
        utf8.CopyTo(_buffer.GetSpan(utf8.Length));
        _buffer.Advance(utf8.Length);
    }

    /// <summary>Writes a string (invalid UTF-16 as U+FFFD, as the JSON writer escapes it).</summary>
    /// <param name="value">The string.</param>
    public void WriteText(string value)
    {
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (max <= 4096)
        {
            // Header for the largest length, then move the text left when the real length needs a shorter one.
            var headerMax = HeaderSize((uint)max);
            var span = _buffer.GetSpan(headerMax + max);
            var length = Encoding.UTF8.GetBytes(value, span[headerMax..]);
            var header = HeaderSize((uint)length);
            WriteHeaderTo(span, 3, (uint)length);
            if (header != headerMax)
            {
                span.Slice(headerMax, length).CopyTo(span[header..]);
            }
            _buffer.Advance(header + length);
            return;
        }
        var count = Encoding.UTF8.GetByteCount(value);
        WriteHeader(3, (uint)count);
        Encoding.UTF8.GetBytes(value, _buffer.GetSpan(count));
        _buffer.Advance(count);
    }

    /// <summary>Writes an integer (the covered members' values all fit CBOR's integer form, as the transcoder writes them).</summary>
    /// <param name="value">The value.</param>
    public void WriteInteger(long value)
    {
        if (value >= 0)
        {
            WriteHeader(0, (ulong)value);
        }
        else
        {
            WriteHeader(1, (ulong)(-1 - value));
        }
    }

    /// <summary>Writes <c>true</c> or <c>false</c>.</summary>
    /// <param name="value">The value.</param>
    public void WriteBoolean(bool value) => WriteByte(value ? (byte)0xf5 : (byte)0xf4);

    /// <summary>Writes <c>null</c>.</summary>
    public void WriteNull() => WriteByte(0xf6);

    private void WriteByte(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
    }

    private void WriteHeader(byte major, ulong argument)
    {
        var span = _buffer.GetSpan(9);
        _buffer.Advance(WriteHeaderTo(span, major, argument));
    }

    private static int HeaderSize(ulong argument) => argument switch
    {
        < 24 => 1,
        <= byte.MaxValue => 2,
        <= ushort.MaxValue => 3,
        <= uint.MaxValue => 5,
        _ => 9,
    };

    private static int WriteHeaderTo(Span<byte> span, byte major, ulong argument)
    {
        var initial = (byte)(major << 5);
        switch (HeaderSize(argument))
        {
            case 1:
                span[0] = (byte)(initial | (byte)argument);
                return 1;
            case 2:
                span[0] = (byte)(initial | 24);
                span[1] = (byte)argument;
                return 2;
            case 3:
                span[0] = (byte)(initial | 25);
                BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)argument);
                return 3;
            case 5:
                span[0] = (byte)(initial | 26);
                BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)argument);
                return 5;
            default:
                span[0] = (byte)(initial | 27);
                BinaryPrimitives.WriteUInt64BigEndian(span[1..], argument);
                return 9;
        }
    }
}
