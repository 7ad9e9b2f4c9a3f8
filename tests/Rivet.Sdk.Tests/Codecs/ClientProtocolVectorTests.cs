using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rivet.Codecs.Bare;
using Rivet.Codecs.Cbor;

namespace Rivet.Sdk.Tests.Codecs;

/// <summary>
/// The client-protocol v4 BARE bodies of both vector files, decoded with <see cref="BareReader"/> (a minimal
/// test-side reading of the Appendix B schema) and <see cref="CborJson"/> for their CBOR fields.
/// </summary>
public sealed class ClientProtocolVectorTests
{
    /// <summary>The JSON a JSON client sends for each CBOR payload found in the vectors (checked by hand).</summary>
    private static readonly Dictionary<string, string> s_cborPayloads = new(StringComparer.OrdinalIgnoreCase)
    {
        ["8103"] = "[3]",
        ["181f"] = "31",
        ["b90001616101"] = """{"a":1}""",
        ["8101"] = "[1]",
        ["1820"] = "32",
        ["811820"] = "[32]",
        ["8102"] = "[2]",
        ["8107"] = "[7]",
        ["07"] = "7",
        ["8105"] = "[5]",
        ["05"] = "5",
    };

    public static TheoryData<string, string> Vectors()
    {
        var data = new TheoryData<string, string>();
        foreach (var v in ProtocolVectors.Main.GetProperty("client_protocol_v4").EnumerateArray())
        {
            data.Add(ProtocolVectors.MainFile, v.GetProperty("name").GetString()!);
        }
        foreach (var v in ProtocolVectors.Hx7.Where(v => v.GetProperty("schema").GetString()!.StartsWith("client-protocol v4", StringComparison.Ordinal)))
        {
            data.Add(ProtocolVectors.Hx7File, v.GetProperty("name").GetString()!);
        }
        return data;
    }

    [Fact]
    public void Both_files_contribute_client_protocol_vectors()
    {
        var files = Vectors().Select(row => (string)row[0]).ToList();
        Assert.Equal(9, files.Count(f => f == ProtocolVectors.MainFile));
        Assert.Equal(8, files.Count(f => f == ProtocolVectors.Hx7File));
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Client_protocol_bodies_decode_with_their_cbor_payloads_as_json(string file, string name)
    {
        var vector = file == ProtocolVectors.MainFile
            ? ProtocolVectors.Main.GetProperty("client_protocol_v4").EnumerateArray().Single(v => v.GetProperty("name").GetString() == name)
            : ProtocolVectors.Hx7Named(name);
        var type = vector.TryGetProperty("type", out var t) ? t.GetString()! : vector.GetProperty("schema").GetString()!.Split(' ')[2];
        var bytes = ProtocolVectors.Hex(vector.GetProperty("hex").GetString()!);

        Assert.Equal([0x04, 0x00], bytes[..2]);
        var decoded = BareReader.Decode(bytes, (ref BareReader r) =>
        {
            r.ReadVersion(BareVersions.ClientProtocol, BareVersions.ClientProtocol, "client-protocol");
            return ReadMessage(ref r, type);
        });

        var expected = Expected(vector.GetProperty("value"));
        Assert.True(JsonNode.DeepEquals(expected, decoded), $"expected {expected?.ToJsonString()}, decoded {decoded.ToJsonString()}");
    }

    private static JsonObject ReadMessage(ref BareReader r, string type)
    {
        switch (type)
        {
            case "HttpActionRequest":
                return new JsonObject { ["args"] = Cbor(ref r) };
            case "HttpActionResponse":
                return new JsonObject { ["output"] = Cbor(ref r) };
            case "HttpResponseError":
                return new JsonObject
                {
                    ["group"] = r.ReadString(),
                    ["code"] = r.ReadString(),
                    ["message"] = r.ReadString(),
                    ["metadata"] = r.ReadOptional() ? Cbor(ref r) : null,
                    ["actor"] = r.ReadOptional() ? ActorSpecifier(ref r) : null,
                };
            case "ToServer":
            {
                var tagOffset = r.Offset;
                var tag = r.ReadUnionTag();
                return tag switch
                {
                    0 => Body("ActionRequest", new JsonObject { ["id"] = r.ReadUInt(), ["name"] = r.ReadString(), ["args"] = Cbor(ref r) }),
                    1 => Body("SubscriptionRequest", new JsonObject { ["eventName"] = r.ReadString(), ["subscribe"] = r.ReadBool() }),
                    _ => throw new BareFormatException(tagOffset, $"unknown ToServerBody tag {tag}"),
                };
            }
            case "ToClient":
            {
                var tagOffset = r.Offset;
                var tag = r.ReadUnionTag();
                switch (tag)
                {
                    case 0:
                        return Body("Init", new JsonObject { ["actorId"] = r.ReadString(), ["connectionId"] = r.ReadString() });
                    case 1:
                        return Body("Error", new JsonObject
                        {
                            ["group"] = r.ReadString(),
                            ["code"] = r.ReadString(),
                            ["message"] = r.ReadString(),
                            ["metadata"] = r.ReadOptional() ? Cbor(ref r) : null,
                            ["actionId"] = r.ReadOptional() ? r.ReadUInt() : null,
                            ["actor"] = r.ReadOptional() ? ActorSpecifier(ref r) : null,
                        });
                    case 2:
                        return Body("ActionResponse", new JsonObject { ["id"] = r.ReadUInt(), ["output"] = Cbor(ref r) });
                    case 3:
                        return Body("Event", new JsonObject { ["name"] = r.ReadString(), ["args"] = Cbor(ref r) });
                    default:
                        throw new BareFormatException(tagOffset, $"unknown ToClientBody tag {tag}");
                }
            }
            default:
                throw new InvalidOperationException($"Unknown client-protocol type {type}.");
        }
    }

    private static JsonObject Body(string tag, JsonObject val) => new() { ["body"] = new JsonObject { ["tag"] = tag, ["val"] = val } };

    private static JsonObject ActorSpecifier(ref BareReader r) => new()
    {
        ["actorId"] = r.ReadString(),
        ["generation"] = r.ReadUInt(),
        ["key"] = r.ReadOptional() ? r.ReadString() : null,
    };

    private static JsonNode? Cbor(ref BareReader r) => JsonNode.Parse(CborJson.CborToJson(r.ReadData()));

    /// <summary>The vector's value with 64-bit ints as numbers and CBOR payloads replaced by their JSON.</summary>
    private static JsonNode? Expected(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object when value.TryGetProperty("bigint", out _) || value.TryGetProperty("$bigint", out _):
                return BareVectorTests.UInt64(value);
            case JsonValueKind.Object when value.TryGetProperty("hex", out var hex) || value.TryGetProperty("$hex", out hex):
                return JsonNode.Parse(s_cborPayloads[hex.GetString()!]);
            case JsonValueKind.Object:
                var result = new JsonObject();
                foreach (var property in value.EnumerateObject())
                {
                    result[property.Name] = Expected(property.Value);
                }
                return result;
            default:
                return JsonNode.Parse(value.GetRawText());
        }
    }
}
