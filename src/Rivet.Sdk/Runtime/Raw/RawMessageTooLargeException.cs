using System;

namespace Rivet.Runtime.Raw;

/// <summary>
/// The inner exception of the <see cref="System.Net.WebSockets.WebSocketException"/> a raw socket end throws for a
/// message over <see cref="WebSocketPair.MaxMessageSize"/>, so a pump can tell that apart from a broken socket and
/// close with 1009 and a reason naming the limit instead of an internal error.
/// </summary>
internal sealed class RawMessageTooLargeException(long size)
    : Exception($"A raw WebSocket message of at least {size} bytes is larger than the limit of {WebSocketPair.MaxMessageSize} bytes.")
{
    /// <summary>The close reason sent for it (RivetKit's error id for an outgoing message over the limit).</summary>
    public const string CloseReason = "message.outgoing_too_long";

    /// <summary>How many bytes of the message had arrived when it went over the limit.</summary>
    public long Size { get; } = size;
}
