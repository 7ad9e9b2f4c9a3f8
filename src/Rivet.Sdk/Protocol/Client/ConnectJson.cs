using System;
using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Unicode;

namespace Rivet.Protocol.Client;

/// <summary>
/// The json form of /connect messages, <c>{"body":{"tag":…,"val":{…}}}</c> (RivetKit's <c>client-protocol-zod</c>
/// shapes written with <c>jsonStringifyCompat</c>). The cbor form is this tree in CBOR, so it is read here too after
/// <see cref="Codecs.Cbor.CborJson.CborToJson(ReadOnlySpan{byte}, int)"/>.
/// </summary>
internal static class ConnectJson
{
    private const string BigIntTag = "$BigInt";

    public static byte[] Write(ConnectToClient message)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var w = new Utf8JsonWriter(buffer))
        {
            switch (message)
            {
                case ConnectInit init:
                    Start(w, "Init");
                    w.WriteString("actorId", init.ActorId);
                    w.WriteString("connectionId", init.ConnectionId);
                    break;
                case ConnectError error:
                    Start(w, "Error");
                    w.WriteString("group", error.Group);
                    w.WriteString("code", error.Code);
                    w.WriteString("message", error.Message);
                    if (error.MetadataJson is { IsEmpty: false } metadata)
                    {
                        w.WritePropertyName("metadata");
                        w.WriteRawValue(ConnectCodec.OrNull(metadata).Span);
                    }
                    // Nullable, not optional, in RivetKit's schema: a connection-level error says null.
                    w.WritePropertyName("actionId");
                    if (error.ActionId is { } actionId)
                    {
                        WriteId(w, actionId);
                    }
                    else
                    {
                        w.WriteNullValue();
                    }
                    break;
                case ConnectActionResponse response:
                    Start(w, "ActionResponse");
                    w.WritePropertyName("id");
                    WriteId(w, response.Id);
                    w.WritePropertyName("output");
                    w.WriteRawValue(ConnectCodec.OrNull(response.OutputJson).Span);
                    break;
                case ConnectEvent ev:
                    Start(w, "Event");
                    w.WriteString("name", ev.Name);
                    w.WritePropertyName("args");
                    w.WriteRawValue(ConnectCodec.OrEmptyArray(ev.ArgumentsJson).Span);
                    break;
                default:
                    throw new ArgumentException($"{message.GetType().Name} is not a /connect message to the client.", nameof(message));
            }
            End(w);
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] Write(ConnectToServer message)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var w = new Utf8JsonWriter(buffer))
        {
            switch (message)
            {
                case ConnectActionRequest request:
                    Start(w, "ActionRequest");
                    w.WritePropertyName("id");
                    WriteId(w, request.Id);
                    w.WriteString("name", request.Name);
                    w.WritePropertyName("args");
                    w.WriteRawValue(ConnectCodec.OrEmptyArray(request.ArgumentsJson).Span);
                    break;
                case ConnectSubscriptionRequest subscription:
                    Start(w, "SubscriptionRequest");
                    w.WriteString("eventName", subscription.EventName);
                    w.WriteBoolean("subscribe", subscription.Subscribe);
                    break;
                default:
                    throw new ArgumentException($"{message.GetType().Name} is not a /connect message to the actor.", nameof(message));
            }
            End(w);
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <exception cref="FormatException">The tree is not a ToServer message.</exception>
    public static ConnectToServer ReadToServer(byte[] json)
    {
        using var document = ParseStrict(json);
        var (tag, val) = Body(document.RootElement);
        return tag switch
        {
            "ActionRequest" => new ConnectActionRequest(
                ReadId(Required(val, "id", tag)),
                ReadString(val, "name", tag),
                val.TryGetProperty("args", out var args) ? RequireArray(Raw(args), "ActionRequest.args") : "[]"u8.ToArray()),
            "SubscriptionRequest" => new ConnectSubscriptionRequest(ReadString(val, "eventName", tag), ReadBool(val, "subscribe", tag)),
            _ => throw new FormatException($"unknown message tag \"{tag}\" (expected ActionRequest or SubscriptionRequest)."),
        };
    }

    /// <exception cref="FormatException">The tree is not a ToClient message.</exception>
    public static ConnectToClient ReadToClient(byte[] json)
    {
        using var document = ParseStrict(json);
        var (tag, val) = Body(document.RootElement);
        switch (tag)
        {
            case "Init":
                return new ConnectInit(ReadString(val, "actorId", tag), ReadString(val, "connectionId", tag));
            case "Error":
                ReadOnlyMemory<byte>? metadata = val.TryGetProperty("metadata", out var m) && m.ValueKind != JsonValueKind.Null ? Raw(m) : (ReadOnlyMemory<byte>?)null;
                ulong? actionId = val.TryGetProperty("actionId", out var a) && a.ValueKind != JsonValueKind.Null ? ReadId(a) : null;
                return new ConnectError(ReadString(val, "group", tag), ReadString(val, "code", tag), ReadString(val, "message", tag), metadata, actionId);
            case "ActionResponse":
                // A TypeScript action returning undefined has no "output" member.
                return new ConnectActionResponse(ReadId(Required(val, "id", tag)),
                    val.TryGetProperty("output", out var output) ? Raw(output) : "null"u8.ToArray());
            case "Event":
                return new ConnectEvent(ReadString(val, "name", tag), val.TryGetProperty("args", out var args) ? Raw(args) : "[]"u8.ToArray());
            default:
                throw new FormatException($"unknown message tag \"{tag}\" (expected Init, Error, ActionResponse or Event).");
        }
    }

    /// <summary>Checks that <paramref name="json"/> is a JSON array (action and event arguments always are).</summary>
    public static byte[] RequireArray(byte[] json, string what)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
        {
            throw new FormatException($"{what} must be an array, got {Describe(json)}.");
        }
        return json;
    }

    // One JSON value, valid UTF-8 throughout and no member twice (no two "args"): a body two parsers could read
    // differently is refused.
    private static readonly JsonDocumentOptions s_strict = new() { AllowDuplicateProperties = false };

    private static JsonDocument ParseStrict(byte[] json) => Utf8.IsValid(json)
        ? JsonDocument.Parse(json, s_strict)
        : throw new FormatException("the message is not valid UTF-8.");

    private static void Start(Utf8JsonWriter w, string tag)
    {
        w.WriteStartObject();
        w.WriteStartObject("body");
        w.WriteString("tag", tag);
        w.WriteStartObject("val");
    }

    private static void End(Utf8JsonWriter w)
    {
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteId(Utf8JsonWriter w, ulong id)
    {
        w.WriteStartArray();
        w.WriteStringValue(BigIntTag);
        w.WriteStringValue(id.ToString(CultureInfo.InvariantCulture));
        w.WriteEndArray();
    }

    private static (string Tag, JsonElement Val) Body(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("body", out var body) || body.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("the message must be an object {\"body\":{\"tag\":…,\"val\":{…}}}.");
        }
        if (!body.TryGetProperty("tag", out var tag) || tag.ValueKind != JsonValueKind.String)
        {
            throw new FormatException("the message body has no string \"tag\".");
        }
        if (!body.TryGetProperty("val", out var val) || val.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"the {tag.GetString()} message has no object \"val\".");
        }
        return (tag.GetString()!, val);
    }

    private static JsonElement Required(JsonElement val, string name, string tag) =>
        val.TryGetProperty(name, out var value) ? value : throw new FormatException($"{tag}.{name} is missing.");

    private static string ReadString(JsonElement val, string name, string tag)
    {
        var value = Required(val, name, tag);
        return value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new FormatException($"{tag}.{name} must be a string, got {value.ValueKind}.");
    }

    private static bool ReadBool(JsonElement val, string name, string tag) => Required(val, name, tag).ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        var kind => throw new FormatException($"{tag}.{name} must be a boolean, got {kind}."),
    };

    /// <summary>An id: a plain non-negative integer, or <c>["$BigInt","N"]</c>.</summary>
    private static ulong ReadId(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetUInt64(out var number))
        {
            return number;
        }
        if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 2
            && value[0].ValueKind == JsonValueKind.String && value[0].ValueEquals(BigIntTag)
            && value[1].ValueKind == JsonValueKind.String
            && ulong.TryParse(value[1].GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var big))
        {
            return big;
        }
        throw new FormatException($"the id {Describe(Raw(value))} is not an unsigned 64-bit integer (a number or [\"$BigInt\",\"N\"]).");
    }

    private static byte[] Raw(JsonElement value) => JsonMarshal.GetRawUtf8Value(value).ToArray();

    private static string Describe(ReadOnlySpan<byte> json)
    {
        var text = System.Text.Encoding.UTF8.GetString(json.Length > 64 ? json[..64] : json);
        return json.Length > 64 ? text + "…" : text;
    }
}
