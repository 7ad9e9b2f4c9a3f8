using System;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Rivet.Codecs.Cbor;
using Rivet.Runtime;

namespace Rivet.Sdk.Tests.Codecs;

/// <summary>
/// <see cref="RivetJsonConverters.Double"/>, <see cref="RivetJsonConverters.Single"/> and
/// <see cref="RivetJsonConverters.Decimal"/>: the built-in converters' bytes on output, and on input also the
/// <c>["$BigInt","…"]</c> a whole value beyond 2^53 comes back as after JSON → CBOR → JSON.
/// </summary>
public sealed class FloatingPointBigIntTests
{
    public static TheoryData<double> Doubles => new()
    {
        0.0, -0.0, 0.1, -2.5, 1e16, -1e16, 9007199254740994.0, 9007199254740992.0, 123456789012345680.0, 1e19, 1e21, 1e300,
        double.MaxValue, double.MinValue, double.Epsilon, 1e-300, 4294967296.0,
    };

    public static TheoryData<float> Singles => new() { 0f, -0f, 0.1f, 1e16f, -1e16f, 9007199254740994f, 3.4028235e38f, float.Epsilon, 16777217f };

    public static TheoryData<decimal> Decimals => new()
    {
        0m, 1.10m, -12.5m, 12345678901234567m, 9007199254740994m, -9007199254740994m, 10000000000000000.000m,
        decimal.MaxValue, decimal.MinValue, 0.0000000000000000000000000001m,
    };

    [Theory, MemberData(nameof(Doubles))]
    public void A_double_is_written_as_the_built_in_converter_writes_it_and_reads_back_after_a_cbor_round_trip(double value)
    {
        Assert.Equal(Write(JsonMetadataServices.DoubleConverter, value), Write(RivetJsonConverters.Double, value));
        Assert.Equal(value, ReadAfterCbor(RivetJsonConverters.Double, value));
    }

    [Theory, MemberData(nameof(Singles))]
    public void A_float_is_written_as_the_built_in_converter_writes_it_and_reads_back_after_a_cbor_round_trip(float value)
    {
        Assert.Equal(Write(JsonMetadataServices.SingleConverter, value), Write(RivetJsonConverters.Single, value));
        Assert.Equal(value, ReadAfterCbor(RivetJsonConverters.Single, value));
    }

    [Theory, MemberData(nameof(Decimals))]
    public void A_decimal_is_written_as_the_built_in_converter_writes_it_and_reads_back_after_a_cbor_round_trip(decimal value)
    {
        Assert.Equal(Write(JsonMetadataServices.DecimalConverter, value), Write(RivetJsonConverters.Decimal, value));
        Assert.Equal(value, ReadAfterCbor(RivetJsonConverters.Decimal, value));
    }

    [Fact]
    public void The_bigint_form_is_what_a_whole_value_beyond_two_to_the_53_comes_back_as()
    {
        // The case the converters exist for: without them these could not be read into a double again.
        var json = Encoding.UTF8.GetString(CborJson.CborToJson(CborJson.JsonToCbor(Write(RivetJsonConverters.Double, 9007199254740994.0))));
        Assert.Equal("[\"$BigInt\",\"9007199254740994\"]", json);
        Assert.Equal(9007199254740994.0, Read(RivetJsonConverters.Double, json));
        Assert.Equal(-1e16, Read(RivetJsonConverters.Double, "[\"$BigInt\",\"-10000000000000000\"]"));
        Assert.Equal(1e16f, Read(RivetJsonConverters.Single, "[\"$BigInt\",\"10000000000000000\"]"));
        Assert.Equal(12345678901234567m, Read(RivetJsonConverters.Decimal, "[\"$BigInt\",\"12345678901234567\"]"));
    }

    [Fact]
    public void A_bigint_between_two_doubles_reads_as_the_nearest_one()
    {
        Assert.Equal(9007199254740992.0, Read(RivetJsonConverters.Double, "[\"$BigInt\",\"9007199254740993\"]"));
    }

    [Fact]
    public void A_bigint_out_of_the_range_of_the_type_is_refused_naming_the_value()
    {
        var tooBigForDouble = "1" + new string('0', 309);
        var error = Assert.Throws<JsonException>(() => Read(RivetJsonConverters.Double, $"[\"$BigInt\",\"{tooBigForDouble}\"]"));
        Assert.Contains("[\"$BigInt\",\"1000000000", error.Message, StringComparison.Ordinal);
        Assert.Contains("double", error.Message, StringComparison.Ordinal);

        error = Assert.Throws<JsonException>(() => Read(RivetJsonConverters.Single, "[\"$BigInt\",\"1000000000000000000000000000000000000000\"]"));
        Assert.Contains("[\"$BigInt\",\"1000000000000000000000000000000000000000\"]", error.Message, StringComparison.Ordinal);
        Assert.Contains("float", error.Message, StringComparison.Ordinal);

        error = Assert.Throws<JsonException>(() => Read(RivetJsonConverters.Decimal, "[\"$BigInt\",\"-79228162514264337593543950336\"]"));
        Assert.Contains("[\"$BigInt\",\"-79228162514264337593543950336\"]", error.Message, StringComparison.Ordinal);
        Assert.Contains("decimal", error.Message, StringComparison.Ordinal);

        error = Assert.Throws<JsonException>(() => Read(RivetJsonConverters.Double, "[\"$BigInt\",\"1.5\"]"));
        Assert.Contains("\"1.5\"", error.Message, StringComparison.Ordinal);
        Assert.Throws<JsonException>(() => Read(RivetJsonConverters.Double, "[\"$Uint8Array\",\"AA==\"]"));
        Assert.Throws<JsonException>(() => Read(RivetJsonConverters.Double, "\"12\""));
    }

    private static byte[] Write<T>(JsonConverter<T> converter, T value)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            converter.Write(writer, value, JsonSerializerOptions.Default);
        }
        return stream.ToArray();
    }

    private static T Read<T>(JsonConverter<T> converter, string json) => Read(converter, Encoding.UTF8.GetBytes(json));

    private static T Read<T>(JsonConverter<T> converter, byte[] json)
    {
        var reader = new Utf8JsonReader(json);
        reader.Read();
        return converter.Read(ref reader, typeof(T), JsonSerializerOptions.Default)!;
    }

    private static T ReadAfterCbor<T>(JsonConverter<T> converter, T value) =>
        Read(converter, CborJson.CborToJson(CborJson.JsonToCbor(Write(converter, value))));
}
