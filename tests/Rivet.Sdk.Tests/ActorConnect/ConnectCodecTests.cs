using System;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rivet.Codecs.Cbor;
using Rivet.Protocol.Client;
using Rivet.Sdk.Tests.Codecs;

namespace Rivet.Sdk.Tests.ActorConnect;

/// <summary>
/// <see cref="ConnectCodec"/> against the /connect frames captured from RivetKit 2.3.19 (its TypeScript client and
/// its actor runtime) in the shared vector files, and round trips of every message in every encoding.
/// </summary>
public sealed class ConnectCodecTests
{
    private static byte[] MainHex(string name) => Convert.FromHexString(ProtocolVectors.Main.GetProperty("client_protocol_v4").EnumerateArray()
        .Single(v => v.GetProperty("name").GetString() == name).GetProperty("hex").GetString()!);

    private static byte[] Hx7Hex(string name) => Convert.FromHexString(ProtocolVectors.Hx7Named(name).GetProperty("hex").GetString()!);

    private static string JsonExample(string what) => ProtocolVectors.Main.GetProperty("client_protocol_json_examples").EnumerateArray()
        .Single(v => v.GetProperty("what").GetString() == what).GetProperty("text").GetString()!;

    private static byte[] CborExample(string prefix) => Convert.FromHexString(ProtocolVectors.Main.GetProperty("client_protocol_cbor_examples").EnumerateArray()
        .Single(v => v.GetProperty("what").GetString()!.StartsWith(prefix, StringComparison.Ordinal)).GetProperty("hex").GetString()!);

    private static byte[] U(string json) => Encoding.UTF8.GetBytes(json);

    private static void AssertJson(string expected, ReadOnlyMemory<byte> actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual.Span)), $"expected {expected}, got {Encoding.UTF8.GetString(actual.Span)}");

    // ------------------------------------------------------------------ bare vectors

    [Theory]
    [InlineData("ToServer ActionRequest id=0 increment(1)", 0UL, "increment", "[1]")]
    [InlineData("hx7:client ToServer ActionRequest (bare)", 0UL, "increment", "[2]")]
    public void Bare_action_requests_from_the_vectors_decode_and_encode_to_the_same_bytes(string vector, ulong id, string name, string args)
    {
        var bytes = vector.StartsWith("hx7:", StringComparison.Ordinal) ? Hx7Hex(vector[4..]) : MainHex(vector);
        var request = Assert.IsType<ConnectActionRequest>(ConnectCodec.DecodeToServer(ClientEncodingKind.Bare, bytes));
        Assert.Equal(id, request.Id);
        Assert.Equal(name, request.Name);
        AssertJson(args, request.ArgumentsJson);
        Assert.Equal(bytes, ConnectCodec.Encode(ClientEncodingKind.Bare, request));
    }

    [Fact]
    public void Bare_subscription_requests_from_both_vector_files_round_trip()
    {
        foreach (var bytes in new[] { MainHex("ToServer SubscriptionRequest newCount"), Hx7Hex("client ToServer SubscriptionRequest (bare)") })
        {
            var request = Assert.IsType<ConnectSubscriptionRequest>(ConnectCodec.DecodeToServer(ClientEncodingKind.Bare, bytes));
            Assert.Equal(new ConnectSubscriptionRequest("newCount", true), request);
            Assert.Equal(bytes, ConnectCodec.Encode(ClientEncodingKind.Bare, request));
        }
    }

    [Fact]
    public void Bare_messages_to_the_client_encode_to_the_captured_bytes()
    {
        Assert.Equal(MainHex("ToClient Init"), ConnectCodec.Encode(ClientEncodingKind.Bare,
            new ConnectInit("tp2hk1tlv2vwcmq3e79wuf1izval00", "3cb9f527-4fde-48b6-864d-aa8ef1430855")));
        Assert.Equal(Hx7Hex("client ToClient Init (bare)"), ConnectCodec.Encode(ClientEncodingKind.Bare,
            new ConnectInit("lf1zyschmkb8oz1i4eliushes8dl00", "8605f4a6-2ddb-4d05-9630-c56813a6bec5")));
        Assert.Equal(MainHex("ToClient ActionResponse id=0 output=32"), ConnectCodec.Encode(ClientEncodingKind.Bare, new ConnectActionResponse(0, U("32"))));
        Assert.Equal(Hx7Hex("client ToClient ActionResponse (bare)"), ConnectCodec.Encode(ClientEncodingKind.Bare, new ConnectActionResponse(0, U("7"))));
        Assert.Equal(MainHex("ToClient Event newCount [32]"), ConnectCodec.Encode(ClientEncodingKind.Bare, new ConnectEvent("newCount", U("[32]"))));
        Assert.Equal(Hx7Hex("client ToClient Event (bare)"), ConnectCodec.Encode(ClientEncodingKind.Bare, new ConnectEvent("newCount", U("[7]"))));
    }

    [Fact]
    public void Bare_errors_from_the_vectors_decode_with_their_metadata_and_action_id()
    {
        var error = Assert.IsType<ConnectError>(ConnectCodec.DecodeToClient(ClientEncodingKind.Bare, MainHex("ToClient Error for action 2")));
        Assert.Equal(("user", "my_code", "nope", 2UL), (error.Group, error.Code, error.Message, error.ActionId));
        AssertJson("""{"a":1}""", error.MetadataJson!.Value);

        // RivetKit's own actor runtime fills "actor"; the SDK reads past it.
        var internalError = Assert.IsType<ConnectError>(ConnectCodec.DecodeToClient(ClientEncodingKind.Bare, Hx7Hex("client ToClient Error (bare)")));
        Assert.Equal(("rivetkit", "internal_error", "An internal error occurred", 2UL), (internalError.Group, internalError.Code, internalError.Message, internalError.ActionId));
        Assert.Null(internalError.MetadataJson);

        // The vector's metadata map has a non-preferred header (b9 0001); the SDK writes the preferred a1.
        var expected = Convert.ToHexString(MainHex("ToClient Error for action 2")).Replace("06B90001616101", "04A1616101", StringComparison.Ordinal);
        Assert.Equal(expected, Convert.ToHexString(ConnectCodec.Encode(ClientEncodingKind.Bare, error)));
    }

    [Fact]
    public void Bare_messages_to_the_client_decode_back()
    {
        Assert.Equal(new ConnectInit("tp2hk1tlv2vwcmq3e79wuf1izval00", "3cb9f527-4fde-48b6-864d-aa8ef1430855"),
            ConnectCodec.DecodeToClient(ClientEncodingKind.Bare, MainHex("ToClient Init")));
        var response = Assert.IsType<ConnectActionResponse>(ConnectCodec.DecodeToClient(ClientEncodingKind.Bare, MainHex("ToClient ActionResponse id=0 output=32")));
        Assert.Equal(0UL, response.Id);
        AssertJson("32", response.OutputJson);
        var ev = Assert.IsType<ConnectEvent>(ConnectCodec.DecodeToClient(ClientEncodingKind.Bare, Hx7Hex("client ToClient Event (bare)")));
        Assert.Equal("newCount", ev.Name);
        AssertJson("[7]", ev.ArgumentsJson);
    }

    // ------------------------------------------------------------------ json frames captured on the wire

    [Fact]
    public void Json_action_request_from_the_TypeScript_client_decodes()
    {
        var request = Assert.IsType<ConnectActionRequest>(ConnectCodec.DecodeToServer(ClientEncodingKind.Json, U(JsonExample("WS text frame client->actor"))));
        Assert.Equal((0UL, "increment"), (request.Id, request.Name));
        AssertJson("[1]", request.ArgumentsJson);
        Assert.Equal(JsonExample("WS text frame client->actor"), Encoding.UTF8.GetString(ConnectCodec.Encode(ClientEncodingKind.Json, request)));
    }

    [Fact]
    public void Json_messages_to_the_client_are_written_as_RivetKit_writes_them()
    {
        Assert.Equal(JsonExample("WS text frame actor->client"),
            Encoding.UTF8.GetString(ConnectCodec.Encode(ClientEncodingKind.Json, new ConnectActionResponse(0, U("4")))));
        Assert.Equal(JsonExample("WS Init"), Encoding.UTF8.GetString(ConnectCodec.Encode(ClientEncodingKind.Json,
            new ConnectInit("tp2hk1tlv2vwcmq3e79wuf1izval00", "a6b69fea-d706-4eae-a0c8-267eced649a7"))));
        // RivetKit's actor writes members in another order; the tree is the same.
        AssertJson(JsonExample("WS Event"), ConnectCodec.Encode(ClientEncodingKind.Json, new ConnectEvent("newCount", U("[4]"))));
        var ev = Assert.IsType<ConnectEvent>(ConnectCodec.DecodeToClient(ClientEncodingKind.Json, U(JsonExample("WS Event"))));
        Assert.Equal("newCount", ev.Name);
        AssertJson("[4]", ev.ArgumentsJson);
    }

    [Fact]
    public void Json_connection_errors_carry_a_null_action_id_and_action_errors_a_bigint_one()
    {
        AssertJson("""{"body":{"tag":"Error","val":{"group":"user","code":"nope","message":"rejected","actionId":null}}}""",
            ConnectCodec.Encode(ClientEncodingKind.Json, new ConnectError("user", "nope", "rejected", null, null)));
        AssertJson("""{"body":{"tag":"Error","val":{"group":"user","code":"c","message":"m","metadata":{"a":[1]},"actionId":["$BigInt","7"]}}}""",
            ConnectCodec.Encode(ClientEncodingKind.Json, new ConnectError("user", "c", "m", U("""{"a":[1]}"""), 7)));
    }

    [Theory]
    [InlineData("0", 0UL)]
    [InlineData("12", 12UL)]
    [InlineData("""["$BigInt","12"]""", 12UL)]
    [InlineData("""["$BigInt","18446744073709551615"]""", ulong.MaxValue)]
    public void Json_ids_are_accepted_as_numbers_and_as_bigints(string id, ulong expected)
    {
        var frame = U("""{"body":{"tag":"ActionRequest","val":{"id":""" + id + ""","name":"a","args":[]}}}""");
        Assert.Equal(expected, Assert.IsType<ConnectActionRequest>(ConnectCodec.DecodeToServer(ClientEncodingKind.Json, frame)).Id);
    }

    // ------------------------------------------------------------------ cbor

    [Fact]
    public void Cbor_action_request_from_the_TypeScript_client_decodes()
    {
        var bytes = CborExample("WS ActionRequest id=0 increment(1) from TS client");
        var request = Assert.IsType<ConnectActionRequest>(ConnectCodec.DecodeToServer(ClientEncodingKind.Cbor, bytes));
        Assert.Equal((0UL, "increment"), (request.Id, request.Name));
        AssertJson("[1]", request.ArgumentsJson);

        // Same tree, with preferred map headers where the TS client writes b9 00nn.
        var encoded = ConnectCodec.Encode(ClientEncodingKind.Cbor, request);
        AssertJson(Encoding.UTF8.GetString(CborJson.CborToJson(bytes)), CborJson.CborToJson(encoded));
        Assert.Contains("1B0000000000000000", Convert.ToHexString(encoded), StringComparison.Ordinal);
    }

    [Fact]
    public void Cbor_ids_to_the_client_are_8_byte_integers_that_cbor_x_reads_as_bigints()
    {
        var encoded = ConnectCodec.Encode(ClientEncodingKind.Cbor, new ConnectActionResponse(5, U("17")));
        Assert.Equal(
            "A1" + "64626F6479" + "A2" + "63746167" + "6E416374696F6E526573706F6E7365" + "6376616C" + "A2" + "626964" + "1B0000000000000005" + "666F7574707574" + "11",
            Convert.ToHexString(encoded));
        AssertJson("""{"body":{"tag":"ActionResponse","val":{"id":["$BigInt","5"],"output":17}}}""", CborJson.CborToJson(encoded));
    }

    [Fact]
    public void Cbor_values_to_the_client_are_native_and_values_to_the_actor_keep_compat_arrays()
    {
        const string args = """[["$Uint8Array","AQI="],["$BigInt","9"]]""";
        var toClient = ConnectCodec.Encode(ClientEncodingKind.Cbor, new ConnectEvent("e", U(args)));
        Assert.Contains("420102", Convert.ToHexString(toClient), StringComparison.Ordinal); // byte string 01 02
        var toServer = ConnectCodec.Encode(ClientEncodingKind.Cbor, new ConnectActionRequest(1, "a", U(args)));
        Assert.DoesNotContain("420102", Convert.ToHexString(toServer), StringComparison.Ordinal);
        AssertJson(args, Assert.IsType<ConnectEvent>(ConnectCodec.DecodeToClient(ClientEncodingKind.Cbor, toClient)).ArgumentsJson);
        AssertJson(args, Assert.IsType<ConnectActionRequest>(ConnectCodec.DecodeToServer(ClientEncodingKind.Cbor, toServer)).ArgumentsJson);
    }

    // ------------------------------------------------------------------ round trips

    public static TheoryData<string> Encodings => new("json", "cbor", "bare");

    private static ClientEncodingKind Kind(string encoding) => ClientEncoding.TryParse(encoding, out var kind) ? kind : throw new ArgumentException(encoding);

    private const string RichArgs = """[1,-2,1.5,"s",null,true,{"k":[{"n":1}]},["$$x",1],["$Set",[1,2]],["$Uint8Array","AAEC/w=="],["$BigInt","123456789012345678901"]]""";

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Every_message_to_the_actor_round_trips(string encoding)
    {
        var kind = Kind(encoding);
        foreach (var message in new ConnectToServer[]
        {
            new ConnectActionRequest(0, "increment", U("[1]")),
            new ConnectActionRequest(ulong.MaxValue, "ünïcode", U(RichArgs)),
            new ConnectActionRequest(3, "none", U("[]")),
            new ConnectSubscriptionRequest("newCount", true),
            new ConnectSubscriptionRequest("newCount", false),
        })
        {
            var frame = ConnectCodec.Encode(kind, message);
            if (kind == ClientEncodingKind.Bare)
            {
                Assert.Equal([0x04, 0x00], frame[..2]);
            }
            AssertSame(message, ConnectCodec.DecodeToServer(kind, frame));
        }
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Every_message_to_the_client_round_trips(string encoding)
    {
        var kind = Kind(encoding);
        foreach (var message in new ConnectToClient[]
        {
            new ConnectInit("actor-1", "3cb9f527-4fde-48b6-864d-aa8ef1430855"),
            new ConnectActionResponse(0, U("""{"count":4}""")),
            new ConnectActionResponse(ulong.MaxValue, U(RichArgs)),
            new ConnectActionResponse(1, U("null")),
            new ConnectEvent("newCount", U("[4]")),
            new ConnectEvent("rich", U(RichArgs)),
            new ConnectError("user", "my_code", "nope", U("""{"a":1}"""), 2),
            new ConnectError("actor", "invalid_request", "bad", null, null),
        })
        {
            AssertSame(message, ConnectCodec.DecodeToClient(kind, ConnectCodec.Encode(kind, message)));
        }
    }

    private static void AssertSame(object expected, object actual)
    {
        switch ((expected, actual))
        {
            case (ConnectActionRequest e, ConnectActionRequest a):
                Assert.Equal((e.Id, e.Name), (a.Id, a.Name));
                AssertJson(Encoding.UTF8.GetString(e.ArgumentsJson.Span), a.ArgumentsJson);
                break;
            case (ConnectActionResponse e, ConnectActionResponse a):
                Assert.Equal(e.Id, a.Id);
                AssertJson(Encoding.UTF8.GetString(e.OutputJson.Span), a.OutputJson);
                break;
            case (ConnectEvent e, ConnectEvent a):
                Assert.Equal(e.Name, a.Name);
                AssertJson(Encoding.UTF8.GetString(e.ArgumentsJson.Span), a.ArgumentsJson);
                break;
            case (ConnectError e, ConnectError a):
                Assert.Equal((e.Group, e.Code, e.Message, e.ActionId), (a.Group, a.Code, a.Message, a.ActionId));
                Assert.Equal(e.MetadataJson is null, a.MetadataJson is null);
                if (e.MetadataJson is { } metadata)
                {
                    AssertJson(Encoding.UTF8.GetString(metadata.Span), a.MetadataJson!.Value);
                }
                break;
            default:
                Assert.Equal(expected, actual);
                break;
        }
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Empty_error_metadata_is_written_as_no_metadata(string encoding)
    {
        var kind = Kind(encoding);
        var error = Assert.IsType<ConnectError>(ConnectCodec.DecodeToClient(kind, ConnectCodec.Encode(kind, new ConnectError("user", "c", "m", ReadOnlyMemory<byte>.Empty, null))));
        Assert.Null(error.MetadataJson);
        Assert.Null(error.ActionId);
    }

    // ------------------------------------------------------------------ malformed input

    [Theory]
    [InlineData("not json", "not valid json")]
    [InlineData("[1]", "body")]
    [InlineData("""{"body":{"tag":"Nope","val":{}}}""", "Nope")]
    [InlineData("""{"body":{"tag":"ActionRequest","val":{"name":"a","args":[]}}}""", "ActionRequest.id is missing")]
    [InlineData("""{"body":{"tag":"ActionRequest","val":{"id":-1,"name":"a","args":[]}}}""", "unsigned 64-bit")]
    [InlineData("""{"body":{"tag":"ActionRequest","val":{"id":["$BigInt","x"],"name":"a","args":[]}}}""", "unsigned 64-bit")]
    [InlineData("""{"body":{"tag":"ActionRequest","val":{"id":0,"name":5,"args":[]}}}""", "ActionRequest.name must be a string")]
    [InlineData("""{"body":{"tag":"ActionRequest","val":{"id":0,"name":"a","args":{"x":1}}}}""", "ActionRequest.args must be an array")]
    [InlineData("""{"body":{"tag":"SubscriptionRequest","val":{"eventName":"e","subscribe":"yes"}}}""", "subscribe must be a boolean")]
    [InlineData("""{"body":{"tag":"Init","val":{"actorId":"a","connectionId":"c"}}}""", "expected ActionRequest or SubscriptionRequest")]
    public void Malformed_json_frames_are_invalid_requests(string frame, string mentions)
    {
        var error = Assert.Throws<RivetException>(() => ConnectCodec.DecodeToServer(ClientEncodingKind.Json, U(frame)));
        Assert.Equal("actor.invalid_request", error.Id);
        Assert.Contains(mentions, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "version")]
    [InlineData("0400", "")]
    [InlineData("0300000009696e6372656d656e74028101", "")] // version 3 is read (identical schema)
    [InlineData("0500000009696e6372656d656e74028101", "version 5")]
    [InlineData("0400050000", "tag 5")]
    [InlineData("0400000009696e6372656d656e7402810100", "trailing")]
    [InlineData("0400000009696e6372656d656e740101", "args must be an array")]
    public void Malformed_bare_frames_are_invalid_requests(string hex, string mentions)
    {
        var bytes = Convert.FromHexString(hex);
        if (hex.StartsWith("03", StringComparison.Ordinal))
        {
            Assert.Equal("increment", Assert.IsType<ConnectActionRequest>(ConnectCodec.DecodeToServer(ClientEncodingKind.Bare, bytes)).Name);
            return;
        }
        var error = Assert.Throws<RivetException>(() => ConnectCodec.DecodeToServer(ClientEncodingKind.Bare, bytes));
        Assert.Equal("actor.invalid_request", error.Id);
        Assert.Contains("not valid bare", error.Message, StringComparison.Ordinal);
        Assert.Contains(mentions, error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("ff")]
    [InlineData("a1")]
    [InlineData("a0")]
    [InlineData("a164626f6479a263746167634e6f706376616ca0")] // tag "Nop"
    public void Malformed_cbor_frames_are_invalid_requests(string hex)
    {
        var error = Assert.Throws<RivetException>(() => ConnectCodec.DecodeToServer(ClientEncodingKind.Cbor, Convert.FromHexString(hex)));
        Assert.Equal("actor.invalid_request", error.Id);
        Assert.Contains("not valid cbor", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_frames_to_the_client_are_invalid_too()
    {
        var error = Assert.Throws<RivetException>(() => ConnectCodec.DecodeToClient(ClientEncodingKind.Json, U("""{"body":{"tag":"ActionRequest","val":{}}}""")));
        Assert.Equal("actor.invalid_request", error.Id);
        Assert.Contains("actor message", error.Message, StringComparison.Ordinal);
        Assert.Throws<RivetException>(() => ConnectCodec.DecodeToClient(ClientEncodingKind.Bare, Convert.FromHexString("0300001e")));
    }

    [Fact]
    public void Json_frames_are_text_and_the_others_binary()
    {
        Assert.False(ConnectCodec.IsBinary(ClientEncodingKind.Json));
        Assert.True(ConnectCodec.IsBinary(ClientEncodingKind.Cbor));
        Assert.True(ConnectCodec.IsBinary(ClientEncodingKind.Bare));
        _ = JsonDocument.Parse(ConnectCodec.Encode(ClientEncodingKind.Json, new ConnectInit("a", "b")));
    }
}
