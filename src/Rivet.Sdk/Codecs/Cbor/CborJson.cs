using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Formats.Cbor;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace Rivet.Codecs.Cbor;

/// <summary>
/// Transcodes between CBOR and RivetKit's "JSON compat" JSON, so a value sent by a CBOR (or BARE) client becomes
/// exactly the JSON a JSON client would have sent, and back. The SDK deserializes everything from JSON with
/// System.Text.Json; this class is the bridge for the binary encodings.
/// </summary>
/// <remarks>
/// <para>CBOR → JSON follows what RivetKit's TypeScript side (cbor-x 1.6 decoding, then <c>JSON.stringify</c> with
/// the compat replacer) would produce:</para>
/// <list type="bullet">
/// <item>Integers with a 1-, 2- or 4-byte argument (or inline) become JSON numbers. Integers with an 8-byte argument
/// (<c>1b</c>/<c>3b</c>) become <c>["$BigInt","…"]</c> whatever their value, because cbor-x decodes them as
/// <c>bigint</c>: the TS client sends connection action ids as <c>1b 00…00</c> and the JSON client sends
/// <c>["$BigInt","0"]</c>. Bignum tags 2 and 3 also become <c>["$BigInt","…"]</c>.</item>
/// <item>Half, single and double floats become JSON numbers; integral values are written without a fraction (as
/// JavaScript prints them), NaN and ±Infinity become <c>null</c> (as <c>JSON.stringify</c> writes them).</item>
/// <item>Byte strings become <c>["$Uint8Array","base64"]</c>; <c>undefined</c> becomes <c>["$Undefined",0]</c>.</item>
/// <item>Maps become objects; their keys must be text strings (anything else throws). Duplicate keys are copied.</item>
/// <item>Arrays, including RivetKit's compat arrays already present in the CBOR (<c>encodeCborCompat</c> writes
/// <c>["$BigInt","1"]</c>, <c>["$Set",[…]]</c> and escapes genuine <c>["$x",…]</c> as <c>["$$x",…]</c>), are copied
/// unchanged: the escaping is already the JSON form.</item>
/// <item>Tags: 0 (date string) and 1 (epoch date) become the ISO-8601 string <c>Date.toJSON()</c> gives
/// (<c>2024-01-02T03:04:05.000Z</c>); 258 (set) becomes <c>["$Set",[…]]</c>; every other tag is dropped and its
/// content converted (RFC 8949 §6.1).</item>
/// <item>Indefinite-length strings, arrays and maps and non-preferred headers (<c>b9 0001</c>, 8-byte small
/// integers) are accepted. Simple values other than false/true/null/undefined are rejected.</item>
/// </list>
/// <para>JSON → CBOR writes preferred serialization with definite lengths, as RivetKit's encoder does for JS
/// values: numbers that are integers in [-2^32, 2^32-1] become CBOR integers (shortest form); other numbers become
/// the shortest float that holds them exactly (a JS number above 2^32 is not a bigint, so it must not come back as
/// one). <c>["$BigInt","n"]</c> becomes an 8-byte integer (<c>1b</c>/<c>3b</c>, as cbor-x writes a bigint, so it
/// decodes as a bigint again) or a bignum tag beyond 64 bits; <c>["$Uint8Array",b64]</c> and
/// <c>["$ArrayBuffer",b64]</c> become byte strings; <c>["$Undefined",…]</c> becomes <c>undefined</c>. Other
/// arrays (<c>["$Set",…]</c>, escaped <c>["$$x",…]</c>) are copied as arrays, as <c>encodeCborCompat</c> writes them.
/// Object key order is kept.</para>
/// <para>Both directions reject nesting deeper than <c>maxDepth</c> (default <see cref="DefaultMaxDepth"/>) and
/// throw only <see cref="CborJsonException"/> for bad input. After an exception the output may hold part of the
/// value (writers commit as they grow): discard it.</para>
/// </remarks>
internal static class CborJson
{
    /// <summary>Default nesting limit (arrays, maps and tags), the same as System.Text.Json's default.</summary>
    public const int DefaultMaxDepth = 64;

    internal const string BigIntTag = "$BigInt";
    internal const string Uint8ArrayTag = "$Uint8Array";
    internal const string ArrayBufferTag = "$ArrayBuffer";
    internal const string UndefinedTag = "$Undefined";
    internal const string SetTag = "$Set";

    private const int MaxBigNumBytes = 8192;
    private const int MaxBigIntDigits = 20000;

    private static readonly JsonWriterOptions s_jsonWriterOptions = new()
    {
        // JSON.stringify does not escape non-ASCII or HTML characters.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    [ThreadStatic]
    private static CborWriter? t_cborWriter;

    // ---------------------------------------------------------------- CBOR → JSON

    /// <summary>Transcodes one CBOR data item (the whole input) to JSON written to <paramref name="json"/>.</summary>
    /// <exception cref="CborJsonException">The input is not one well-formed CBOR item, or has no JSON form.</exception>
    public static void CborToJson(ReadOnlySpan<byte> cbor, Utf8JsonWriter json, int maxDepth = DefaultMaxDepth)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxDepth);
        var reader = new CborToJsonReader(cbor, json, maxDepth);
        reader.WriteItem(0);
        if (reader.Offset != cbor.Length)
        {
            throw new CborJsonException(reader.Offset, $"{cbor.Length - reader.Offset} trailing byte(s) after the CBOR item");
        }
    }

    /// <summary>Transcodes one CBOR data item (the whole input) to UTF-8 JSON appended to <paramref name="json"/>.</summary>
    /// <exception cref="CborJsonException">The input is not one well-formed CBOR item, or has no JSON form.</exception>
    public static void CborToJson(ReadOnlySpan<byte> cbor, IBufferWriter<byte> json, int maxDepth = DefaultMaxDepth)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var writer = new Utf8JsonWriter(json, s_jsonWriterOptions);
        CborToJson(cbor, writer, maxDepth);
        writer.Flush();
    }

    /// <summary>Transcodes one CBOR data item (the whole input) to a new UTF-8 JSON array.</summary>
    /// <exception cref="CborJsonException">The input is not one well-formed CBOR item, or has no JSON form.</exception>
    public static byte[] CborToJson(ReadOnlySpan<byte> cbor, int maxDepth = DefaultMaxDepth)
    {
        var buffer = new ArrayBufferWriter<byte>(Math.Max(16, cbor.Length * 2));
        CborToJson(cbor, buffer, maxDepth);
        return buffer.WrittenSpan.ToArray();
    }

    // ---------------------------------------------------------------- JSON → CBOR

    /// <summary>Transcodes one JSON value (the whole UTF-8 input) to CBOR written to <paramref name="cbor"/>.</summary>
    /// <remarks>
    /// The writer's conformance mode applies; a <see cref="CborConformanceMode.Lax"/> writer created with
    /// <c>convertIndefiniteLengthEncodings: true</c> gives the preferred serialization described on the class.
    /// </remarks>
    /// <exception cref="CborJsonException">The input is not one valid JSON value, or a compat array is malformed.</exception>
    public static void JsonToCbor(ReadOnlySpan<byte> json, CborWriter cbor, int maxDepth = DefaultMaxDepth)
        => JsonToCbor(json, cbor, keepCompatArrays: false, maxDepth);

    private static void JsonToCbor(ReadOnlySpan<byte> json, CborWriter cbor, bool keepCompatArrays, int maxDepth)
    {
        ArgumentNullException.ThrowIfNull(cbor);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxDepth);
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = maxDepth });
        try
        {
            if (!reader.Read())
            {
                throw new CborJsonException(0, "the JSON input is empty");
            }
            JsonToCborWriter.WriteValue(ref reader, cbor, keepCompatArrays);
            if (reader.Read())
            {
                throw new CborJsonException((int)reader.TokenStartIndex, "trailing content after the JSON value");
            }
        }
        catch (JsonException e)
        {
            throw new CborJsonException((int)reader.BytesConsumed, "invalid JSON: " + e.Message, e);
        }
        catch (InvalidOperationException e)
        {
            // Found by fuzzing: a string escaping a lone surrogate ("\ud800") is valid JSON syntax the reader
            // refuses only when the string is read.
            throw new CborJsonException((int)reader.BytesConsumed, "invalid JSON string: " + e.Message, e);
        }
    }

    /// <summary>The reference transcoder alone (through <see cref="CborWriter"/>, without <see cref="DirectJsonToCbor"/>'s
    /// fast path): the tests compare both.</summary>
    internal static byte[] ReferenceJsonToCbor(ReadOnlySpan<byte> json, bool keepCompatArrays, int maxDepth = DefaultMaxDepth)
    {
        var writer = new CborWriter(CborConformanceMode.Lax, convertIndefiniteLengthEncodings: true);
        JsonToCbor(json, writer, keepCompatArrays, maxDepth);
        return writer.Encode();
    }

    /// <summary>Transcodes one JSON value (the whole UTF-8 input) to preferred-serialization CBOR appended to <paramref name="cbor"/>.</summary>
    /// <exception cref="CborJsonException">The input is not one valid JSON value, or a compat array is malformed.</exception>
    public static void JsonToCbor(ReadOnlySpan<byte> json, IBufferWriter<byte> cbor, int maxDepth = DefaultMaxDepth)
        => JsonToCbor(json, cbor, keepCompatArrays: false, maxDepth);

    private static void JsonToCbor(ReadOnlySpan<byte> json, IBufferWriter<byte> cbor, bool keepCompatArrays, int maxDepth)
    {
        ArgumentNullException.ThrowIfNull(cbor);
        if (DirectJsonToCbor.TryWrite(json, cbor, keepCompatArrays, maxDepth))
        {
            return;
        }
        var writer = t_cborWriter ?? new CborWriter(CborConformanceMode.Lax, convertIndefiniteLengthEncodings: true);
        t_cborWriter = null;
        try
        {
            JsonToCbor(json, writer, keepCompatArrays, maxDepth);
            var written = writer.Encode(cbor.GetSpan(writer.BytesWritten));
            cbor.Advance(written);
        }
        finally
        {
            writer.Reset();
            t_cborWriter = writer;
        }
    }

    /// <summary>Transcodes one JSON value (the whole UTF-8 input) to a new preferred-serialization CBOR array.</summary>
    /// <exception cref="CborJsonException">The input is not one valid JSON value, or a compat array is malformed.</exception>
    public static byte[] JsonToCbor(ReadOnlySpan<byte> json, int maxDepth = DefaultMaxDepth)
    {
        var buffer = new ArrayBufferWriter<byte>(Math.Max(16, json.Length));
        JsonToCbor(json, buffer, keepCompatArrays: false, maxDepth);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Transcodes one JSON value to CBOR the way RivetKit's <c>encodeCborCompat</c> writes JS values: the compat arrays
    /// (<c>["$BigInt","1"]</c>, <c>["$Uint8Array",b64]</c>, <c>["$Undefined",0]</c>, escaped <c>["$$x",…]</c>) stay
    /// arrays instead of becoming native CBOR integers, byte strings or <c>undefined</c>; everything else is as
    /// <see cref="JsonToCbor(ReadOnlySpan{byte}, int)"/>.
    /// </summary>
    /// <remarks>
    /// This is the form RivetKit 2.3.19 clients send action arguments and creation inputs in (and its actors reply in),
    /// and the only one its actors accept for bytes: with <c>x-rivet-encoding: cbor</c> a TypeScript actor answers a
    /// native byte string (or a tag 64 typed array, or a bignum) with <c>core.internal_error</c>.
    /// </remarks>
    /// <exception cref="CborJsonException">The input is not one valid JSON value.</exception>
    public static byte[] JsonToCborCompat(ReadOnlySpan<byte> json, int maxDepth = DefaultMaxDepth)
    {
        var buffer = new ArrayBufferWriter<byte>(Math.Max(16, json.Length));
        JsonToCbor(json, buffer, keepCompatArrays: true, maxDepth);
        return buffer.WrittenSpan.ToArray();
    }

    // ---------------------------------------------------------------- CBOR reader

    /// <summary>A strict, allocation-light CBOR decoder that writes JSON as it goes.</summary>
    private ref struct CborToJsonReader
    {
        private readonly ReadOnlySpan<byte> _cbor;
        private readonly Utf8JsonWriter _json;
        private readonly int _maxDepth;
        private int _offset;

        public CborToJsonReader(ReadOnlySpan<byte> cbor, Utf8JsonWriter json, int maxDepth)
        {
            _cbor = cbor;
            _json = json;
            _maxDepth = maxDepth;
            _offset = 0;
        }

        public readonly int Offset => _offset;

        public void WriteItem(int depth)
        {
            var start = _offset;
            var initial = ReadByte();
            var major = initial >> 5;
            var info = initial & 0x1f;
            switch (major)
            {
                case 0:
                {
                    var value = ReadArgument(start, info);
                    if (info == 27)
                    {
                        WriteBigInt(value.ToString(CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        _json.WriteNumberValue(value);
                    }
                    return;
                }
                case 1:
                {
                    var value = ReadArgument(start, info);
                    if (info == 27)
                    {
                        WriteBigInt((-1 - (Int128)value).ToString(CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        _json.WriteNumberValue(-1L - (long)value);
                    }
                    return;
                }
                case 2:
                {
                    var bytes = ReadStringBody(start, info, major, out var rented);
                    try
                    {
                        _json.WriteStartArray();
                        _json.WriteStringValue(Uint8ArrayTag);
                        _json.WriteBase64StringValue(bytes);
                        _json.WriteEndArray();
                    }
                    finally
                    {
                        Return(rented);
                    }
                    return;
                }
                case 3:
                {
                    var text = ReadStringBody(start, info, major, out var rented);
                    try
                    {
                        _json.WriteStringValue(text);
                    }
                    finally
                    {
                        Return(rented);
                    }
                    return;
                }
                case 4:
                    EnterContainer(start, depth);
                    _json.WriteStartArray();
                    if (info == 31)
                    {
                        while (!TryReadBreak())
                        {
                            WriteItem(depth + 1);
                        }
                    }
                    else
                    {
                        var count = ReadCount(start, info, 1, "array");
                        for (var i = 0; i < count; i++)
                        {
                            WriteItem(depth + 1);
                        }
                    }
                    _json.WriteEndArray();
                    return;
                case 5:
                    EnterContainer(start, depth);
                    _json.WriteStartObject();
                    if (info == 31)
                    {
                        while (!TryReadBreak())
                        {
                            WriteEntry(depth + 1);
                        }
                    }
                    else
                    {
                        var count = ReadCount(start, info, 2, "map");
                        for (var i = 0; i < count; i++)
                        {
                            WriteEntry(depth + 1);
                        }
                    }
                    _json.WriteEndObject();
                    return;
                case 6:
                    EnterContainer(start, depth);
                    WriteTagged(start, ReadArgument(start, info), depth + 1);
                    return;
                default:
                    WriteSimple(start, info);
                    return;
            }
        }

        private void WriteEntry(int depth)
        {
            var keyStart = _offset;
            var initial = ReadByte();
            if (initial >> 5 != 3)
            {
                throw new CborJsonException(keyStart, $"a CBOR map key is {Describe(initial)}; only text-string keys have a JSON form");
            }
            var key = ReadStringBody(keyStart, initial & 0x1f, 3, out var rented);
            try
            {
                _json.WritePropertyName(key);
            }
            finally
            {
                Return(rented);
            }
            if (_offset >= _cbor.Length)
            {
                throw Truncated(_offset, "a map value");
            }
            WriteItem(depth);
        }

        private void WriteTagged(int start, ulong tag, int depth)
        {
            switch (tag)
            {
                case 2:
                case 3:
                {
                    var contentStart = _offset;
                    var initial = ReadByte();
                    if (initial >> 5 != 2)
                    {
                        throw new CborJsonException(contentStart, $"the content of bignum tag {tag} must be a byte string, found {Describe(initial)}");
                    }
                    var bytes = ReadStringBody(contentStart, initial & 0x1f, 2, out var rented);
                    try
                    {
                        if (bytes.Length > MaxBigNumBytes)
                        {
                            throw new CborJsonException(contentStart, $"bignum of {bytes.Length} bytes exceeds the {MaxBigNumBytes}-byte limit");
                        }
                        var value = new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
                        if (tag == 3)
                        {
                            value = BigInteger.MinusOne - value;
                        }
                        WriteBigInt(value.ToString(CultureInfo.InvariantCulture));
                    }
                    finally
                    {
                        Return(rented);
                    }
                    return;
                }
                case 0:
                {
                    var contentStart = _offset;
                    var initial = ReadByte();
                    if (initial >> 5 != 3)
                    {
                        throw new CborJsonException(contentStart, $"the content of date tag 0 must be a text string, found {Describe(initial)}");
                    }
                    var text = ReadStringBody(contentStart, initial & 0x1f, 3, out var rented);
                    DateTimeOffset date;
                    try
                    {
                        if (!DateTimeOffset.TryParse(System.Text.Encoding.UTF8.GetString(text), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out date))
                        {
                            throw new CborJsonException(contentStart, "the content of date tag 0 is not an RFC 3339 date");
                        }
                    }
                    finally
                    {
                        Return(rented);
                    }
                    WriteDate(date.ToUnixTimeMilliseconds(), contentStart);
                    return;
                }
                case 1:
                {
                    var contentStart = _offset;
                    var seconds = ReadNumber(contentStart);
                    // new Date(Math.round(epochSec * 1000)); Math.round rounds halves up.
                    var millis = Math.Floor((seconds * 1000) + 0.5);
                    if (!double.IsFinite(millis) || millis < MinDateMillis || millis > MaxDateMillis)
                    {
                        throw new CborJsonException(contentStart, $"epoch date {seconds} is outside the years 0001-9999");
                    }
                    WriteDate((long)millis, contentStart);
                    return;
                }
                case 4:
                {
                    // Decimal fraction [exponent, mantissa]: written back as the exact JSON number.
                    var contentStart = _offset;
                    if (contentStart >= _cbor.Length || _cbor[contentStart] != 0x82)
                    {
                        throw new CborJsonException(contentStart, "the content of decimal fraction tag 4 must be a two-element array");
                    }
                    _offset++;
                    var exponent = ReadInteger();
                    var mantissa = ReadInteger();
                    if (BigInteger.Abs(exponent) > MaxBigIntDigits)
                    {
                        throw new CborJsonException(contentStart, "decimal fraction exponent is too large");
                    }
                    _json.WriteRawValue(FormatDecimal(mantissa, (int)exponent), skipInputValidation: true);
                    return;
                }
                case 258:
                {
                    var contentStart = _offset;
                    if (contentStart >= _cbor.Length || _cbor[contentStart] >> 5 != 4)
                    {
                        throw new CborJsonException(contentStart, "the content of set tag 258 must be an array");
                    }
                    _json.WriteStartArray();
                    _json.WriteStringValue(SetTag);
                    WriteItem(depth);
                    _json.WriteEndArray();
                    return;
                }
                default:
                    if (_offset >= _cbor.Length)
                    {
                        throw Truncated(start, $"the content of tag {tag}");
                    }
                    WriteItem(depth);
                    return;
            }
        }

        /// <summary>Reads a CBOR integer of any width, or a bignum (tags 2 and 3).</summary>
        private BigInteger ReadInteger()
        {
            var start = _offset;
            if (start >= _cbor.Length)
            {
                throw Truncated(start, "an integer");
            }
            var initial = ReadByte();
            switch (initial >> 5)
            {
                case 0:
                    return ReadArgument(start, initial & 0x1f);
                case 1:
                    return BigInteger.MinusOne - ReadArgument(start, initial & 0x1f);
                case 6 when (initial & 0x1f) is 2 or 3:
                {
                    var negative = (initial & 0x1f) == 3;
                    var contentStart = _offset;
                    var head = ReadByte();
                    if (head >> 5 != 2)
                    {
                        throw new CborJsonException(contentStart, "the content of a bignum must be a byte string");
                    }
                    var bytes = ReadStringBody(contentStart, head & 0x1f, 2, out var rented);
                    try
                    {
                        if (bytes.Length > MaxBigNumBytes)
                        {
                            throw new CborJsonException(contentStart, $"bignum of {bytes.Length} bytes exceeds the {MaxBigNumBytes}-byte limit");
                        }
                        var value = new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
                        return negative ? BigInteger.MinusOne - value : value;
                    }
                    finally
                    {
                        Return(rented);
                    }
                }
                default:
                    throw new CborJsonException(start, $"expected an integer, found {Describe(initial)}");
            }
        }

        /// <summary>mantissa × 10^exponent as a plain JSON number (exponent notation only for extreme exponents).</summary>
        private static string FormatDecimal(BigInteger mantissa, int exponent)
        {
            var negative = mantissa.Sign < 0;
            var digits = BigInteger.Abs(mantissa).ToString(CultureInfo.InvariantCulture);
            string body;
            if (exponent >= 0 && exponent <= 64)
            {
                body = digits + new string('0', exponent);
            }
            else if (exponent < 0 && -exponent <= 64)
            {
                var point = digits.Length + exponent;
                body = point > 0 ? digits[..point] + "." + digits[point..] : "0." + new string('0', -point) + digits;
            }
            else
            {
                body = digits + "E" + exponent.ToString(CultureInfo.InvariantCulture);
            }
            return negative ? "-" + body : body;
        }

        private const long MinDateMillis = -62135596800000; // 0001-01-01T00:00:00Z
        private const long MaxDateMillis = 253402300799999; // 9999-12-31T23:59:59.999Z

        private readonly void WriteDate(long millis, int offset)
        {
            if (millis < MinDateMillis || millis > MaxDateMillis)
            {
                throw new CborJsonException(offset, "date is outside the years 0001-9999");
            }
            var date = DateTimeOffset.FromUnixTimeMilliseconds(millis).UtcDateTime;
            Span<byte> utf8 = stackalloc byte[24];
            date.TryFormat(utf8, out var written, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
            _json.WriteStringValue(utf8[..written]);
        }

        private double ReadNumber(int start)
        {
            var initial = ReadByte();
            var info = initial & 0x1f;
            switch (initial >> 5)
            {
                case 0:
                    return ReadArgument(start, info);
                case 1:
                    return -1.0 - ReadArgument(start, info);
                case 7 when info is 25 or 26 or 27:
                    return ReadFloat(start, info);
                default:
                    throw new CborJsonException(start, $"the content of date tag 1 must be a number, found {Describe(initial)}");
            }
        }

        private void WriteSimple(int start, int info)
        {
            switch (info)
            {
                case 20:
                    _json.WriteBooleanValue(false);
                    return;
                case 21:
                    _json.WriteBooleanValue(true);
                    return;
                case 22:
                    _json.WriteNullValue();
                    return;
                case 23:
                    _json.WriteStartArray();
                    _json.WriteStringValue(UndefinedTag);
                    _json.WriteNumberValue(0);
                    _json.WriteEndArray();
                    return;
                case 25:
                case 26:
                case 27:
                    WriteDouble(ReadFloat(start, info));
                    return;
                case 31:
                    throw new CborJsonException(start, "unexpected break (0xff) outside an indefinite-length item");
                case 24:
                    throw new CborJsonException(start, "CBOR simple values other than false, true, null and undefined have no JSON form");
                case 28:
                case 29:
                case 30:
                    throw new CborJsonException(start, $"reserved additional information {info} in an initial byte");
                default:
                    throw new CborJsonException(start, $"CBOR simple value {info} has no JSON form");
            }
        }

        private readonly void WriteDouble(double value)
        {
            if (!double.IsFinite(value))
            {
                _json.WriteNullValue();
            }
            else if (Math.Floor(value) == value && Math.Abs(value) < 1e21)
            {
                // JavaScript prints integral numbers below 1e21 without fraction or exponent.
                if (Math.Abs(value) < 9.2e18)
                {
                    _json.WriteNumberValue((long)value);
                }
                else
                {
                    _json.WriteNumberValue((decimal)new BigInteger(value));
                }
            }
            else
            {
                _json.WriteNumberValue(value);
            }
        }

        private double ReadFloat(int start, int info)
        {
            switch (info)
            {
                case 25:
                    return (double)BinaryPrimitives.ReadHalfBigEndian(Take(start, 2, "a half-precision float"));
                case 26:
                    return BinaryPrimitives.ReadSingleBigEndian(Take(start, 4, "a single-precision float"));
                default:
                    return BinaryPrimitives.ReadDoubleBigEndian(Take(start, 8, "a double-precision float"));
            }
        }

        private readonly void WriteBigInt(string digits)
        {
            _json.WriteStartArray();
            _json.WriteStringValue(BigIntTag);
            _json.WriteStringValue(digits);
            _json.WriteEndArray();
        }

        private readonly void EnterContainer(int start, int depth)
        {
            if (depth >= _maxDepth)
            {
                throw new CborJsonException(start, $"CBOR nesting is deeper than the limit of {_maxDepth}");
            }
        }

        /// <summary>
        /// Reads the body of a byte or text string whose initial byte was just read. Definite strings are a slice
        /// of the input; indefinite ones are joined into <paramref name="rented"/> (return it to the pool).
        /// Text is checked to be valid UTF-8.
        /// </summary>
        private ReadOnlySpan<byte> ReadStringBody(int start, int info, int major, out byte[]? rented)
        {
            rented = null;
            var what = major == 2 ? "byte string" : "text string";
            if (info != 31)
            {
                var body = TakeLength(start, info, what);
                CheckUtf8(major, body, start);
                return body;
            }

            // Indefinite length: definite chunks of the same major type up to a break.
            var total = 0;
            var scan = _offset;
            while (true)
            {
                var chunkStart = _offset;
                if (TryReadBreak())
                {
                    break;
                }
                var initial = ReadByte();
                if (initial >> 5 != major || (initial & 0x1f) == 31)
                {
                    throw new CborJsonException(chunkStart, $"a chunk of an indefinite-length {what} must be a definite {what}, found {Describe(initial)}");
                }
                var chunk = TakeLength(chunkStart, initial & 0x1f, what);
                CheckUtf8(major, chunk, chunkStart);
                total += chunk.Length;
            }
            var end = _offset;
            if (total == 0)
            {
                return ReadOnlySpan<byte>.Empty;
            }
            rented = ArrayPool<byte>.Shared.Rent(total);
            var joined = rented.AsSpan(0, total);
            var copied = 0;
            _offset = scan;
            while (!TryReadBreak())
            {
                var chunkStart = _offset;
                var initial = ReadByte();
                var chunk = TakeLength(chunkStart, initial & 0x1f, what);
                chunk.CopyTo(joined[copied..]);
                copied += chunk.Length;
            }
            _offset = end;
            return joined;
        }

        private static void CheckUtf8(int major, ReadOnlySpan<byte> text, int start)
        {
            if (major == 3 && !Utf8.IsValid(text))
            {
                throw new CborJsonException(start, "a CBOR text string is not valid UTF-8");
            }
        }

        private ReadOnlySpan<byte> TakeLength(int start, int info, string what)
        {
            var length = ReadArgument(start, info);
            if (length > (ulong)(_cbor.Length - _offset))
            {
                throw Truncated(start, $"a {what} of {length} byte(s)");
            }
            return Take(start, (int)length, what);
        }

        private int ReadCount(int start, int info, int minBytesPerItem, string what)
        {
            var count = ReadArgument(start, info);
            if (count > (ulong)((_cbor.Length - _offset) / minBytesPerItem))
            {
                throw Truncated(start, $"an {what} of {count} item(s)");
            }
            return (int)count;
        }

        private ulong ReadArgument(int start, int info)
        {
            switch (info)
            {
                case < 24:
                    return (ulong)info;
                case 24:
                    return Take(start, 1, "a 1-byte argument")[0];
                case 25:
                    return BinaryPrimitives.ReadUInt16BigEndian(Take(start, 2, "a 2-byte argument"));
                case 26:
                    return BinaryPrimitives.ReadUInt32BigEndian(Take(start, 4, "a 4-byte argument"));
                case 27:
                    return BinaryPrimitives.ReadUInt64BigEndian(Take(start, 8, "an 8-byte argument"));
                case 31:
                    throw new CborJsonException(start, $"indefinite length is not allowed for {Describe(_cbor[start])}");
                default:
                    throw new CborJsonException(start, $"reserved additional information {info} in an initial byte");
            }
        }

        private bool TryReadBreak()
        {
            if (_offset >= _cbor.Length)
            {
                throw Truncated(_offset, "an indefinite-length item (no break)");
            }
            if (_cbor[_offset] == 0xff)
            {
                _offset++;
                return true;
            }
            return false;
        }

        private byte ReadByte()
        {
            if (_offset >= _cbor.Length)
            {
                throw Truncated(_offset, "a CBOR item");
            }
            return _cbor[_offset++];
        }

        private ReadOnlySpan<byte> Take(int start, int count, string what)
        {
            if (count > _cbor.Length - _offset)
            {
                throw Truncated(start, what);
            }
            var slice = _cbor.Slice(_offset, count);
            _offset += count;
            return slice;
        }

        private readonly CborJsonException Truncated(int start, string what) =>
            new(start, $"truncated CBOR: the input ends inside {what}");

        private static string Describe(byte initial) => (initial >> 5) switch
        {
            0 => "an unsigned integer",
            1 => "a negative integer",
            2 => "a byte string",
            3 => "a text string",
            4 => "an array",
            5 => "a map",
            6 => "a tag",
            _ => (initial & 0x1f) switch
            {
                20 or 21 => "a boolean",
                22 => "null",
                23 => "undefined",
                25 or 26 or 27 => "a float",
                31 => "a break",
                _ => "a simple value",
            },
        };

        private static void Return(byte[]? rented)
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    // ---------------------------------------------------------------- JSON reader

    private static class JsonToCborWriter
    {
        private const int StackallocChars = 256;

        public static void WriteValue(ref Utf8JsonReader reader, CborWriter cbor, bool keepCompatArrays = false)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    cbor.WriteStartMap(null);
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                    {
                        WriteText(ref reader, cbor);
                        reader.Read();
                        WriteValue(ref reader, cbor, keepCompatArrays);
                    }
                    cbor.WriteEndMap();
                    return;
                case JsonTokenType.StartArray:
                    if (!keepCompatArrays && TryWriteCompat(ref reader, cbor))
                    {
                        return;
                    }
                    cbor.WriteStartArray(null);
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        WriteValue(ref reader, cbor, keepCompatArrays);
                    }
                    cbor.WriteEndArray();
                    return;
                case JsonTokenType.String:
                    WriteText(ref reader, cbor);
                    return;
                case JsonTokenType.Number:
                    WriteNumber(ref reader, cbor);
                    return;
                case JsonTokenType.True:
                    cbor.WriteBoolean(true);
                    return;
                case JsonTokenType.False:
                    cbor.WriteBoolean(false);
                    return;
                case JsonTokenType.Null:
                    cbor.WriteNull();
                    return;
                default:
                    throw new CborJsonException((int)reader.TokenStartIndex, $"unexpected JSON token {reader.TokenType}");
            }
        }

        private static void WriteText(ref Utf8JsonReader reader, CborWriter cbor)
        {
            var maxChars = reader.ValueSpan.Length;
            char[]? rented = null;
            var buffer = maxChars <= StackallocChars
                ? stackalloc char[StackallocChars]
                : (rented = ArrayPool<char>.Shared.Rent(maxChars));
            try
            {
                var length = CopyString(ref reader, buffer);
                cbor.WriteTextString(buffer[..length]);
            }
            finally
            {
                if (rented is not null)
                {
                    ArrayPool<char>.Shared.Return(rented);
                }
            }
        }

        // Utf8JsonReader reports invalid UTF-8 inside strings with InvalidOperationException.
        private static int CopyString(ref Utf8JsonReader reader, scoped Span<char> destination)
        {
            try
            {
                return reader.CopyString(destination);
            }
            catch (InvalidOperationException e)
            {
                throw InvalidString(ref reader, e);
            }
        }

        private static int CopyString(ref Utf8JsonReader reader, scoped Span<byte> destination)
        {
            try
            {
                return reader.CopyString(destination);
            }
            catch (InvalidOperationException e)
            {
                throw InvalidString(ref reader, e);
            }
        }

        private static string GetString(ref Utf8JsonReader reader)
        {
            try
            {
                return reader.GetString()!;
            }
            catch (InvalidOperationException e)
            {
                throw InvalidString(ref reader, e);
            }
        }

        private static CborJsonException InvalidString(ref Utf8JsonReader reader, Exception inner) =>
            new((int)reader.TokenStartIndex, "invalid JSON string: " + inner.Message, inner);

        private static void WriteNumber(ref Utf8JsonReader reader, CborWriter cbor)
        {
            if (reader.TryGetInt64(out var integer))
            {
                if (integer is >= -4294967296L and <= 4294967295L)
                {
                    cbor.WriteInt64(integer);
                }
                else if (integer is >= -MaxSafeInteger and <= MaxSafeInteger)
                {
                    // A JS number, not a bigint: keep it a number on the other side.
                    cbor.WriteDouble(integer);
                }
                else
                {
                    // Beyond 2^53 a double would change the value: keep it exact (JS reads it as a bigint).
                    WriteBigInteger(integer, cbor);
                }
                return;
            }
            if (reader.TryGetUInt64(out var unsigned))
            {
                WriteBigInteger(unsigned, cbor);
                return;
            }
            ReadOnlySpan<byte> text = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan;
            if (reader.TryGetDouble(out var value) && double.IsFinite(value) && IsExactDouble(text, value))
            {
                if (Math.Floor(value) == value && value is >= -4294967296.0 and <= 4294967295.0)
                {
                    cbor.WriteInt64((long)value);
                }
                else
                {
                    cbor.WriteDouble(value);
                }
                return;
            }
            // More digits than a double holds (a .NET decimal, a huge integer): a decimal fraction keeps it exact.
            if (!TryParseDecimalText(text, out var mantissa, out var exponent))
            {
                throw new CborJsonException((int)reader.TokenStartIndex, "JSON number cannot be represented");
            }
            // Even an integral one (exponent 0): a plain JSON number must come back as a number, not a bigint.
            cbor.WriteTag(CborTag.DecimalFraction);
            cbor.WriteStartArray(2);
            cbor.WriteInt64(exponent);
            if (mantissa >= long.MinValue && mantissa <= long.MaxValue)
            {
                cbor.WriteInt64((long)mantissa);
            }
            else
            {
                WriteBigInteger(mantissa, cbor);
            }
            cbor.WriteEndArray();
        }

        private const long MaxSafeInteger = 9007199254740991; // 2^53 - 1, the largest integer a double holds exactly

        /// <summary>Whether the shortest round-trip form of <paramref name="value"/> has the same digits as the JSON text.</summary>
        private static bool IsExactDouble(ReadOnlySpan<byte> text, double value)
        {
            Span<byte> shortest = stackalloc byte[32];
            if (!value.TryFormat(shortest, out var written, "R", CultureInfo.InvariantCulture))
            {
                return false;
            }
            // Fast path: the text is already the shortest form (as System.Text.Json and JS write doubles).
            if (text.SequenceEqual(shortest[..written]))
            {
                return true;
            }
            return TryParseDecimalText(text, out var m1, out var e1)
                && TryParseDecimalText(shortest[..written], out var m2, out var e2)
                && m1 == m2 && e1 == e2;
        }

        /// <summary>Parses a JSON number into mantissa × 10^exponent with no trailing zeros in the mantissa.</summary>
        internal static bool TryParseDecimalText(ReadOnlySpan<byte> text, out BigInteger mantissa, out long exponent)
        {
            mantissa = BigInteger.Zero;
            exponent = 0;
            var i = 0;
            var negative = i < text.Length && text[i] == (byte)'-';
            if (negative)
            {
                i++;
            }
            var digits = new StringBuilder();
            for (; i < text.Length && text[i] is >= (byte)'0' and <= (byte)'9'; i++)
            {
                digits.Append((char)text[i]);
            }
            if (i < text.Length && text[i] == (byte)'.')
            {
                for (i++; i < text.Length && text[i] is >= (byte)'0' and <= (byte)'9'; i++)
                {
                    digits.Append((char)text[i]);
                    exponent--;
                }
            }
            if (i < text.Length && (text[i] == (byte)'e' || text[i] == (byte)'E'))
            {
                i++;
                if (!long.TryParse(System.Text.Encoding.ASCII.GetString(text[i..]), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var power))
                {
                    return false;
                }
                exponent += power;
                i = text.Length;
            }
            if (i != text.Length || digits.Length == 0 || digits.Length > MaxBigIntDigits)
            {
                return false;
            }
            mantissa = BigInteger.Parse(digits.ToString(), NumberStyles.None, CultureInfo.InvariantCulture);
            if (mantissa.IsZero)
            {
                exponent = 0;
                return true;
            }
            while (mantissa % 10 == 0)
            {
                mantissa /= 10;
                exponent++;
            }
            if (negative)
            {
                mantissa = -mantissa;
            }
            return true;
        }

        private enum CompatKind
        {
            None,
            BigInt,
            Bytes,
            Undefined,
        }

        /// <summary>
        /// At a <c>[</c>: when the array is exactly <c>["$BigInt"|"$Uint8Array"|"$ArrayBuffer"|"$Undefined", v]</c>,
        /// writes the native CBOR value, leaves <paramref name="reader"/> on the <c>]</c> and returns true.
        /// </summary>
        private static bool TryWriteCompat(ref Utf8JsonReader reader, CborWriter cbor)
        {
            var probe = reader;
            if (!probe.Read() || probe.TokenType != JsonTokenType.String)
            {
                return false;
            }
            var kind =
                probe.ValueTextEquals(BigIntTag) ? CompatKind.BigInt
                : probe.ValueTextEquals(Uint8ArrayTag) || probe.ValueTextEquals(ArrayBufferTag) ? CompatKind.Bytes
                : probe.ValueTextEquals(UndefinedTag) ? CompatKind.Undefined
                : CompatKind.None;
            if (kind == CompatKind.None || !probe.Read() || probe.TokenType is JsonTokenType.EndArray)
            {
                return false;
            }
            var payload = probe;
            if (probe.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject)
            {
                probe.Skip();
            }
            if (!probe.Read() || probe.TokenType != JsonTokenType.EndArray)
            {
                return false;
            }

            switch (kind)
            {
                case CompatKind.BigInt:
                    WriteBigInt(ref payload, cbor);
                    break;
                case CompatKind.Bytes:
                    WriteBytes(ref payload, cbor);
                    break;
                default:
                    cbor.WriteSimpleValue(CborSimpleValue.Undefined);
                    break;
            }
            reader = probe;
            return true;
        }

        private static void WriteBigInt(ref Utf8JsonReader payload, CborWriter cbor)
        {
            var offset = (int)payload.TokenStartIndex;
            if (payload.TokenType is not (JsonTokenType.String or JsonTokenType.Number) || payload.ValueSpan.Length > MaxBigIntDigits)
            {
                throw new CborJsonException(offset, "[\"$BigInt\", v] needs a decimal integer string of at most 20000 digits");
            }
            var digits = payload.TokenType == JsonTokenType.String
                ? GetString(ref payload)
                : System.Text.Encoding.ASCII.GetString(payload.ValueSpan);
            if (digits.Length == 0
                || !BigInteger.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                throw new CborJsonException(offset, $"[\"$BigInt\", v] does not hold a decimal integer: \"{Truncate(digits)}\"");
            }
            WriteBigInteger(value, cbor);
        }

        private static string Truncate(string value) => value.Length <= 40 ? value : value[..40] + "…";

        /// <summary>As cbor-x writes a bigint: 8-byte integer when it fits 64 bits, else a bignum tag.</summary>
        internal static void WriteBigInteger(BigInteger value, CborWriter cbor)
        {
            Span<byte> header = stackalloc byte[9];
            if (value.Sign >= 0 && value <= ulong.MaxValue)
            {
                header[0] = 0x1b;
                BinaryPrimitives.WriteUInt64BigEndian(header[1..], (ulong)value);
                cbor.WriteEncodedValue(header);
            }
            else if (value.Sign < 0 && value >= -(BigInteger)ulong.MaxValue - 1)
            {
                header[0] = 0x3b;
                BinaryPrimitives.WriteUInt64BigEndian(header[1..], (ulong)(BigInteger.MinusOne - value));
                cbor.WriteEncodedValue(header);
            }
            else
            {
                var magnitude = value.Sign >= 0 ? value : BigInteger.MinusOne - value;
                cbor.WriteTag(value.Sign >= 0 ? CborTag.UnsignedBigNum : CborTag.NegativeBigNum);
                cbor.WriteByteString(magnitude.ToByteArray(isUnsigned: true, isBigEndian: true));
            }
        }

        private static void WriteBytes(ref Utf8JsonReader payload, CborWriter cbor)
        {
            var offset = (int)payload.TokenStartIndex;
            if (payload.TokenType != JsonTokenType.String)
            {
                throw new CborJsonException(offset, "[\"$Uint8Array\", v] needs a base64 string");
            }
            // Room for the unescaped text plus padding.
            var rented = ArrayPool<byte>.Shared.Rent(payload.ValueSpan.Length + 3);
            try
            {
                var length = CopyString(ref payload, rented);
                var text = rented.AsSpan();
                for (var i = 0; i < length; i++)
                {
                    // Accept the URL-safe alphabet too, as Node's Buffer.from(…, "base64") does.
                    text[i] = text[i] switch
                    {
                        (byte)'-' => (byte)'+',
                        (byte)'_' => (byte)'/',
                        var b => b,
                    };
                }
                while (length % 4 != 0)
                {
                    text[length++] = (byte)'=';
                }
                var status = Base64.DecodeFromUtf8InPlace(text[..length], out var written);
                if (status != OperationStatus.Done)
                {
                    throw new CborJsonException(offset, "[\"$Uint8Array\", v] does not hold valid base64");
                }
                cbor.WriteByteString(text[..written]);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
