using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text.Unicode;

namespace Rivet.Codecs.Bare;

/// <summary>
/// Writes BARE primitives (https://baremessages.org, as implemented by <c>@rivetkit/bare-ts</c>) to an
/// <see cref="IBufferWriter{T}"/>. Fixed-width integers are little-endian, <c>uint</c>/<c>int</c> are LEB128
/// (zig-zag for <c>int</c>), strings and data carry a <c>uint</c> length. Nothing is allocated: every call asks the
/// output for a span, writes and advances. Generated codecs pass it by <see langword="ref"/>.
/// </summary>
internal ref struct BareWriter
{
    /// <summary>The longest LEB128 encoding of a 64-bit value.</summary>
    public const int MaxVarIntLength = 10;

    private readonly IBufferWriter<byte> _output;
    private long _bytesWritten;

    public BareWriter(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        _bytesWritten = 0;
    }

    /// <summary>Bytes written through this writer so far.</summary>
    public readonly long BytesWritten => _bytesWritten;

    public void WriteU8(byte value)
    {
        var span = _output.GetSpan(1);
        span[0] = value;
        Advance(1);
    }

    public void WriteI8(sbyte value) => WriteU8(unchecked((byte)value));

    public void WriteU16(ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(_output.GetSpan(2), value);
        Advance(2);
    }

    public void WriteI16(short value)
    {
        BinaryPrimitives.WriteInt16LittleEndian(_output.GetSpan(2), value);
        Advance(2);
    }

    public void WriteU32(uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_output.GetSpan(4), value);
        Advance(4);
    }

    public void WriteI32(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(_output.GetSpan(4), value);
        Advance(4);
    }

    public void WriteU64(ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(_output.GetSpan(8), value);
        Advance(8);
    }

    public void WriteI64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_output.GetSpan(8), value);
        Advance(8);
    }

    public void WriteF32(float value)
    {
        BinaryPrimitives.WriteSingleLittleEndian(_output.GetSpan(4), value);
        Advance(4);
    }

    public void WriteF64(double value)
    {
        BinaryPrimitives.WriteDoubleLittleEndian(_output.GetSpan(8), value);
        Advance(8);
    }

    /// <summary>BARE <c>uint</c>: unsigned LEB128, shortest form.</summary>
    public void WriteUInt(ulong value)
    {
        var span = _output.GetSpan(MaxVarIntLength);
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[i++] = (byte)value;
        Advance(i);
    }

    /// <summary>BARE <c>int</c>: zig-zag, then unsigned LEB128.</summary>
    public void WriteInt(long value) => WriteUInt(unchecked((ulong)((value << 1) ^ (value >> 63))));

    public void WriteBool(bool value) => WriteU8(value ? (byte)1 : (byte)0);

    /// <summary>BARE <c>str</c>: <c>uint</c> byte length + UTF-8. Lone surrogates become U+FFFD, as with JavaScript's TextEncoder.</summary>
    public void WriteString(ReadOnlySpan<char> value)
    {
        var byteCount = System.Text.Encoding.UTF8.GetByteCount(value);
        WriteUInt((ulong)byteCount);
        if (byteCount == 0)
        {
            return;
        }
        var written = System.Text.Encoding.UTF8.GetBytes(value, _output.GetSpan(byteCount));
        Advance(written);
    }

    /// <summary>BARE <c>str</c> from bytes that are already UTF-8.</summary>
    /// <exception cref="ArgumentException">The bytes are not valid UTF-8.</exception>
    public void WriteStringUtf8(ReadOnlySpan<byte> utf8)
    {
        if (!Utf8.IsValid(utf8))
        {
            throw new ArgumentException("The string is not valid UTF-8.", nameof(utf8));
        }
        WriteData(utf8);
    }

    /// <summary>BARE <c>data</c>: <c>uint</c> length + bytes.</summary>
    public void WriteData(ReadOnlySpan<byte> value)
    {
        WriteUInt((ulong)value.Length);
        WriteRaw(value);
    }

    /// <summary>BARE <c>data[length]</c>: exactly <paramref name="length"/> bytes, no length prefix.</summary>
    /// <exception cref="ArgumentException"><paramref name="value"/> does not have <paramref name="length"/> bytes.</exception>
    public void WriteFixedData(ReadOnlySpan<byte> value, int length)
    {
        if (value.Length != length)
        {
            throw new ArgumentException($"Fixed-length data must be exactly {length} bytes, got {value.Length}.", nameof(value));
        }
        WriteRaw(value);
    }

    /// <summary>The presence byte of an <c>optional&lt;T&gt;</c>; when <see langword="true"/>, write the value next.</summary>
    public void WriteOptional(bool present) => WriteU8(present ? (byte)1 : (byte)0);

    /// <summary>The element count of a <c>list&lt;T&gt;</c>.</summary>
    public void WriteListCount(int count) => WriteUInt((ulong)CheckCount(count));

    /// <summary>The entry count of a <c>map&lt;K&gt;&lt;V&gt;</c>.</summary>
    public void WriteMapCount(int count) => WriteUInt((ulong)CheckCount(count));

    /// <summary>The tag of a union (the member's 0-based position); write the member's value next.</summary>
    public void WriteUnionTag(uint tag) => WriteUInt(tag);

    /// <summary>An enum value (its 0-based position).</summary>
    public void WriteEnum(uint value) => WriteUInt(value);

    /// <summary>The 2-byte little-endian version prefix of an "embedded version" payload (<c>04 00</c>, <c>08 00</c>).</summary>
    public void WriteVersion(ushort version) => WriteU16(version);

    /// <summary>Bytes copied as they are (a nested, already encoded value).</summary>
    public void WriteRaw(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty)
        {
            return;
        }
        value.CopyTo(_output.GetSpan(value.Length));
        Advance(value.Length);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Advance(int count)
    {
        _output.Advance(count);
        _bytesWritten += count;
    }

    private static int CheckCount(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return count;
    }
}
