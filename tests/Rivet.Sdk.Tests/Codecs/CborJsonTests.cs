using System;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rivet.Codecs.Cbor;

namespace Rivet.Sdk.Tests.Codecs;

public sealed class CborJsonTests
{
    private static string ToJson(string cborHex) => System.Text.Encoding.UTF8.GetString(CborJson.CborToJson(Convert.FromHexString(cborHex)));

    private static string ToCborHex(string json) => Convert.ToHexString(CborJson.JsonToCbor(System.Text.Encoding.UTF8.GetBytes(json))).ToLowerInvariant();

    [Theory]
    // integers: inline, 1-, 2-, 4-byte arguments are numbers
    [InlineData("00", "0")]
    [InlineData("17", "23")]
    [InlineData("1818", "24")]
    [InlineData("1903e8", "1000")]
    [InlineData("1a000f4240", "1000000")]
    [InlineData("1affffffff", "4294967295")]
    [InlineData("20", "-1")]
    [InlineData("3863", "-100")]
    [InlineData("3affffffff", "-4294967296")]
    // 8-byte integers are bigints in cbor-x, whatever their value; bignum tags too
    [InlineData("1b0000000000000000", """["$BigInt","0"]""")]
    [InlineData("1b0000000000000005", """["$BigInt","5"]""")]
    [InlineData("1bffffffffffffffff", """["$BigInt","18446744073709551615"]""")]
    [InlineData("3b0000000000000002", """["$BigInt","-3"]""")]
    [InlineData("3bffffffffffffffff", """["$BigInt","-18446744073709551616"]""")]
    [InlineData("c249010000000000000000", """["$BigInt","18446744073709551616"]""")]
    [InlineData("c349010000000000000000", """["$BigInt","-18446744073709551617"]""")]
    // floats: shortest exact float
    [InlineData("f93e00", "1.5")]
    [InlineData("f93800", "0.5")]
    [InlineData("fb3fb999999999999a", "0.1")]
    // simple values
    [InlineData("f4", "false")]
    [InlineData("f5", "true")]
    [InlineData("f6", "null")]
    [InlineData("f7", """["$Undefined",0]""")]
    // strings
    [InlineData("43010203", """["$Uint8Array","AQID"]""")]
    [InlineData("40", """["$Uint8Array",""]""")]
    [InlineData("6568656c6c6f", "\"hello\"")]
    [InlineData("62c3a9", "\"é\"")]
    [InlineData("60", "\"\"")]
    // containers; compat arrays already in the CBOR are the JSON form and stay as they are
    [InlineData("80", "[]")]
    [InlineData("a0", "{}")]
    [InlineData("a2616101616282f5f6", """{"a":1,"b":[true,null]}""")]
    [InlineData("a26162016161 02", """{"b":1,"a":2}""")]
    [InlineData("82622478 01", """["$x",1]""")]
    [InlineData("8263242478 01", """["$$x",1]""")]
    [InlineData("8264245365748201 02", """["$Set",[1,2]]""")]
    [InlineData("82672442696749 6e7461 31", """["$BigInt","1"]""")]
    public void Canonical_cbor_and_json_compat_map_to_each_other_byte_exactly(string cborHex, string json)
    {
        cborHex = cborHex.Replace(" ", "", StringComparison.Ordinal);
        Assert.Equal(json, ToJson(cborHex));
        if (json == """["$BigInt","1"]""")
        {
            // The compat form of a bigint comes back as a native 8-byte integer (what cbor-x writes for a bigint).
            Assert.Equal("1b0000000000000001", ToCborHex(json));
            return;
        }
        Assert.Equal(cborHex, ToCborHex(json));
    }

    [Theory]
    // non-preferred headers, as the TypeScript client sends them
    [InlineData("b90001616101", """{"a":1}""", "a1616101")]
    [InlineData("1800", "0", "00")]
    [InlineData("190001", "1", "01")]
    [InlineData("1a00000018", "24", "1818")]
    [InlineData("990002 01 02", "[1,2]", "820102")]
    // indefinite lengths
    [InlineData("9f0102ff", "[1,2]", "820102")]
    [InlineData("bf616101ff", """{"a":1}""", "a1616101")]
    [InlineData("5f420102 4103ff", """["$Uint8Array","AQID"]""", "43010203")]
    [InlineData("7f626865 636c6c6f ff", "\"hello\"", "6568656c6c6f")]
    [InlineData("5fff", """["$Uint8Array",""]""", "40")]
    // floats that hold integers, and longer floats than needed
    [InlineData("fb3ff8000000000000", "1.5", "f93e00")]
    [InlineData("fa47c35000", "100000", "1a000186a0")]
    [InlineData("f93c00", "1", "01")]
    [InlineData("fb4202a05f20000000", "10000000000", "fa501502f9")]
    [InlineData("f98000", "0", "00")]
    [InlineData("f97c00", "null", "f6")]
    [InlineData("f97e00", "null", "f6")]
    // tags
    [InlineData("d9d9f701", "1", "01")]
    [InlineData("c11a5f5e1000", "\"2020-09-13T12:26:40.000Z\"", "7818323032302d30392d31335431323a32363a34302e3030305a")]
    [InlineData("c1fb41d7d78400100000", "\"2020-09-13T12:26:40.250Z\"", "7818323032302d30392d31335431323a32363a34302e3235305a")]
    [InlineData("c074323031332d30332d32315432303a30343a30305a", "\"2013-03-21T20:04:00.000Z\"", "7818323031332d30332d32315432303a30343a30302e3030305a")]
    [InlineData("d90102820102", """["$Set",[1,2]]""", "8264245365748201 02")]
    [InlineData("c2420100", "[\"$BigInt\",\"256\"]", "1b0000000000000100")]
    [InlineData("d82043010203", """["$Uint8Array","AQID"]""", "43010203")]
    public void Any_valid_cbor_is_accepted_and_comes_back_in_preferred_form(string inputHex, string json, string canonicalHex)
    {
        Assert.Equal(json, ToJson(inputHex.Replace(" ", "", StringComparison.Ordinal)));
        Assert.Equal(canonicalHex.Replace(" ", "", StringComparison.Ordinal), ToCborHex(json));
    }

    [Theory]
    [InlineData("3.0", "03")]
    [InlineData("-0", "00")]
    [InlineData("-0.0", "00")]
    [InlineData("1e2", "1864")]
    [InlineData("-4294967296", "3affffffff")]
    [InlineData("4294967296", "fa4f800000")]
    [InlineData("-4294967297", "fbc1f0000000100000")]
    [InlineData("0.1", "fb3fb999999999999a")]
    [InlineData("""["$ArrayBuffer","AQID"]""", "43010203")]
    [InlineData("""["$Uint8Array","AQ"]""", "4101")]
    [InlineData("""["$Uint8Array","-_8="]""", "42fbff")]
    [InlineData("""["$Undefined",0]""", "f7")]
    [InlineData("""["$Undefined",{"x":[1]}]""", "f7")]
    [InlineData("""["$BigInt",-3]""", "3b0000000000000002")]
    [InlineData("""["$BigInt","-18446744073709551616"]""", "3bffffffffffffffff")]
    [InlineData("""["$BigInt","18446744073709551616"]""", "c249010000000000000000")]
    [InlineData("""["$BigInt","1",2]""", "8367244269674 96e74613102")]
    [InlineData("""["$BigInt"]""", "8167244269674 96e74")]
    [InlineData("""["\u0024BigInt","7"]""", "1b0000000000000007")]
    [InlineData("""{"k\u00e9y":"v\n"}""", "a1646bc3a979 62760a")]
    [InlineData("  [ 1 , 2 ]  ", "820102")]
    public void Json_numbers_and_compat_arrays_become_the_cbor_rivetkit_writes(string json, string cborHex)
    {
        Assert.Equal(cborHex.Replace(" ", "", StringComparison.Ordinal), ToCborHex(json));
    }

    [Fact]
    public void Cbor_examples_from_the_typescript_client_decode_to_the_json_a_json_client_sends()
    {
        var examples = ProtocolVectors.Main.GetProperty("client_protocol_cbor_examples").EnumerateArray().ToList();
        Assert.Equal(3, examples.Count);
        foreach (var example in examples)
        {
            var json = ToJson(example.GetProperty("hex").GetString()!);
            var expected = CompatJson(example.GetProperty("decoded_check"));
            Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(json)), $"{example.GetProperty("what")}: {json}");
        }
    }

    [Fact]
    public void Cbor_examples_reencode_canonically_keeping_the_eight_byte_id()
    {
        var examples = ProtocolVectors.Main.GetProperty("client_protocol_cbor_examples").EnumerateArray()
            .Select(e => e.GetProperty("hex").GetString()!).ToList();
        string[] canonical =
        [
            "a164617267738103",
            "a1666f757470757411",
            examples[2].Replace("b90001", "a1", StringComparison.Ordinal).Replace("b90002", "a2", StringComparison.Ordinal).Replace("b90003", "a3", StringComparison.Ordinal),
        ];
        for (var i = 0; i < examples.Count; i++)
        {
            Assert.Equal(canonical[i], ToCborHex(ToJson(examples[i])));
        }
        Assert.Contains("6269641b0000000000000000", canonical[2], StringComparison.Ordinal);
    }

    [Fact]
    public void The_json_action_request_and_the_typescript_cbor_one_are_the_same_message()
    {
        var jsonExamples = ProtocolVectors.Main.GetProperty("client_protocol_json_examples").EnumerateArray().ToList();
        var jsonRequest = jsonExamples.Single(e => e.GetProperty("what").GetString() == "WS text frame client->actor").GetProperty("text").GetString()!;
        var cborRequest = ProtocolVectors.Main.GetProperty("client_protocol_cbor_examples")[2].GetProperty("hex").GetString()!;

        Assert.Equal(jsonRequest, ToJson(cborRequest));
        Assert.Equal(ToCborHex(ToJson(cborRequest)), ToCborHex(jsonRequest));
    }

    [Fact]
    public void Json_examples_survive_a_trip_through_cbor()
    {
        var examples = ProtocolVectors.Main.GetProperty("client_protocol_json_examples").EnumerateArray().ToList();
        Assert.Equal(7, examples.Count);
        foreach (var example in examples)
        {
            var json = example.GetProperty("text").GetString()!;
            var back = System.Text.Encoding.UTF8.GetString(CborJson.CborToJson(CborJson.JsonToCbor(System.Text.Encoding.UTF8.GetBytes(json))));
            Assert.Equal(json, back);
        }
    }

    [Fact]
    public void Cbor_inside_envoy_and_persist_vectors_decodes()
    {
        var start = ProtocolVectors.Hx7Named("envoy ToEnvoy.ToEnvoyCommands[CommandStartActor]");
        var input = start.GetProperty("value").GetProperty("val")[0].GetProperty("inner").GetProperty("val").GetProperty("config").GetProperty("input").GetProperty("$hex").GetString()!;
        Assert.Equal("""{"hello":"world"}""", ToJson(input));

        var persisted = ProtocolVectors.Hx7Named("actor-persist Actor v4 (legacy KV key [1])");
        Assert.Equal("""{"count":5}""", ToJson(persisted.GetProperty("value").GetProperty("state").GetProperty("$hex").GetString()!));
    }

    [Fact]
    public void Output_goes_to_a_caller_supplied_writer_inside_a_larger_document()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("output");
            CborJson.CborToJson(Convert.FromHexString("8101"), writer);
            writer.WriteEndObject();
        }
        Assert.Equal("""{"output":[1]}""", System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));

        var cbor = new System.Formats.Cbor.CborWriter(System.Formats.Cbor.CborConformanceMode.Lax, convertIndefiniteLengthEncodings: true);
        cbor.WriteStartArray(2);
        CborJson.JsonToCbor("[1]"u8, cbor);
        CborJson.JsonToCbor("\"a\""u8, cbor);
        cbor.WriteEndArray();
        Assert.Equal("8281016161", Convert.ToHexString(cbor.Encode()).ToLowerInvariant());
    }

    [Theory]
    [InlineData("", "truncated")]
    [InlineData("a161", "truncated")]
    [InlineData("a16161", "truncated")]
    [InlineData("0101", "trailing")]
    [InlineData("a10102", "map key")]
    [InlineData("a1f602", "map key")]
    [InlineData("1c", "reserved")]
    [InlineData("ff", "break")]
    [InlineData("f0", "simple value")]
    [InlineData("f820", "simple value")]
    [InlineData("62c328", "UTF-8")]
    [InlineData("7f61c3 6128ff", "UTF-8")]
    [InlineData("5f6161ff", "chunk")]
    [InlineData("9f01", "truncated")]
    [InlineData("1f", "indefinite")]
    [InlineData("5bffffffffffffffff", "truncated")]
    [InlineData("9bffffffffffffffff00", "truncated")]
    [InlineData("bb7fffffffffffffff0000", "truncated")]
    [InlineData("c201", "bignum")]
    [InlineData("c06161", "RFC 3339")]
    [InlineData("c1fb7ff0000000000000", "outside")]
    [InlineData("d9010201", "set")]
    [InlineData("c6", "truncated")]
    public void Malformed_cbor_throws_a_CborJsonException(string hex, string reason)
    {
        var e = Assert.Throws<CborJsonException>(() => CborJson.CborToJson(Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal))));
        Assert.Contains(reason, e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("", "invalid JSON")]
    [InlineData("{", "invalid JSON")]
    [InlineData("[1,]", "invalid JSON")]
    [InlineData("1 2", "invalid JSON")]
    [InlineData("""{"a":}""", "invalid JSON")]
    [InlineData("""["$BigInt","x1"]""", "decimal integer")]
    [InlineData("""["$BigInt","1.5"]""", "decimal integer")]
    [InlineData("""["$BigInt",""]""", "decimal integer")]
    [InlineData("""["$BigInt",true]""", "decimal integer")]
    [InlineData("""["$Uint8Array","***"]""", "base64")]
    [InlineData("""["$Uint8Array",5]""", "base64")]
    public void Malformed_json_throws_a_CborJsonException(string json, string reason)
    {
        var e = Assert.Throws<CborJsonException>(() => CborJson.JsonToCbor(System.Text.Encoding.UTF8.GetBytes(json)));
        Assert.Contains(reason, e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Invalid_utf8_in_a_json_string_throws_a_CborJsonException()
    {
        Assert.Throws<CborJsonException>(() => CborJson.JsonToCbor([0x22, 0xc3, 0x28, 0x22]));
        Assert.Throws<CborJsonException>(() => CborJson.JsonToCbor([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]));
    }

    [Fact]
    public void Nesting_is_limited_to_the_max_depth_in_both_directions()
    {
        var deepestCbor = Convert.FromHexString(string.Concat(Enumerable.Repeat("81", CborJson.DefaultMaxDepth)) + "00");
        var tooDeepCbor = Convert.FromHexString(string.Concat(Enumerable.Repeat("81", CborJson.DefaultMaxDepth + 1)) + "00");
        var deepestJson = CborJson.CborToJson(deepestCbor);
        Assert.Equal(deepestCbor, CborJson.JsonToCbor(deepestJson));
        Assert.Contains("deeper", Assert.Throws<CborJsonException>(() => CborJson.CborToJson(tooDeepCbor)).Message, StringComparison.Ordinal);

        var tooDeepJson = System.Text.Encoding.UTF8.GetBytes(new string('[', CborJson.DefaultMaxDepth + 1) + new string(']', CborJson.DefaultMaxDepth + 1));
        Assert.Throws<CborJsonException>(() => CborJson.JsonToCbor(tooDeepJson));

        // Tags count as nesting too, so a long chain of tags cannot exhaust the stack.
        var tagChain = Convert.FromHexString(string.Concat(Enumerable.Repeat("c6", 100_000)) + "00");
        Assert.Throws<CborJsonException>(() => CborJson.CborToJson(tagChain));
        Assert.Equal("[[1]]", System.Text.Encoding.UTF8.GetString(CborJson.CborToJson(Convert.FromHexString("818101"), maxDepth: 2)));
        Assert.Throws<CborJsonException>(() => CborJson.CborToJson(Convert.FromHexString("81818101"), maxDepth: 2));
    }

    /// <summary>A vectors-file value ({bigint: ".."} for 64-bit ints) in JSON-compat form.</summary>
    private static JsonNode? CompatJson(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object when value.TryGetProperty("bigint", out var digits):
                return new JsonArray("$BigInt", digits.GetString());
            case JsonValueKind.Object:
                var result = new JsonObject();
                foreach (var property in value.EnumerateObject())
                {
                    result[property.Name] = CompatJson(property.Value);
                }
                return result;
            case JsonValueKind.Array:
                return new JsonArray(value.EnumerateArray().Select(CompatJson).ToArray());
            default:
                return JsonNode.Parse(value.GetRawText());
        }
    }
}
