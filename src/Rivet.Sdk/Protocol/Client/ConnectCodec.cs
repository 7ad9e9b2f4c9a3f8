using System;

namespace Rivet.Protocol.Client;

/// <summary>
/// Encodes and decodes /connect messages in json (text frames), cbor or bare (binary frames, <c>04 00</c> prefix),
/// exactly as RivetKit 2.3.19 does. OWNER: connect-server helper (replace these placeholders).
/// </summary>
internal static class ConnectCodec
{
    /// <summary>Whether frames of this encoding are WebSocket binary frames (cbor, bare) or text (json).</summary>
    public static bool IsBinary(ClientEncodingKind kind) => kind != ClientEncodingKind.Json;

    public static byte[] Encode(ClientEncodingKind kind, ConnectToClient message) => throw new NotImplementedException();

    public static byte[] Encode(ClientEncodingKind kind, ConnectToServer message) => throw new NotImplementedException();

    /// <exception cref="RivetException"><c>actor.invalid_request</c> when the frame is not a valid message.</exception>
    public static ConnectToServer DecodeToServer(ClientEncodingKind kind, ReadOnlySpan<byte> frame) => throw new NotImplementedException();

    /// <exception cref="RivetException"><c>actor.invalid_request</c> when the frame is not a valid message.</exception>
    public static ConnectToClient DecodeToClient(ClientEncodingKind kind, ReadOnlySpan<byte> frame) => throw new NotImplementedException();
}
