using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Rivet.Codecs.Cbor;

namespace Rivet.Protocol.Client;

/// <summary>
/// Writes the cbor form of /connect messages: the json tree as CBOR maps, with ids as 8-byte unsigned integers
/// (<c>1b</c> + 8 bytes, what cbor-x writes for a JS bigint; RivetKit's schema rejects a plain number there).
/// Reading goes through <see cref="CborJson"/> and <see cref="ConnectJson"/>.
/// </summary>
internal static class ConnectCbor
{
    public static byte[] Write(ConnectToClient message)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        switch (message)
        {
            case ConnectInit init:
                Start(buffer, "Init", 2);
                Text(buffer, "actorId");
                Text(buffer, init.ActorId);
                Text(buffer, "connectionId");
                Text(buffer, init.ConnectionId);
                break;
            case ConnectError error:
                Start(buffer, "Error", error.MetadataJson is { IsEmpty: false } ? 5 : 4);
                Text(buffer, "group");
                Text(buffer, error.Group);
                Text(buffer, "code");
                Text(buffer, error.Code);
                Text(buffer, "message");
                Text(buffer, error.Message);
                if (error.MetadataJson is { IsEmpty: false } metadata)
                {
                    Text(buffer, "metadata");
                    CborJson.JsonToCbor(ConnectCodec.OrNull(metadata).Span, buffer);
                }
                Text(buffer, "actionId");
                if (error.ActionId is { } actionId)
                {
                    Id(buffer, actionId);
                }
                else
                {
                    Byte(buffer, 0xf6);
                }
                break;
            case ConnectActionResponse response:
                Start(buffer, "ActionResponse", 2);
                Text(buffer, "id");
                Id(buffer, response.Id);
                Text(buffer, "output");
                CborJson.JsonToCbor(ConnectCodec.OrNull(response.OutputJson).Span, buffer);
                break;
            case ConnectEvent ev:
                Start(buffer, "Event", 2);
                Text(buffer, "name");
                Text(buffer, ev.Name);
                Text(buffer, "args");
                CborJson.JsonToCbor(ConnectCodec.OrEmptyArray(ev.ArgumentsJson).Span, buffer);
                break;
            default:
                throw new ArgumentException($"{message.GetType().Name} is not a /connect message to the client.", nameof(message));
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] Write(ConnectToServer message)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        switch (message)
        {
            case ConnectActionRequest request:
                Start(buffer, "ActionRequest", 3);
                Text(buffer, "id");
                Id(buffer, request.Id);
                Text(buffer, "name");
                Text(buffer, request.Name);
                Text(buffer, "args");
                // RivetKit actors revive compat arrays but reject native byte strings (see ClientEncoding).
                buffer.Write(CborJson.JsonToCborCompat(ConnectCodec.OrEmptyArray(request.ArgumentsJson).Span));
                break;
            case ConnectSubscriptionRequest subscription:
                Start(buffer, "SubscriptionRequest", 2);
                Text(buffer, "eventName");
                Text(buffer, subscription.EventName);
                Text(buffer, "subscribe");
                Byte(buffer, subscription.Subscribe ? (byte)0xf5 : (byte)0xf4);
                break;
            default:
                throw new ArgumentException($"{message.GetType().Name} is not a /connect message to the actor.", nameof(message));
        }
        return buffer.WrittenSpan.ToArray();
    }

    // {"body":{"tag":tag,"val":{ …valCount members… }}}
    private static void Start(IBufferWriter<byte> buffer, string tag, int valCount)
    {
        Byte(buffer, 0xa1);
        Text(buffer, "body");
        Byte(buffer, 0xa2);
        Text(buffer, "tag");
        Text(buffer, tag);
        Text(buffer, "val");
        Byte(buffer, (byte)(0xa0 | valCount));
    }

    private static void Id(IBufferWriter<byte> buffer, ulong id)
    {
        var span = buffer.GetSpan(9);
        span[0] = 0x1b;
        BinaryPrimitives.WriteUInt64BigEndian(span[1..], id);
        buffer.Advance(9);
    }

    private static void Text(IBufferWriter<byte> buffer, string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        Header(buffer, 3, (ulong)length);
        var span = buffer.GetSpan(length);
        Encoding.UTF8.GetBytes(value, span);
        buffer.Advance(length);
    }

    private static void Header(IBufferWriter<byte> buffer, int major, ulong argument)
    {
        var span = buffer.GetSpan(9);
        var m = (byte)(major << 5);
        switch (argument)
        {
            case < 24:
                span[0] = (byte)(m | (byte)argument);
                buffer.Advance(1);
                break;
            case <= byte.MaxValue:
                span[0] = (byte)(m | 24);
                span[1] = (byte)argument;
                buffer.Advance(2);
                break;
            case <= ushort.MaxValue:
                span[0] = (byte)(m | 25);
                BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)argument);
                buffer.Advance(3);
                break;
            case <= uint.MaxValue:
                span[0] = (byte)(m | 26);
                BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)argument);
                buffer.Advance(5);
                break;
            default:
                span[0] = (byte)(m | 27);
                BinaryPrimitives.WriteUInt64BigEndian(span[1..], argument);
                buffer.Advance(9);
                break;
        }
    }

    private static void Byte(IBufferWriter<byte> buffer, byte value)
    {
        buffer.GetSpan(1)[0] = value;
        buffer.Advance(1);
    }
}
