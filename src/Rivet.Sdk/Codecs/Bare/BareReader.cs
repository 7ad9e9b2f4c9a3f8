using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text.Unicode;

namespace Rivet.Codecs.Bare;

/// <summary>Decodes one value with a <see cref="BareReader"/>.</summary>
internal delegate T BareReadFunc<T>(ref BareReader reader);

/// <summary>
/// Strict reader of BARE primitives over a span, as <c>@rivetkit/bare-ts</c> decodes them: varints must be
/// canonical (no trailing zero groups) and fit 64 bits, bools are 0 or 1, strings are valid UTF-8, lengths and
/// counts may not exceed the remaining input. Every failure is a <see cref="BareFormatException"/> with the offset
/// of the offending value. <see cref="ReadData"/>/<see cref="ReadFixedData"/> return slices of the input (no copy).
/// Call <see cref="EnsureEnd"/> after a top-level message: trailing bytes are an error.
/// </summary>
internal ref struct BareReader
{
    private readonly ReadOnlySpan<byte> _buffer;
    private int _offset;

    public BareReader(ReadOnlySpan<byte> buffer)
    {
        _buffer = buffer;
        _offset = 0;
    }

    /// <summary>Bytes consumed so far.</summary>
    public readonly int Offset => _offset;

    /// <summary>Bytes not read yet.</summary>
    public readonly int Remaining => _buffer.Length - _offset;

    public readonly bool IsAtEnd => _offset == _buffer.Length;

    /// <summary>Decodes a whole top-level message: <paramref name="read"/> must consume every byte.</summary>
    public static T Decode<T>(ReadOnlySpan<byte> message, BareReadFunc<T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        var reader = new BareReader(message);
        var value = read(ref reader);
        reader.EnsureEnd();
        return value;
    }

    /// <summary>
    /// Decodes a whole top-level message held in a sequence. A single segment is read in place; several segments
    /// are first copied into one pooled buffer, so <paramref name="read"/> must copy any slice it keeps.
    /// </summary>
    public static T Decode<T>(in ReadOnlySequence<byte> message, BareReadFunc<T> read)
    {
        if (message.IsSingleSegment)
        {
            return Decode(message.FirstSpan, read);
        }
        var length = checked((int)message.Length);
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            message.CopyTo(rented);
            return Decode(rented.AsSpan(0, length), read);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Throws unless every byte has been read ("remaining bytes" in bare-ts).</summary>
    public readonly void EnsureEnd()
    {
        if (_offset != _buffer.Length)
        {
            throw new BareFormatException(_offset, $"{_buffer.Length - _offset} unexpected trailing byte(s) after the end of the message.");
        }
    }

    public byte ReadU8()
    {
        var offset = _offset;
        if ((uint)offset >= (uint)_buffer.Length)
        {
            ThrowTruncated(offset, "u8", 1);
        }
        _offset = offset + 1;
        return _buffer[offset];
    }

    public sbyte ReadI8() => unchecked((sbyte)ReadU8());

    public ushort ReadU16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2, "u16"));

    public short ReadI16() => BinaryPrimitives.ReadInt16LittleEndian(Take(2, "i16"));

    public uint ReadU32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, "u32"));

    public int ReadI32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4, "i32"));

    public ulong ReadU64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8, "u64"));

    public long ReadI64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8, "i64"));

    public float ReadF32() => BinaryPrimitives.ReadSingleLittleEndian(Take(4, "f32"));

    public double ReadF64() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8, "f64"));

    /// <summary>BARE <c>uint</c> (unsigned LEB128). Rejects overlong encodings and values above 2^64-1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong ReadUInt()
    {
        var offset = _offset;
        if ((uint)offset < (uint)_buffer.Length)
        {
            var first = _buffer[offset];
            if (first < 0x80)
            {
                _offset = offset + 1;
                return first;
            }
        }
        return ReadUIntSlow("uint");
    }

    /// <summary>BARE <c>int</c> (zig-zag LEB128).</summary>
    public long ReadInt()
    {
        var zigZag = ReadUInt();
        return unchecked((long)(zigZag >> 1) ^ -(long)(zigZag & 1));
    }

    /// <summary>BARE <c>bool</c>: exactly <c>00</c> or <c>01</c>.</summary>
    public bool ReadBool() => ReadFlag("bool");

    /// <summary>BARE <c>str</c> as a .NET string.</summary>
    public string ReadString()
    {
        var utf8 = ReadStringUtf8();
        return utf8.IsEmpty ? string.Empty : System.Text.Encoding.UTF8.GetString(utf8);
    }

    /// <summary>BARE <c>str</c> as its UTF-8 bytes (validated, not copied).</summary>
    public ReadOnlySpan<byte> ReadStringUtf8()
    {
        var start = _offset;
        var bytes = ReadLengthPrefixed("str");
        if (!Utf8.IsValid(bytes))
        {
            throw new BareFormatException(start, "str is not valid UTF-8.");
        }
        return bytes;
    }

    /// <summary>BARE <c>data</c>: a slice of the input (not copied).</summary>
    public ReadOnlySpan<byte> ReadData() => ReadLengthPrefixed("data");

    /// <summary>BARE <c>data</c> copied into a new array.</summary>
    public byte[] ReadDataArray() => ReadData().ToArray();

    /// <summary>BARE <c>data[length]</c>: a slice of exactly <paramref name="length"/> bytes.</summary>
    public ReadOnlySpan<byte> ReadFixedData(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        return Take(length, "data[" + length.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]");
    }

    /// <summary>The presence byte of an <c>optional&lt;T&gt;</c> (<c>00</c> absent, <c>01</c> present; anything else is an error).</summary>
    public bool ReadOptional() => ReadFlag("optional presence byte");

    /// <summary>The element count of a <c>list&lt;T&gt;</c>; rejected when above the remaining byte count (every element takes at least one byte).</summary>
    public int ReadListCount()
    {
        var start = _offset;
        var count = ReadUInt();
        if (count > (ulong)Remaining)
        {
            throw new BareFormatException(start, $"list count {count} exceeds the {Remaining} remaining byte(s).");
        }
        return (int)count;
    }

    /// <summary>The entry count of a <c>map&lt;K&gt;&lt;V&gt;</c>; rejected when above half the remaining byte count.</summary>
    public int ReadMapCount()
    {
        var start = _offset;
        var count = ReadUInt();
        if (count > (ulong)(Remaining / 2))
        {
            throw new BareFormatException(start, $"map count {count} exceeds what the {Remaining} remaining byte(s) can hold.");
        }
        return (int)count;
    }

    /// <summary>A union tag. The caller checks it against the union's members (see <see cref="ThrowUnknownTag"/>).</summary>
    public uint ReadUnionTag() => ReadUInt32Var("union tag");

    /// <summary>An enum value. The caller checks the range.</summary>
    public uint ReadEnum() => ReadUInt32Var("enum value");

    /// <summary>The 2-byte little-endian version prefix of an "embedded version" payload.</summary>
    public ushort ReadVersion()
    {
        if (Remaining < 2)
        {
            throw new BareFormatException(_offset, "missing the 2-byte little-endian version prefix.");
        }
        return ReadU16();
    }

    /// <summary>Reads the version prefix and checks that it is one of the versions this codec decodes.</summary>
    public ushort ReadVersion(ushort minimum, ushort maximum, string payload)
    {
        var start = _offset;
        var version = ReadVersion();
        if (version < minimum || version > maximum)
        {
            var supported = minimum == maximum ? $"{minimum}" : $"{minimum} to {maximum}";
            throw new BareFormatException(start, $"{payload} version {version} is not supported (supported: {supported}).");
        }
        return version;
    }

    /// <summary>Throws for a union tag the schema does not define.</summary>
    [DoesNotReturn]
    public readonly void ThrowUnknownTag(string union, uint tag, int tagOffset) =>
        throw new BareFormatException(tagOffset, $"unknown {union} tag {tag}.");

    private ReadOnlySpan<byte> ReadLengthPrefixed(string what)
    {
        var start = _offset;
        var length = ReadUInt();
        if (length > (ulong)Remaining)
        {
            throw new BareFormatException(start, $"{what} length {length} exceeds the {Remaining} remaining byte(s).");
        }
        var slice = _buffer.Slice(_offset, (int)length);
        _offset += (int)length;
        return slice;
    }

    private uint ReadUInt32Var(string what)
    {
        var start = _offset;
        var value = ReadUInt();
        if (value > uint.MaxValue)
        {
            throw new BareFormatException(start, $"{what} {value} is out of range.");
        }
        return (uint)value;
    }

    private bool ReadFlag(string what)
    {
        var start = _offset;
        var value = ReadU8();
        return value switch
        {
            0 => false,
            1 => true,
            _ => throw new BareFormatException(start, $"expected {what} 0x00 or 0x01, found 0x{value:x2}."),
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ReadOnlySpan<byte> Take(int count, string what)
    {
        var offset = _offset;
        if (count > _buffer.Length - offset)
        {
            ThrowTruncated(offset, what, count);
        }
        _offset = offset + count;
        return _buffer.Slice(offset, count);
    }

    private ulong ReadUIntSlow(string what)
    {
        var start = _offset;
        ulong result = 0;
        var i = start;
        for (var shift = 0; ; shift += 7)
        {
            if (i >= _buffer.Length)
            {
                throw new BareFormatException(start, $"truncated {what}: the input ends inside a varint.");
            }
            var b = _buffer[i++];
            if (shift == 63)
            {
                // Tenth byte: only the lowest bit of a 64-bit value is left.
                if (b > 1)
                {
                    throw new BareFormatException(start, $"{what} varint overflows 64 bits.");
                }
            }
            result |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
            {
                if (b == 0 && shift > 0)
                {
                    throw new BareFormatException(start, $"{what} varint is not canonical (overlong encoding).");
                }
                _offset = i;
                return result;
            }
        }
    }

    [DoesNotReturn]
    private readonly void ThrowTruncated(int offset, string what, int needed) =>
        throw new BareFormatException(offset, $"truncated {what}: needs {needed} byte(s), {_buffer.Length - offset} left.");
}
