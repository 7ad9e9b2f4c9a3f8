using System;
using System.Buffers;
using System.Text.Json;
using Rivet.Codecs.Bare;
using Rivet.Codecs.Cbor;

namespace Rivet.Protocol.Client;

/// <summary>A queue send as the actor reads it (<c>POST /queue/{name}</c>): the body as Rivet JSON.</summary>
internal readonly record struct QueueSendRequest(string? Name, byte[] BodyJson, bool Wait, ulong? TimeoutMs);

/// <summary>A queue send's answer: <c>"completed"</c> or <c>"timedOut"</c>, and the completion response (Rivet JSON) if any.</summary>
internal readonly record struct QueueSendResponse(string Status, byte[]? ResponseJson);

// Bodies of RivetKit's queue send (client protocol v4 HttpQueueSendRequest / HttpQueueSendResponse): json
// {"body":…,"name"?,"wait"?,"timeout"?} / {"status":…,"response"?}; cbor the same maps; bare the v4 structs with the
// body and response in CBOR.
internal static partial class ClientEncoding
{
    public const string QueueCompleted = "completed";
    public const string QueueTimedOut = "timedOut";

    /// <summary>Reads a queue send request (actor side).</summary>
    /// <exception cref="RivetException"><c>actor.invalid_request</c> naming what is wrong with the body.</exception>
    public static QueueSendRequest DecodeQueueRequest(ClientEncodingKind kind, ReadOnlySpan<byte> body)
    {
        if (kind == ClientEncodingKind.Bare)
        {
            HttpQueueSendRequest? bare = null;
            var bodyJson = Guard("queue send request", kind, body, (k, b) =>
            {
                bare = DecodeBare(b, HttpQueueSendRequest.Read);
                return CborJson.CborToJson(bare.Body);
            });
            return new QueueSendRequest(bare!.Name, bodyJson, bare.Wait ?? false, bare.Timeout);
        }
        var json = kind == ClientEncodingKind.Json ? body.ToArray() : Guard("queue send request", kind, body, static (_, b) => CborJson.CborToJson(b));
        var member = Guard("queue send request", kind, json, static (_, b) => MemberOf(b, "body"));
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            string? name = root.TryGetProperty("name", out var n) && !IsAbsent(n)
                ? n.ValueKind == JsonValueKind.String ? n.GetString() : throw new FormatException("\"name\" must be a string")
                : null;
            var wait = root.TryGetProperty("wait", out var w) && !IsAbsent(w)
                ? w.ValueKind is JsonValueKind.True or JsonValueKind.False ? w.GetBoolean() : throw new FormatException("\"wait\" must be a boolean")
                : false;
            ulong? timeout = root.TryGetProperty("timeout", out var t) && !IsAbsent(t)
                ? t.ValueKind == JsonValueKind.Number && t.TryGetUInt64(out var ms) ? ms : throw new FormatException("\"timeout\" must be a whole number of milliseconds")
                : null;
            return new QueueSendRequest(name, member, wait, timeout);
        }
        catch (Exception ex) when (ex is FormatException or JsonException or InvalidOperationException)
        {
            throw new RivetException(RivetErrors.ActorGroup, RivetErrors.InvalidRequest,
                $"The queue send request body is not valid {Name(kind)}: {ex.Message}", innerException: ex);
        }
    }

    // RivetKit's cbor body carries an unset option as CBOR undefined (["$Undefined",0] in Rivet JSON).
    private static bool IsAbsent(JsonElement value) =>
        value.ValueKind == JsonValueKind.Null
        || (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 2 && value[0].ValueKind == JsonValueKind.String
            && value[0].ValueEquals(CborJson.UndefinedTag));

    /// <summary>Writes a queue send answer (actor side).</summary>
    public static byte[] EncodeQueueResponse(ClientEncodingKind kind, QueueSendResponse response)
    {
        if (kind == ClientEncodingKind.Bare)
        {
            var value = new HttpQueueSendResponse
            {
                Status = response.Status,
                Response = response.ResponseJson is { } r ? CborJson.JsonToCbor(r) : null,
            };
            return EncodeBare(value, static (ref BareWriter w, HttpQueueSendResponse v) => v.Write(ref w));
        }
        var json = new ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            writer.WriteString("status", response.Status);
            if (response.ResponseJson is { } r)
            {
                writer.WritePropertyName("response");
                writer.WriteRawValue(r, skipInputValidation: true);
            }
            writer.WriteEndObject();
        }
        return kind == ClientEncodingKind.Json ? json.WrittenSpan.ToArray() : CborJson.JsonToCbor(json.WrittenSpan);
    }

    /// <summary>Writes a queue send request (client side); the body is Rivet JSON.</summary>
    public static byte[] EncodeQueueRequest(ClientEncodingKind kind, string name, ReadOnlySpan<byte> bodyJson, bool wait, ulong? timeoutMs)
    {
        if (kind == ClientEncodingKind.Bare)
        {
            var value = new HttpQueueSendRequest { Body = CborJson.JsonToCborCompat(bodyJson), Name = name, Wait = wait, Timeout = timeoutMs };
            return EncodeBare(value, static (ref BareWriter w, HttpQueueSendRequest v) => v.Write(ref w));
        }
        var json = new ArrayBufferWriter<byte>(bodyJson.Length + name.Length + 48);
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("body");
            writer.WriteRawValue(bodyJson);
            writer.WriteBoolean("wait", wait);
            if (timeoutMs is { } t)
            {
                writer.WriteNumber("timeout", t);
            }
            writer.WriteString("name", name);
            writer.WriteEndObject();
        }
        return kind == ClientEncodingKind.Json ? json.WrittenSpan.ToArray() : CborJson.JsonToCborCompat(json.WrittenSpan);
    }

    /// <summary>Reads a queue send answer (client side).</summary>
    public static QueueSendResponse DecodeQueueResponse(ClientEncodingKind kind, ReadOnlySpan<byte> body)
    {
        if (kind == ClientEncodingKind.Bare)
        {
            HttpQueueSendResponse? bare = null;
            Guard("queue send response", kind, body, (_, b) =>
            {
                bare = DecodeBare(b, HttpQueueSendResponse.Read);
                return [];
            });
            return new QueueSendResponse(bare!.Status, bare.Response is { } r ? CborJson.CborToJson(r) : null);
        }
        var json = kind == ClientEncodingKind.Json ? body.ToArray() : Guard("queue send response", kind, body, static (_, b) => CborJson.CborToJson(b));
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var status = root.GetProperty("status").GetString() ?? throw new FormatException("\"status\" is null");
            byte[]? response = root.TryGetProperty("response", out var r) && r.ValueKind != JsonValueKind.Undefined
                ? System.Text.Encoding.UTF8.GetBytes(r.GetRawText())
                : null;
            return new QueueSendResponse(status, response);
        }
        catch (Exception ex) when (ex is FormatException or JsonException or InvalidOperationException or System.Collections.Generic.KeyNotFoundException)
        {
            throw new RivetException(RivetErrors.ActorGroup, RivetErrors.InvalidRequest,
                $"The queue send response body is not valid {Name(kind)}: {ex.Message}", innerException: ex);
        }
    }
}
