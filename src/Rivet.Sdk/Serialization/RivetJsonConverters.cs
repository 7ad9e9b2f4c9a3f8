using System;
using System.ComponentModel;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rivet.Runtime;

/// <summary>
/// Converters for the values whose JSON form follows RivetKit's "JSON compat" convention, so TypeScript clients
/// get a <c>Uint8Array</c> or a <c>bigint</c> back. Generated resolvers use them for <c>byte[]</c>,
/// <c>ReadOnlyMemory&lt;byte&gt;</c>, <c>Memory&lt;byte&gt;</c>,
/// <see cref="BigInteger"/>, <see cref="Int128"/> and <see cref="UInt128"/>; 64-bit integers and floating-point
/// numbers are written as plain numbers but also accept the <c>["$BigInt","…"]</c> form on input.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class RivetJsonConverters
{
    /// <summary><c>byte[]</c> as <c>["$Uint8Array","base64"]</c>; a plain base64 string is accepted on input.</summary>
    public static JsonConverter<byte[]> ByteArray { get; } = new ByteArrayConverter();

    /// <summary><see cref="ReadOnlyMemory{T}">ReadOnlyMemory&lt;byte&gt;</see> like <see cref="ByteArray"/>: <c>["$Uint8Array","base64"]</c>; JSON null reads as empty.</summary>
    public static JsonConverter<ReadOnlyMemory<byte>> ReadOnlyMemoryOfByte { get; } = new ReadOnlyMemoryOfByteConverter();

    /// <summary><see cref="Memory{T}">Memory&lt;byte&gt;</see> like <see cref="ByteArray"/>: <c>["$Uint8Array","base64"]</c>; JSON null reads as empty.</summary>
    public static JsonConverter<Memory<byte>> MemoryOfByte { get; } = new MemoryOfByteConverter();

    /// <summary><see cref="BigInteger"/> as <c>["$BigInt","123"]</c>; a plain number is accepted on input.</summary>
    public static JsonConverter<BigInteger> BigInteger { get; } = new BigIntegerConverter();

    /// <summary><see cref="Int128"/> as <c>["$BigInt","123"]</c>.</summary>
    public static JsonConverter<Int128> Int128 { get; } = new BigLikeConverter<Int128>(static s => System.Int128.Parse(s, CultureInfo.InvariantCulture), static v => v.ToString(CultureInfo.InvariantCulture));

    /// <summary><see cref="UInt128"/> as <c>["$BigInt","123"]</c>.</summary>
    public static JsonConverter<UInt128> UInt128 { get; } = new BigLikeConverter<UInt128>(static s => System.UInt128.Parse(s, CultureInfo.InvariantCulture), static v => v.ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// <see cref="long"/> as a number while a JavaScript number holds it exactly (|v| ≤ 2^53 − 1), else as
    /// <c>["$BigInt","…"]</c> so JavaScript clients get an exact bigint; both forms are accepted on input.
    /// </summary>
    public static JsonConverter<long> Int64 { get; } = new NumberOrBigIntConverter<long>(
        static (ref Utf8JsonReader r) => r.GetInt64(),
        static s => long.Parse(s, CultureInfo.InvariantCulture),
        static (w, v) =>
        {
            if (v is >= -MaxSafeInteger and <= MaxSafeInteger)
            {
                w.WriteNumberValue(v);
            }
            else
            {
                WriteTagged(w, BigIntTag, v.ToString(CultureInfo.InvariantCulture));
            }
        });

    /// <summary><see cref="ulong"/> like <see cref="Int64"/>: a number up to 2^53 − 1, else <c>["$BigInt","…"]</c>.</summary>
    public static JsonConverter<ulong> UInt64 { get; } = new NumberOrBigIntConverter<ulong>(
        static (ref Utf8JsonReader r) => r.GetUInt64(),
        static s => ulong.Parse(s, CultureInfo.InvariantCulture),
        static (w, v) =>
        {
            if (v <= MaxSafeInteger)
            {
                w.WriteNumberValue(v);
            }
            else
            {
                WriteTagged(w, BigIntTag, v.ToString(CultureInfo.InvariantCulture));
            }
        });

    /// <summary>
    /// <see cref="double"/> written exactly as System.Text.Json writes it; on input a number or
    /// <c>["$BigInt","…"]</c>, the form a whole double beyond 2^53 comes back in after a CBOR round trip (stored state,
    /// cbor and bare calls).
    /// </summary>
    public static JsonConverter<double> Double { get; } = new NumberOrBigIntConverter<double>(
        static (ref Utf8JsonReader r) => r.GetDouble(),
        static s => ParseWhole<double>(s, "double", static v => double.IsFinite(v)),
        static (w, v) => w.WriteNumberValue(v));

    /// <summary><see cref="float"/> like <see cref="Double"/>: written as System.Text.Json does, a number or <c>["$BigInt","…"]</c> read.</summary>
    public static JsonConverter<float> Single { get; } = new NumberOrBigIntConverter<float>(
        static (ref Utf8JsonReader r) => r.GetSingle(),
        static s => ParseWhole<float>(s, "float", static v => float.IsFinite(v)),
        static (w, v) => w.WriteNumberValue(v));

    /// <summary><see cref="decimal"/> like <see cref="Double"/>: written as System.Text.Json does, a number or <c>["$BigInt","…"]</c> read.</summary>
    public static JsonConverter<decimal> Decimal { get; } = new NumberOrBigIntConverter<decimal>(
        static (ref Utf8JsonReader r) => r.GetDecimal(),
        // TryParse is false on overflow as on bad digits.
        static s => ParseWhole<decimal>(s, "decimal", static _ => true),
        static (w, v) => w.WriteNumberValue(v));

    /// <summary>
    /// An enum as its member names, read from names or numbers (<c>JsonStringEnumConverter&lt;T&gt;</c>), refusing
    /// values the enum does not define unless it is <see cref="FlagsAttribute">[Flags]</see>: actors may trust an
    /// enum argument's range. Writing refuses them too, so an undefined value is never persisted where it could no
    /// longer be read.
    /// </summary>
    public static JsonConverter<T> Enum<T>(JsonSerializerOptions options)
        where T : struct, Enum
    {
        var inner = (JsonConverter<T>)new JsonStringEnumConverter<T>().CreateConverter(typeof(T), options)!;
        return typeof(T).IsDefined(typeof(FlagsAttribute), inherit: false) ? inner : new DefinedEnumConverter<T>(inner);
    }

    /// <summary>
    /// The converter a type-level <c>[JsonConverter(typeof(SomeFactory))]</c> declares for <typeparamref name="T"/>:
    /// the factory's converter, as System.Text.Json would create it. Used by generated code.
    /// </summary>
    /// <param name="factory">The factory named by the attribute.</param>
    /// <param name="options">The options the converter is created for.</param>
    /// <exception cref="InvalidOperationException">The factory returns no <see cref="JsonConverter{T}"/> for <typeparamref name="T"/>.</exception>
    public static JsonConverter<T> FromFactory<T>(JsonConverterFactory factory, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return factory.CreateConverter(typeof(T), options) as JsonConverter<T>
            ?? throw new InvalidOperationException($"The converter factory '{factory.GetType()}' declared by [JsonConverter] on '{typeof(T)}' returned no JsonConverter<{typeof(T).Name}> for it.");
    }

    /// <summary>2^53 − 1: the largest integer a JavaScript number holds exactly.</summary>
    private const long MaxSafeInteger = 9007199254740991;

    internal const string BigIntTag = "$BigInt";
    internal const string Uint8ArrayTag = "$Uint8Array";
    internal const string ArrayBufferTag = "$ArrayBuffer";

    /// <summary>Reads <c>["$Tag", payload]</c> and returns the payload string, checking the tag.</summary>
    private static string ReadTagged(ref Utf8JsonReader reader, string tag, string alternateTag = "")
    {
        if (reader.TokenType != JsonTokenType.StartArray || !reader.Read() || reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"Expected [\"{tag}\", value].");
        }
        var actual = reader.GetString();
        if (actual != tag && actual != alternateTag)
        {
            throw new JsonException($"Expected the tag \"{tag}\", got \"{actual}\".");
        }
        if (!reader.Read() || reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"Expected a string after \"{tag}\".");
        }
        var payload = reader.GetString()!;
        if (!reader.Read() || reader.TokenType != JsonTokenType.EndArray)
        {
            throw new JsonException($"Expected [\"{tag}\", value] to have two elements.");
        }
        return payload;
    }

    private static void WriteTagged(Utf8JsonWriter writer, string tag, string payload)
    {
        writer.WriteStartArray();
        writer.WriteStringValue(tag);
        writer.WriteStringValue(payload);
        writer.WriteEndArray();
    }

    private sealed class ByteArrayConverter : JsonConverter<byte[]>
    {
        public override byte[]? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType switch
            {
                JsonTokenType.Null => null,
                JsonTokenType.String => reader.GetBytesFromBase64(),
                _ => Convert.FromBase64String(ReadTagged(ref reader, Uint8ArrayTag, ArrayBufferTag)),
            };

        public override void Write(Utf8JsonWriter writer, byte[] value, JsonSerializerOptions options) =>
            WriteBytes(writer, value);
    }

    /// <summary>Base64 of the bytes without copying them into an array first.</summary>
    private static void WriteBytes(Utf8JsonWriter writer, ReadOnlySpan<byte> value)
    {
        writer.WriteStartArray();
        writer.WriteStringValue(Uint8ArrayTag);
        writer.WriteBase64StringValue(value);
        writer.WriteEndArray();
    }

    private sealed class ReadOnlyMemoryOfByteConverter : JsonConverter<ReadOnlyMemory<byte>>
    {
        public override ReadOnlyMemory<byte> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            ByteArray.Read(ref reader, typeof(byte[]), options) ?? ReadOnlyMemory<byte>.Empty;

        public override void Write(Utf8JsonWriter writer, ReadOnlyMemory<byte> value, JsonSerializerOptions options) => WriteBytes(writer, value.Span);
    }

    private sealed class MemoryOfByteConverter : JsonConverter<Memory<byte>>
    {
        public override Memory<byte> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            ByteArray.Read(ref reader, typeof(byte[]), options) ?? Memory<byte>.Empty;

        public override void Write(Utf8JsonWriter writer, Memory<byte> value, JsonSerializerOptions options) => WriteBytes(writer, value.Span);
    }

    private sealed class BigIntegerConverter : JsonConverter<BigInteger>
    {
        public override BigInteger Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.Number)
            {
                var raw = System.Text.Encoding.UTF8.GetString(reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan);
                return System.Numerics.BigInteger.Parse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture);
            }
            return System.Numerics.BigInteger.Parse(ReadTagged(ref reader, BigIntTag), NumberStyles.Integer, CultureInfo.InvariantCulture);
        }

        public override void Write(Utf8JsonWriter writer, BigInteger value, JsonSerializerOptions options) =>
            WriteTagged(writer, BigIntTag, value.ToString(CultureInfo.InvariantCulture));
    }

    private sealed class BigLikeConverter<T>(Func<string, T> parse, Func<T, string> format) : JsonConverter<T>
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.Number)
            {
                return parse(System.Text.Encoding.UTF8.GetString(reader.ValueSpan));
            }
            return parse(ReadTagged(ref reader, BigIntTag));
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            WriteTagged(writer, BigIntTag, format(value));
    }

    private sealed class DefinedEnumConverter<T>(JsonConverter<T> inner) : JsonConverter<T>
        where T : struct, Enum
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            Defined(inner.Read(ref reader, typeToConvert, options));

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            inner.Write(writer, Defined(value), options);

        public override T ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            Defined(inner.ReadAsPropertyName(ref reader, typeToConvert, options));

        public override void WriteAsPropertyName(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            inner.WriteAsPropertyName(writer, Defined(value), options);

        private static T Defined(T value) => System.Enum.IsDefined(value)
            ? value
            : throw new JsonException($"{value} is not a defined value of the enum {typeof(T).Name}.");
    }

    private delegate T NumberReader<T>(ref Utf8JsonReader reader);

    /// <summary>
    /// The digits of a <c>["$BigInt","N"]</c> as a <typeparamref name="T"/> (the nearest one for a floating-point type):
    /// a whole number beyond 2^53 comes back in that form after a CBOR round trip.
    /// </summary>
    private static T ParseWhole<T>(string digits, string type, Func<T, bool> holds)
        where T : INumberBase<T>
    {
        if (T.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && holds(value))
        {
            return value;
        }
        const int maxShown = 64;
        var shown = digits.Length <= maxShown ? digits : digits[..maxShown] + "…";
        throw new JsonException($"[\"{BigIntTag}\",\"{shown}\"] is not an integer a {type} can hold.");
    }

    private sealed class NumberOrBigIntConverter<T>(NumberReader<T> readNumber, Func<string, T> parse, Action<Utf8JsonWriter, T> write) : JsonConverter<T>
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Number ? readNumber(ref reader) : parse(ReadTagged(ref reader, BigIntTag));

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => write(writer, value);
    }
}
