using System;
using System.Text;
using Rivet.Codecs.Cbor;

namespace Rivet.Sdk.Tests.Codecs;

/// <summary>Numbers keep their exact value through JSON → CBOR → JSON (actor state and .NET-to-.NET calls rely on it).</summary>
public sealed class NumberPrecisionTests
{
    [Theory]
    [InlineData("3")]
    [InlineData("-4294967296")]
    [InlineData("4294967296")]
    [InlineData("9007199254740991")]
    [InlineData("0.1")]
    [InlineData("-2.5")]
    [InlineData("1.7976931348623157E+308")]
    public void Numbers_a_double_holds_exactly_stay_numbers(string json)
    {
        var back = Encoding.UTF8.GetString(CborJson.CborToJson(CborJson.JsonToCbor(Encoding.UTF8.GetBytes(json))));
        Assert.Equal(double.Parse(json, System.Globalization.CultureInfo.InvariantCulture), double.Parse(back, System.Globalization.CultureInfo.InvariantCulture));
        Assert.DoesNotContain("$BigInt", back);
    }

    [Theory]
    [InlineData("9007199254740993", "[\"$BigInt\",\"9007199254740993\"]")]
    [InlineData("9223372036854775807", "[\"$BigInt\",\"9223372036854775807\"]")]
    [InlineData("-9223372036854775808", "[\"$BigInt\",\"-9223372036854775808\"]")]
    [InlineData("18446744073709551615", "[\"$BigInt\",\"18446744073709551615\"]")]
    public void Integers_beyond_two_to_the_53_stay_exact_as_bigints(string json, string expected)
    {
        Assert.Equal(expected, Encoding.UTF8.GetString(CborJson.CborToJson(CborJson.JsonToCbor(Encoding.UTF8.GetBytes(json)))));
    }

    [Theory]
    [InlineData("79228162514264337593543950335.5", "79228162514264337593543950335.5")]
    [InlineData("0.12345678901234567890123", "0.12345678901234567890123")]
    [InlineData("-1.000000000000000000001", "-1.000000000000000000001")]
    [InlineData("123456789012345678901234567890", "123456789012345678901234567890")]
    [InlineData("1e400", "1E400")]
    public void Decimals_with_more_digits_than_a_double_keep_every_digit(string json, string expected)
    {
        Assert.Equal(expected, Encoding.UTF8.GetString(CborJson.CborToJson(CborJson.JsonToCbor(Encoding.UTF8.GetBytes(json)))));
    }

    [Fact]
    public void A_decimal_fraction_is_written_as_tag_4()
    {
        var cbor = CborJson.JsonToCbor(Encoding.UTF8.GetBytes("1.00000000000000000001"));
        Assert.Equal(0xC4, cbor[0]);
    }
}
