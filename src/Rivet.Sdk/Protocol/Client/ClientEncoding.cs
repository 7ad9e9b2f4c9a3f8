using System;
using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;
using Rivet.Codecs.Bare;
using Rivet.Codecs.Cbor;

namespace Rivet.Protocol.Client;

/// <summary>The three encodings of the RivetKit client protocol (header <c>x-rivet-encoding</c>).</summary>
internal enum ClientEncodingKind
{
    Json,
    Cbor,
    Bare,
}

/// <summary>
/// Bodies of the client protocol's HTTP action call (<c>POST /action/{name}</c>) in each encoding, converted to and
/// from the runtime's JSON form (RivetKit "JSON compat"): json <c>{"args":[…]}</c> / <c>{"output":…}</c>; cbor the
/// same maps in CBOR; bare <c>04 00</c> + HttpActionRequest/HttpActionResponse holding CBOR.
/// </summary>
internal static partial class ClientEncoding
{
    public const string EncodingHeader = "x-rivet-encoding";
    public const string ConnParamsHeader = "x-rivet-conn-params";

    public static bool TryParse(string? value, out ClientEncodingKind kind)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case null or "" or "json":
                kind = ClientEncodingKind.Json;
                return true;
            case "cbor":
                kind = ClientEncodingKind.Cbor;
                return true;
            case "bare":
                kind = ClientEncodingKind.Bare;
                return true;
            default:
                kind = default;
                return false;
        }
    }

    public static string Name(ClientEncodingKind kind) => kind switch
    {
        ClientEncodingKind.Cbor => "cbor",
        ClientEncodingKind.Bare => "bare",
        _ => "json",
    };

    public static string ContentType(ClientEncodingKind kind) => kind == ClientEncodingKind.Json ? "application/json" : "application/octet-stream";

    /// <summary>Reads the arguments array of an action request body (actor side).</summary>
    /// <exception cref="RivetException"><c>actor.invalid_request</c> naming what is wrong with the body.</exception>
    public static byte[] DecodeActionArguments(ClientEncodingKind kind, ReadOnlySpan<byte> body) =>
        Guard("action request", kind, body, static (kind, body) => kind switch
        {
            ClientEncodingKind.Json => MemberOf(body, "args"),
            ClientEncodingKind.Cbor => MemberOf(CborJson.CborToJson(body), "args"),
            _ => CborJson.CborToJson(DecodeBare(body, HttpActionRequest.Read).Args),
        });

    /// <summary>Writes an action response body from the action's JSON result (actor side).</summary>
    public static byte[] EncodeActionOutput(ClientEncodingKind kind, ReadOnlySpan<byte> outputJson) => kind switch
    {
        ClientEncodingKind.Json => Wrap("output", outputJson),
        ClientEncodingKind.Cbor => CborJson.JsonToCbor(Wrap("output", outputJson)),
        _ => EncodeBare(new HttpActionResponse { Output = CborJson.JsonToCbor(outputJson) }, static (ref BareWriter w, HttpActionResponse v) => v.Write(ref w)),
    };

    /// <summary>Writes an action request body from the JSON arguments array (client side).</summary>
    /// <remarks>
    /// CBOR (and the CBOR inside BARE) keeps the JSON-compat arrays (<c>["$Uint8Array",b64]</c>, <c>["$BigInt","1"]</c>)
    /// as arrays, as RivetKit's <c>encodeCborCompat</c> does: RivetKit 2.3.19 actors revive them, but answer native
    /// CBOR byte strings with <c>core.internal_error</c> in the cbor encoding.
    /// </remarks>
    public static byte[] EncodeActionArguments(ClientEncodingKind kind, ReadOnlySpan<byte> argumentsJson) => kind switch
    {
        ClientEncodingKind.Json => Wrap("args", argumentsJson),
        ClientEncodingKind.Cbor => CborJson.JsonToCborCompat(Wrap("args", argumentsJson)),
        _ => EncodeBare(new HttpActionRequest { Args = CborJson.JsonToCborCompat(argumentsJson) }, static (ref BareWriter w, HttpActionRequest v) => v.Write(ref w)),
    };

    /// <summary>Reads the result of an action response body (client side).</summary>
    public static byte[] DecodeActionOutput(ClientEncodingKind kind, ReadOnlySpan<byte> body) =>
        Guard("action response", kind, body, static (kind, body) => kind switch
        {
            ClientEncodingKind.Json => MemberOf(body, "output"),
            ClientEncodingKind.Cbor => MemberOf(CborJson.CborToJson(body), "output"),
            _ => CborJson.CborToJson(DecodeBare(body, HttpActionResponse.Read).Output),
        });

    /// <summary>Writes an error body in RivetKit's shape.</summary>
    public static byte[] EncodeError(ClientEncodingKind kind, RivetException error, ActorSpecifier? actor)
    {
        if (kind == ClientEncodingKind.Bare)
        {
            var value = new HttpResponseError
            {
                Group = error.Group,
                Code = error.Code,
                Message = error.Message,
                Metadata = error.Metadata is { } metadata ? CborJson.JsonToCbor(JsonSerializer.SerializeToUtf8Bytes(metadata, RivetProtocolJsonContext.Default.JsonElement)) : null,
                Actor = actor,
            };
            return EncodeBare(value, static (ref BareWriter w, HttpResponseError v) => v.Write(ref w));
        }
        var json = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            if (actor is not null)
            {
                writer.WriteStartObject("actor");
                writer.WriteString("actorId", actor.ActorId);
                writer.WriteNumber("generation", actor.Generation);
                if (actor.Key is { } key)
                {
                    writer.WriteString("key", key);
                }
                writer.WriteEndObject();
            }
            writer.WriteString("code", error.Code);
            writer.WriteString("group", error.Group);
            writer.WriteString("message", error.Message);
            if (error.Metadata is { } metadata)
            {
                writer.WritePropertyName("metadata");
                metadata.WriteTo(writer);
            }
            writer.WriteEndObject();
        }
        return kind == ClientEncodingKind.Json ? json.WrittenSpan.ToArray() : CborJson.JsonToCbor(json.WrittenSpan);
    }

    /// <summary>Reads an error body (client side). Returns null when the body is not an error in that encoding.</summary>
    public static RivetException? TryDecodeError(ClientEncodingKind kind, ReadOnlySpan<byte> body)
    {
        try
        {
            if (kind == ClientEncodingKind.Bare)
            {
                var error = DecodeBare(body, HttpResponseError.Read);
                JsonElement? metadata = error.Metadata is { } cbor ? JsonDocument.Parse(CborJson.CborToJson(cbor)).RootElement.Clone() : null;
                return new RivetException(error.Group, error.Code, error.Message, metadata) { ActorId = error.Actor?.ActorId };
            }
            var json = kind == ClientEncodingKind.Json ? body.ToArray() : CborJson.CborToJson(body);
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("group", out var group) || group.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("code", out var code) || code.ValueKind != JsonValueKind.String)
            {
                return null;
            }
            var message = root.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "";
            JsonElement? meta = root.TryGetProperty("metadata", out var md) && md.ValueKind != JsonValueKind.Null ? md.Clone() : null;
            string? actorId = root.TryGetProperty("actor", out var a) && a.ValueKind == JsonValueKind.Object && a.TryGetProperty("actorId", out var id) ? id.GetString() : null;
            return new RivetException(group.GetString()!, code.GetString()!, message, meta) { ActorId = actorId };
        }
        // InvalidOperationException (found by fuzzing): a property name or string escaping a lone surrogate.
        catch (Exception ex) when (ex is FormatException or JsonException or ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The HTTP status RivetKit uses for an error.</summary>
    public static int StatusFor(RivetException error) => error.Id switch
    {
        "auth.forbidden" => 403,
        "actor.action_not_found" or "actor.not_found" => 404,
        "actor.action_timed_out" => 408,
        "actor.invalid_request" => 400,
        "actor.method_not_allowed" => 405,
        "actor.call_cycle" => 409,
        _ when error.Group is "message" or "queue" => 400,
        _ => 500,
    };

    private delegate void BareWrite<T>(ref BareWriter writer, T value);

    private static byte[] EncodeBare<T>(T value, BareWrite<T> write)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        var writer = new BareWriter(buffer);
        writer.WriteVersion(BareVersions.ClientProtocol);
        write(ref writer, value);
        return buffer.WrittenSpan.ToArray();
    }

    private static T DecodeBare<T>(ReadOnlySpan<byte> body, BareReadFunc<T> read)
    {
        var reader = new BareReader(body);
        reader.ReadVersion(BareVersions.ClientProtocol, BareVersions.ClientProtocol, "client protocol");
        var value = read(ref reader);
        reader.EnsureEnd();
        return value;
    }

    private static byte[] Wrap(string property, ReadOnlySpan<byte> json)
    {
        var buffer = new byte[property.Length + json.Length + 5];
        var span = buffer.AsSpan();
        span[0] = (byte)'{';
        span[1] = (byte)'"';
        System.Text.Encoding.UTF8.GetBytes(property, span[2..]);
        var offset = 2 + property.Length;
        span[offset++] = (byte)'"';
        span[offset++] = (byte)':';
        json.CopyTo(span[offset..]);
        span[^1] = (byte)'}';
        return buffer;
    }

    // Strict on purpose: one JSON value, valid UTF-8 throughout (property names included), and the protocol member
    // once, so no two parsers (ours, a proxy's, RivetKit's) can read different things out of the same body.
    private static byte[] MemberOf(ReadOnlySpan<byte> json, string property)
    {
        if (!Utf8.IsValid(json))
        {
            throw new FormatException($"it is not valid UTF-8 (first bad byte at offset {InvalidUtf8Offset(json)})");
        }
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new FormatException($"the body must be an object with an \"{property}\" member");
        }
        byte[]? found = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isTarget = reader.ValueTextEquals(property);
            if (isTarget && found is not null)
            {
                throw new FormatException($"the body has more than one \"{property}\" member");
            }
            reader.Read();
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            if (isTarget)
            {
                found = json[start..(int)(reader.TokenStartIndex + (reader.TokenType is JsonTokenType.String or JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null ? reader.ValueSpan.Length + (reader.TokenType == JsonTokenType.String ? 2 : 0) : 1))].ToArray();
            }
        }
        // The reader throws on anything but whitespace after the object.
        if (reader.Read())
        {
            throw new FormatException("the body holds more than one JSON value");
        }
        return found ?? throw new FormatException($"the body has no \"{property}\" member");
    }

    private static int InvalidUtf8Offset(ReadOnlySpan<byte> text)
    {
        Utf8.ToUtf16(text, new char[text.Length], out var read, out _, replaceInvalidSequences: false);
        return read;
    }

    private delegate byte[] BodyDecoder(ClientEncodingKind kind, ReadOnlySpan<byte> body);

    private static byte[] Guard(string what, ClientEncodingKind kind, ReadOnlySpan<byte> body, BodyDecoder decode)
    {
        try
        {
            return decode(kind, body);
        }
        catch (Exception ex) when (ex is FormatException or JsonException or InvalidOperationException or System.Formats.Cbor.CborContentException)
        {
            throw new RivetException(RivetErrors.ActorGroup, RivetErrors.InvalidRequest,
                $"The {what} body is not valid {Name(kind)}: {ex.Message}", innerException: ex);
        }
    }
}
