using System;
using System.Buffers;
using System.Formats.Cbor;
using System.Text.Json;
using Rivet.Codecs.Bare;
using Rivet.Codecs.Cbor;

namespace Rivet.Protocol.Client;

/// <summary>
/// Encodes and decodes /connect messages in json (text frames), cbor or bare (binary frames, <c>04 00</c> prefix),
/// exactly as RivetKit 2.3.19 does.
/// </summary>
/// <remarks>
/// <para>json: <c>{"body":{"tag":"ActionRequest","val":{"id":["$BigInt","0"],"name":"increment","args":[1]}}}</c>;
/// ids are written <c>["$BigInt","N"]</c> (RivetKit's zod schema wants a bigint) and read as that or a plain number;
/// <c>args</c>/<c>output</c>/<c>metadata</c> are the Rivet JSON values themselves.</para>
/// <para>cbor: the same tree as a CBOR map; ids as 8-byte unsigned integers (<c>1b …</c>, what cbor-x writes for a
/// bigint and decodes as one). Values going to a client are native CBOR (as the HTTP action output); values going to
/// an actor keep RivetKit's compat arrays (as its <c>encodeCborCompat</c>, see <see cref="ClientEncoding"/>).</para>
/// <para>bare: <c>04 00</c> + <see cref="ToClient"/>/<see cref="ToServer"/>, with CBOR payloads.</para>
/// </remarks>
internal static class ConnectCodec
{
    /// <summary>Whether frames of this encoding are WebSocket binary frames (cbor, bare) or text (json).</summary>
    public static bool IsBinary(ClientEncodingKind kind) => kind != ClientEncodingKind.Json;

    /// <summary>Encodes a message from the actor to the client.</summary>
    public static byte[] Encode(ClientEncodingKind kind, ConnectToClient message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return kind switch
        {
            ClientEncodingKind.Json => ConnectJson.Write(message),
            ClientEncodingKind.Cbor => ConnectCbor.Write(message),
            _ => EncodeBare(ToBare(message), static (ref BareWriter w, ToClient v) => v.Write(ref w)),
        };
    }

    /// <summary>Encodes a message from the client to the actor.</summary>
    public static byte[] Encode(ClientEncodingKind kind, ConnectToServer message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return kind switch
        {
            ClientEncodingKind.Json => ConnectJson.Write(message),
            ClientEncodingKind.Cbor => ConnectCbor.Write(message),
            _ => EncodeBare(ToBare(message), static (ref BareWriter w, ToServer v) => v.Write(ref w)),
        };
    }

    /// <exception cref="RivetException"><c>actor.invalid_request</c> when the frame is not a valid message.</exception>
    public static ConnectToServer DecodeToServer(ClientEncodingKind kind, ReadOnlySpan<byte> frame)
    {
        try
        {
            return kind switch
            {
                ClientEncodingKind.Json => ConnectJson.ReadToServer(frame.ToArray()),
                ClientEncodingKind.Cbor => ConnectJson.ReadToServer(CborJson.CborToJson(frame)),
                // Versions 1 to 4 of ToServer are identical; RivetKit actors accept them all.
                _ => FromBare(DecodeBare(frame, 1, ToServer.Read)),
            };
        }
        catch (Exception ex) when (IsMalformed(ex))
        {
            throw Invalid("client message", kind, ex);
        }
    }

    /// <exception cref="RivetException"><c>actor.invalid_request</c> when the frame is not a valid message.</exception>
    public static ConnectToClient DecodeToClient(ClientEncodingKind kind, ReadOnlySpan<byte> frame)
    {
        try
        {
            return kind switch
            {
                ClientEncodingKind.Json => ConnectJson.ReadToClient(frame.ToArray()),
                ClientEncodingKind.Cbor => ConnectJson.ReadToClient(CborJson.CborToJson(frame)),
                _ => FromBare(DecodeBare(frame, BareVersions.ClientProtocol, ToClient.Read)),
            };
        }
        catch (Exception ex) when (IsMalformed(ex))
        {
            throw Invalid("actor message", kind, ex);
        }
    }

    private static bool IsMalformed(Exception ex) =>
        ex is FormatException or JsonException or InvalidOperationException or CborContentException or OverflowException or ArgumentException;

    private static RivetException Invalid(string what, ClientEncodingKind kind, Exception ex) =>
        new(RivetErrors.ActorGroup, RivetErrors.InvalidRequest,
            $"The /connect {what} is not valid {ClientEncoding.Name(kind)}: {ex.Message}", innerException: ex);

    // ---------------------------------------------------------------- bare

    private static ToClient ToBare(ConnectToClient message) => new()
    {
        Body = message switch
        {
            ConnectInit init => new Init { ActorId = init.ActorId, ConnectionId = init.ConnectionId },
            ConnectError error => new Error
            {
                Group = error.Group,
                Code = error.Code,
                Message = error.Message,
                Metadata = error.MetadataJson is { IsEmpty: false } metadata ? CborJson.JsonToCbor(metadata.Span) : null,
                ActionId = error.ActionId,
            },
            ConnectActionResponse response => new ActionResponse { Id = response.Id, Output = CborJson.JsonToCbor(OrNull(response.OutputJson).Span) },
            ConnectEvent ev => new Event { Name = ev.Name, Args = CborJson.JsonToCbor(OrEmptyArray(ev.ArgumentsJson).Span) },
            _ => throw new ArgumentException($"{message.GetType().Name} is not a /connect message to the client.", nameof(message)),
        },
    };

    private static ToServer ToBare(ConnectToServer message) => new()
    {
        Body = message switch
        {
            ConnectActionRequest request => new ActionRequest
            {
                Id = request.Id,
                Name = request.Name,
                Args = CborJson.JsonToCborCompat(OrEmptyArray(request.ArgumentsJson).Span),
            },
            ConnectSubscriptionRequest subscription => new SubscriptionRequest { EventName = subscription.EventName, Subscribe = subscription.Subscribe },
            _ => throw new ArgumentException($"{message.GetType().Name} is not a /connect message to the actor.", nameof(message)),
        },
    };

    private static ConnectToServer FromBare(ToServer message) => message.Body switch
    {
        ActionRequest request => new ConnectActionRequest(request.Id, request.Name, ConnectJson.RequireArray(CborJson.CborToJson(request.Args), "ActionRequest.args")),
        SubscriptionRequest subscription => new ConnectSubscriptionRequest(subscription.EventName, subscription.Subscribe),
        _ => throw new FormatException("unknown ToServer body."),
    };

    private static ConnectToClient FromBare(ToClient message) => message.Body switch
    {
        Init init => new ConnectInit(init.ActorId, init.ConnectionId),
        Error error => new ConnectError(error.Group, error.Code, error.Message,
            error.Metadata is { } metadata ? CborJson.CborToJson(metadata) : (ReadOnlyMemory<byte>?)null, error.ActionId),
        ActionResponse response => new ConnectActionResponse(response.Id, CborJson.CborToJson(response.Output)),
        Event ev => new ConnectEvent(ev.Name, CborJson.CborToJson(ev.Args)),
        _ => throw new FormatException("unknown ToClient body."),
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

    private static T DecodeBare<T>(ReadOnlySpan<byte> frame, ushort minimumVersion, BareReadFunc<T> read)
    {
        var reader = new BareReader(frame);
        reader.ReadVersion(minimumVersion, BareVersions.ClientProtocol, "client protocol");
        var value = read(ref reader);
        reader.EnsureEnd();
        return value;
    }

    internal static ReadOnlyMemory<byte> OrNull(ReadOnlyMemory<byte> json) => json.IsEmpty ? "null"u8.ToArray() : json;

    internal static ReadOnlyMemory<byte> OrEmptyArray(ReadOnlyMemory<byte> json) => json.IsEmpty ? "[]"u8.ToArray() : json;
}
