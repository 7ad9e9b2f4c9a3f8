using System;
using System.Collections.Generic;

namespace Rivet.Storage.Persistence;

/// <summary>
/// One hibernatable connection as RivetKit keeps it (actor-persist v4 <c>Conn</c>, stored at
/// <see cref="KvKeys.Connection(string)"/>). Parameters and state are CBOR, as RivetKit writes them.
/// </summary>
internal sealed class PersistedConnection
{
    /// <summary>The connection id (a UUID).</summary>
    public required string Id { get; init; }

    /// <summary>CBOR of the connection parameters (<c>f6</c>, null, when the client sent none).</summary>
    public required byte[] Parameters { get; init; }

    /// <summary>CBOR of the connection state (<c>f6</c>, null, when the actor keeps none).</summary>
    public required byte[] State { get; init; }

    /// <summary>The event names the connection subscribed to, in stored order.</summary>
    public IReadOnlyList<string> Subscriptions { get; init; } = [];

    /// <summary>The gateway's id of the WebSocket (exactly 4 bytes).</summary>
    public required byte[] GatewayId { get; init; }

    /// <summary>The request id of the WebSocket within its gateway (exactly 4 bytes).</summary>
    public required byte[] RequestId { get; init; }

    /// <summary>Index of the last message sent to the client.</summary>
    public ushort ServerMessageIndex { get; init; }

    /// <summary>Index of the last client message processed.</summary>
    public ushort ClientMessageIndex { get; init; }

    /// <summary>The upgrade request's path.</summary>
    public string RequestPath { get; init; } = "";

    /// <summary>The upgrade request's headers, in stored order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> RequestHeaders { get; init; } = [];
}
