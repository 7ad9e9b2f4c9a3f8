using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;

namespace Rivet.Codecs.Cbor;

/// <summary>
/// The fast path of <see cref="CborJson"/>'s JSON → CBOR: writes the CBOR bytes itself into a per-thread buffer
/// instead of going through <see cref="System.Formats.Cbor.CborWriter"/> (no UTF-16 round trip of strings, no
/// indefinite-length conversion), for the JSON every state save and result produces: objects, arrays, strings,
/// integers, doubles that hold the number exactly, booleans and null. It gives up (returns <see langword="false"/>, having
/// written nothing) on anything else: compat arrays (<c>["$BigInt",…]</c> and the like), numbers that are not exactly
/// a double, malformed JSON, too deep nesting; <see cref="CborJson"/> then runs its reference transcoder, which also
/// produces the errors. The bytes are identical to the reference's (CborJsonDirectTests compare both).
/// </summary>
internal static class DirectJsonToCbor
{
    /// <summary>Per-thread buffers larger than this are dropped after use.</summary>
    private const int MaxKeptBuffer = 64 * 1024;

    /// <summary>2^53 - 1, the largest integer a double holds exactly.</summary>
    private const long MaxSafeInteger = 9007199254740991;

    /// <summary>The smallest normal double (below it, doubles hold fewer digits).</summary>
    private const double MinNormal = 2.2250738585072014E-308;

    [ThreadStatic]
    private static byte[]? t_buffer;

    /// <summary>Transcodes <paramref name="json"/> to <paramref name="cbor"/> when the fast path covers it.</summary>
    public static bool TryWrite(ReadOnlySpan<byte> json, IBufferWriter<byte> cbor, bool keepCompatArrays, int maxDepth)
    {
        if (json.IsEmpty || maxDepth <= 0)
        {
            return false;
        }
        var output = new Output(t_buffer ?? new byte[Math.Max(256, json.Length)]);
        t_buffer = null;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = maxDepth });
            if (!reader.Read() || !WriteValue(ref reader, ref output, keepCompatArrays) || reader.Read())
            {
                return false;
            }
            output.Written.CopyTo(cbor.GetSpan(output.Position));
            cbor.Advance(output.Position);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
        finally
        {
            t_buffer = output.Buffer.Length <= MaxKeptBuffer ? output.Buffer : null;
        }
    }

    private static bool WriteValue(ref Utf8JsonReader reader, ref Output output, bool keepCompatArrays)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
            {
                var header = output.StartContainer();
                var count = 0;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    if (!WriteText(ref reader, ref output) || !reader.Read() || !WriteValue(ref reader, ref output, keepCompatArrays))
                    {
                        return false;
                    }
                    count++;
                }
                output.EndContainer(header, CborMajor.Map, count);
                return true;
            }
            case JsonTokenType.StartArray:
            {
                if (!keepCompatArrays && MayBeCompat(reader))
                {
                    return false;
                }
                var header = output.StartContainer();
                var count = 0;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (!WriteValue(ref reader, ref output, keepCompatArrays))
                    {
                        return false;
                    }
                    count++;
                }
                output.EndContainer(header, CborMajor.Array, count);
                return true;
            }
            case JsonTokenType.String:
                return WriteText(ref reader, ref output);
            case JsonTokenType.Number:
                return WriteNumber(ref reader, ref output);
            case JsonTokenType.True:
                output.WriteByte(0xf5);
                return true;
            case JsonTokenType.False:
                output.WriteByte(0xf4);
                return true;
            case JsonTokenType.Null:
                output.WriteByte(0xf6);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Whether the array may be a compat array the reference turns into a native value (it decides).</summary>
    private static bool MayBeCompat(Utf8JsonReader probe) =>
        probe.Read() && probe.TokenType == JsonTokenType.String
        && (probe.ValueTextEquals(CborJson.BigIntTag) || probe.ValueTextEquals(CborJson.Uint8ArrayTag)
            || probe.ValueTextEquals(CborJson.ArrayBufferTag) || probe.ValueTextEquals(CborJson.UndefinedTag));

    private static bool WriteText(ref Utf8JsonReader reader, ref Output output)
    {
        var text = reader.ValueSpan;
        if (!reader.ValueIsEscaped)
        {
            // The reader checks UTF-8 only when a string is copied out; the reference would throw here.
            if (!Utf8.IsValid(text))
            {
                return false;
            }
            output.WriteHeader(CborMajor.Text, (ulong)text.Length);
            output.WriteBytes(text);
            return true;
        }
        // Unescaped text is never longer than its escaped form: unescape after the largest header it may need, then
        // move it left when the real length needs a shorter one.
        var maxHeader = HeaderSize((ulong)text.Length);
        var start = output.Position;
        var destination = output.Reserve(maxHeader + text.Length)[maxHeader..];
        var length = reader.CopyString(destination);
        var header = HeaderSize((ulong)length);
        output.WriteHeader(CborMajor.Text, (ulong)length);
        if (header != maxHeader)
        {
            output.Buffer.AsSpan(start + maxHeader, length).CopyTo(output.Buffer.AsSpan(start + header));
        }
        output.Position = start + header + length;
        return true;
    }

    private static bool WriteNumber(ref Utf8JsonReader reader, ref Output output)
    {
        if (reader.TryGetInt64(out var integer))
        {
            if (integer is >= -4294967296L and <= 4294967295L)
            {
                output.WriteInteger(integer);
                return true;
            }
            if (integer is >= -MaxSafeInteger and <= MaxSafeInteger)
            {
                // A JS number, not a bigint: it stays a number on the other side.
                output.WriteShortestFloat(integer);
                return true;
            }
            // Beyond 2^53: the reference keeps it exact as a bigint.
            return false;
        }
        if (reader.ValueSpan.IndexOfAny((byte)'.', (byte)'e', (byte)'E') < 0)
        {
            // An integer past 64 bits: the reference keeps it exact as a bigint.
            return false;
        }
        if (!reader.TryGetDouble(out var value) || !double.IsFinite(value) || !IsExact(reader.ValueSpan, value))
        {
            return false;
        }
        if (Math.Floor(value) == value && value is >= -4294967296.0 and <= 4294967295.0)
        {
            output.WriteInteger((long)value);
        }
        else
        {
            output.WriteShortestFloat(value);
        }
        return true;
    }

    /// <summary>
    /// Whether the double holds the JSON number exactly (the reference's test: the same digits as its shortest
    /// round-trip form). Always so for at most 15 significant digits in the normal range (a double keeps 15 decimal
    /// digits: no other number of 15 digits or fewer reads as the same double); otherwise the text must be that
    /// shortest form itself (as System.Text.Json and JS write doubles). Anything else goes to the reference.
    /// </summary>
    private static bool IsExact(ReadOnlySpan<byte> text, double value)
    {
        var digits = 0;
        var leading = true;
        var exponent = false;
        foreach (var c in text)
        {
            if (c is (byte)'e' or (byte)'E')
            {
                exponent = true;
                break;
            }
            if (c is < (byte)'0' or > (byte)'9' || (leading && c == (byte)'0'))
            {
                continue;
            }
            leading = false;
            digits++;
        }
        // No significant digit and no exponent: a zero, read as (±)0. A value in the subnormal range has fewer digits
        // of precision. Long spellings (thousands of leading zeros, a huge exponent) are the reference's to judge:
        // its decimal reading refuses some of them.
        if (text.Length <= 32 && (digits == 0 ? !exponent && value == 0 : digits <= 15 && Math.Abs(value) >= MinNormal))
        {
            return true;
        }
        Span<byte> shortest = stackalloc byte[32];
        return value.TryFormat(shortest, out var written, "R", CultureInfo.InvariantCulture) && text.SequenceEqual(shortest[..written]);
    }

    private static int HeaderSize(ulong argument) => argument switch
    {
        < 24 => 1,
        <= byte.MaxValue => 2,
        <= ushort.MaxValue => 3,
        <= uint.MaxValue => 5,
        _ => 9,
    };

    private enum CborMajor : byte
    {
        Unsigned = 0,
        Negative = 1,
        Text = 3,
        Array = 4,
        Map = 5,
    }

    /// <summary>A growable byte buffer with CBOR's preferred-serialization headers.</summary>
    private struct Output(byte[] buffer)
    {
        public byte[] Buffer = buffer;
        public int Position;

        public readonly ReadOnlySpan<byte> Written => Buffer.AsSpan(0, Position);

        public Span<byte> Reserve(int length)
        {
            if (Buffer.Length - Position < length)
            {
                Array.Resize(ref Buffer, Math.Max(Buffer.Length * 2, Position + length));
            }
            return Buffer.AsSpan(Position, length);
        }

        public void WriteByte(byte value)
        {
            Reserve(1)[0] = value;
            Position++;
        }

        public void WriteBytes(ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(Reserve(bytes.Length));
            Position += bytes.Length;
        }

        public void WriteHeader(CborMajor major, ulong argument)
        {
            var size = HeaderSize(argument);
            var span = Reserve(size);
            var initial = (byte)((byte)major << 5);
            switch (size)
            {
                case 1:
                    span[0] = (byte)(initial | (byte)argument);
                    break;
                case 2:
                    span[0] = (byte)(initial | 24);
                    span[1] = (byte)argument;
                    break;
                case 3:
                    span[0] = (byte)(initial | 25);
                    BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)argument);
                    break;
                case 5:
                    span[0] = (byte)(initial | 26);
                    BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)argument);
                    break;
                default:
                    span[0] = (byte)(initial | 27);
                    BinaryPrimitives.WriteUInt64BigEndian(span[1..], argument);
                    break;
            }
            Position += size;
        }

        public void WriteInteger(long value)
        {
            if (value >= 0)
            {
                WriteHeader(CborMajor.Unsigned, (ulong)value);
            }
            else
            {
                WriteHeader(CborMajor.Negative, (ulong)(-1 - value));
            }
        }

        /// <summary>The shortest of half, single and double that holds <paramref name="value"/> exactly, as
        /// <c>CborWriter.WriteDouble</c> writes it in lax mode.</summary>
        public void WriteShortestFloat(double value)
        {
            var single = (float)value;
            if (single == value)
            {
                var half = (Half)single;
                if ((float)half == single)
                {
                    var span = Reserve(3);
                    span[0] = 0xf9;
                    BinaryPrimitives.WriteHalfBigEndian(span[1..], half);
                    Position += 3;
                }
                else
                {
                    var span = Reserve(5);
                    span[0] = 0xfa;
                    BinaryPrimitives.WriteSingleBigEndian(span[1..], single);
                    Position += 5;
                }
                return;
            }
            var wide = Reserve(9);
            wide[0] = 0xfb;
            BinaryPrimitives.WriteDoubleBigEndian(wide[1..], value);
            Position += 9;
        }

        /// <summary>Reserves one byte for a container's header; <see cref="EndContainer"/> writes it.</summary>
        public int StartContainer()
        {
            var at = Position;
            WriteByte(0);
            return at;
        }

        /// <summary>Writes the definite-length header of the container started at <paramref name="at"/>, moving
        /// its items right when the count needs more than one byte.</summary>
        public void EndContainer(int at, CborMajor major, int count)
        {
            var size = HeaderSize((ulong)count);
            if (size > 1)
            {
                var items = Position - at - 1;
                Reserve(size - 1);
                Buffer.AsSpan(at + 1, items).CopyTo(Buffer.AsSpan(at + size));
            }
            var end = Position + size - 1;
            Position = at;
            WriteHeader(major, (ulong)count);
            Position = end;
        }
    }
}
