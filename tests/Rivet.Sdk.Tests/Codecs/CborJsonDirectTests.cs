using System;
using System.Buffers;
using System.Globalization;
using System.Linq;
using System.Text;
using Rivet.Codecs.Cbor;

namespace Rivet.Sdk.Tests.Codecs;

/// <summary>
/// The fast JSON → CBOR path (<see cref="DirectJsonToCbor"/>) writes exactly the bytes of the reference transcoder
/// (through <c>System.Formats.Cbor.CborWriter</c>) that wrote every stored state until now, and hands what it does not
/// cover to the reference, errors included.
/// </summary>
public sealed class CborJsonDirectTests
{
    public static TheoryData<string> Covered => new()
    {
        "0", "23", "24", "255", "256", "65535", "65536", "4294967295", "-1", "-24", "-25", "-256", "-257", "-4294967296",
        "-0", "1.5", "0.1", "-0.5", "65504", "65504.5", "100000", "1E-07", "5E-324", "1.7976931348623157E+308",
        "3.4028234663852886E+38", "1.401298464324817E-45", "6.103515625E-05", "5.960464477539063E-08", "0.333",
        "4294967296", "9007199254740991", "-4294967297", "12345.678", "2.5E+20",
        "1e-7", "1.0", "1E+2", "0.10", "-0.0", "123.4560e-3", "9.99", "0.30000000000000004",
        "true", "false", "null", "\"\"", "\"plain\"",
        "\"quote \\\" backslash \\\\ slash \\/ tab \\t nl \\n\"",
        "\"\\u00e9t\\u00e9 \\u003Cscript\\u003E \\u0026 \\u002B\"",
        "\"\\ud83d\\ude00 and raw é and 😀\"",
        "{}", "[]", "[[]]", "{\"a\":{}}",
        """{"count":12345,"name":"Ada","tags":["x","y"],"nested":{"list":[{"id":1,"on":true},{"id":2,"on":false}],"none":null}}""",
        """[1,-1,1.5,"s",null,true,{"k":[{}]}]""",
        """{"$BigInt":"not a compat array: an object key"}""",
        """["$Set",[1,2]]""",
        """["$$BigInt","escaped"]""",
        """["BigInt","1"]""",
    };

    /// <summary>Numbers the fast path hands to the reference (not an integer in 32 bits nor a double in its shortest
    /// spelling), compat arrays, and malformed input.</summary>
    public static TheoryData<string> HandedOn => new()
    {
        "9007199254740993", "12345678901234567890", "18446744073709551615", "18446744073709551616", "-9223372036854775809", "1e-400", "4e-324", "0e5", "0e99999999999999999999", "0." + new string('0', 20001) + "1e20005", "1.7976931348623157e308", "2.5e-320", "0.30000000000000001", "1.00000000000000001",
        "123456789012345678901234567890.5", "1e400",
        """["$BigInt","123"]""", """["$Uint8Array","AAEC"]""", """["$ArrayBuffer","AAEC"]""", """["$Undefined",0]""",
        """{"k":["$Uint8Array","AAEC"]}""",
        "", "{", "[1,]", "{\"a\":1}x", "01", "\"\\ud800\"", "nul", "{\"a\" 1}", "// c\n1",
    };

    [Theory]
    [MemberData(nameof(Covered))]
    public void Covered_values_take_the_fast_path_and_give_the_reference_bytes(string json)
    {
        var utf8 = Encoding.UTF8.GetBytes(json);
        var direct = new ArrayBufferWriter<byte>();
        Assert.True(DirectJsonToCbor.TryWrite(utf8, direct, keepCompatArrays: false, CborJson.DefaultMaxDepth), $"the fast path refused {json}");
        Assert.Equal(Hex(CborJson.ReferenceJsonToCbor(utf8, keepCompatArrays: false)), Hex(direct.WrittenSpan));
        Assert.Equal(Hex(CborJson.ReferenceJsonToCbor(utf8, keepCompatArrays: true)), Hex(CborJson.JsonToCborCompat(utf8)));
    }

    [Theory]
    [MemberData(nameof(HandedOn))]
    public void Other_input_goes_to_the_reference_with_the_same_bytes_or_the_same_error(string json)
    {
        var utf8 = Encoding.UTF8.GetBytes(json);
        Assert.False(DirectJsonToCbor.TryWrite(utf8, new ArrayBufferWriter<byte>(), keepCompatArrays: false, CborJson.DefaultMaxDepth));
        string Outcome(Func<byte[]> encode)
        {
            try
            {
                return Hex(encode());
            }
            catch (CborJsonException ex)
            {
                return "error: " + ex.Message;
            }
        }
        Assert.Equal(Outcome(() => CborJson.ReferenceJsonToCbor(utf8, keepCompatArrays: false)), Outcome(() => CborJson.JsonToCbor(utf8)));
    }

    [Fact]
    public void Invalid_utf8_inside_a_string_is_handed_to_the_reference()
    {
        byte[] json = [(byte)'"', 0xC3, 0x28, (byte)'"'];
        Assert.False(DirectJsonToCbor.TryWrite(json, new ArrayBufferWriter<byte>(), keepCompatArrays: false, CborJson.DefaultMaxDepth));
        Assert.Throws<CborJsonException>(() => CborJson.JsonToCbor(json));
    }

    [Fact]
    public void Nesting_past_the_limit_is_refused_as_before()
    {
        var json = Encoding.UTF8.GetBytes(new string('[', 5) + new string(']', 5));
        Assert.False(DirectJsonToCbor.TryWrite(json, new ArrayBufferWriter<byte>(), keepCompatArrays: false, maxDepth: 4));
        Assert.Throws<CborJsonException>(() => CborJson.JsonToCbor(json, maxDepth: 4));
        Assert.Equal(Hex(CborJson.ReferenceJsonToCbor(json, keepCompatArrays: false, maxDepth: 5)), Hex(CborJson.JsonToCbor(json, maxDepth: 5)));
    }

    [Theory]
    [InlineData(23)]
    [InlineData(24)]
    [InlineData(255)]
    [InlineData(256)]
    [InlineData(65536)]
    public void Long_strings_arrays_and_maps_get_the_reference_headers(int size)
    {
        var text = "\"" + new string('a', size) + "\"";
        var escaped = "\"" + string.Concat(Enumerable.Repeat("\\u00e9", size)) + "\"";
        var array = "[" + string.Join(',', Enumerable.Range(0, size)) + "]";
        var map = "{" + string.Join(',', Enumerable.Range(0, size).Select(i => $"\"k{i}\":[{i},{{}}]")) + "}";
        foreach (var json in new[] { text, escaped, array, map, "[" + map + "," + array + "]" })
        {
            AssertSame(json);
        }
    }

    [Fact]
    public void Random_documents_and_doubles_give_the_reference_bytes()
    {
        var random = new Random(17);
        for (var i = 0; i < 300; i++)
        {
            var json = new StringBuilder();
            WriteRandom(json, random, depth: 0);
            AssertSame(json.ToString());
        }
        for (var i = 0; i < 2000; i++)
        {
            // Any finite double, and values near the half and single ranges, as System.Text.Json writes them.
            var value = (i % 3) switch
            {
                0 => BitConverter.Int64BitsToDouble(random.NextInt64()),
                1 => (double)(float)(random.NextDouble() * Math.Pow(2, random.Next(-30, 30))),
                _ => (double)(Half)(random.NextDouble() * Math.Pow(2, random.Next(-26, 17))),
            };
            if (double.IsFinite(value))
            {
                // An integer spelled without fraction or exponent past 2^53 is a bigint for the reference: handed on.
                var text = value.ToString("R", CultureInfo.InvariantCulture);
                AssertSame(text, requireFastPath: text.AsSpan().IndexOfAny('.', 'E') >= 0 || Math.Abs(value) <= 9007199254740991);
            }
        }
    }

    private static void WriteRandom(StringBuilder json, Random random, int depth)
    {
        switch (random.Next(depth > 2 ? 4 : 7))
        {
            case 0:
                json.Append(random.Next(-70000, 70000).ToString(CultureInfo.InvariantCulture));
                break;
            case 1:
                json.Append((random.NextDouble() * 1000 - 500).ToString("R", CultureInfo.InvariantCulture));
                break;
            case 2:
                json.Append('"').Append(new[] { "", "x", "naïve", "\\\"q\\\"", "\\u00e9\\n", "😀", new string('z', 30) }[random.Next(7)]).Append('"');
                break;
            case 3:
                json.Append(new[] { "true", "false", "null" }[random.Next(3)]);
                break;
            case 4:
            case 5:
            {
                json.Append('[');
                var count = random.Next(0, 12);
                for (var i = 0; i < count; i++)
                {
                    json.Append(i == 0 ? "" : ",");
                    WriteRandom(json, random, depth + 1);
                }
                json.Append(']');
                break;
            }
            default:
            {
                json.Append('{');
                var count = random.Next(0, 12);
                for (var i = 0; i < count; i++)
                {
                    json.Append(i == 0 ? "" : ",").Append("\"p").Append(i).Append("\":");
                    WriteRandom(json, random, depth + 1);
                }
                json.Append('}');
                break;
            }
        }
    }

    private static void AssertSame(string json, bool requireFastPath = true)
    {
        var utf8 = Encoding.UTF8.GetBytes(json);
        Assert.Equal(requireFastPath, DirectJsonToCbor.TryWrite(utf8, new ArrayBufferWriter<byte>(), keepCompatArrays: false, CborJson.DefaultMaxDepth));
        Assert.Equal(Hex(CborJson.ReferenceJsonToCbor(utf8, keepCompatArrays: false)), Hex(CborJson.JsonToCbor(utf8)));
    }

    private static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes);
}
