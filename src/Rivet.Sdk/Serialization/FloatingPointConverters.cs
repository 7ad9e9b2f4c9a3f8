using System;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rivet.Runtime;

// A whole double, float or decimal beyond 2^53 is written as a plain JSON number, which the JSON → CBOR transcoder
// keeps exact as a 64-bit integer; CBOR → JSON turns such an integer into ["$BigInt","…"] (RivetKit's bigint form).
// These converters read that form back, so stored state and cbor/bare calls holding such a value load again. Writes
// are the built-in converters' own (WriteNumberValue), byte for byte.

internal sealed class DoubleOrBigIntConverter : JsonConverter<double>
{
    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return reader.GetDouble();
        }
        var digits = RivetJsonConverters.ReadTagged(ref reader, RivetJsonConverters.BigIntTag);
        return double.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw BigIntOutOfRange.Create(digits, "double");
    }

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
}

internal sealed class SingleOrBigIntConverter : JsonConverter<float>
{
    public override float Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return reader.GetSingle();
        }
        var digits = RivetJsonConverters.ReadTagged(ref reader, RivetJsonConverters.BigIntTag);
        return float.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && float.IsFinite(value)
            ? value
            : throw BigIntOutOfRange.Create(digits, "float");
    }

    public override void Write(Utf8JsonWriter writer, float value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
}

internal sealed class DecimalOrBigIntConverter : JsonConverter<decimal>
{
    public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return reader.GetDecimal();
        }
        var digits = RivetJsonConverters.ReadTagged(ref reader, RivetJsonConverters.BigIntTag);
        // TryParse is false on overflow as on bad digits.
        return decimal.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw BigIntOutOfRange.Create(digits, "decimal");
    }

    public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
}

internal static class BigIntOutOfRange
{
    private const int MaxShown = 64;

    public static JsonException Create(string digits, string type)
    {
        var shown = digits.Length <= MaxShown ? digits : digits[..MaxShown] + "…";
        return new JsonException($"[\"{RivetJsonConverters.BigIntTag}\",\"{shown}\"] is not an integer a {type} can hold.");
    }
}
