using System;
using System.Collections.Generic;

namespace Rivet.Runtime.Connections;

/// <summary>
/// Where the runtime sends what the actor produces for one connection. Implemented by the connection protocol
/// endpoint (RivetKit's <c>/connect</c> over a tunnelled WebSocket, or the in-process pipe of the embedded host).
/// Calls come from the actor's turn: implementations queue and never block.
/// </summary>
internal interface IConnectionOutput
{
    /// <summary>Sends the event <paramref name="eventName"/> with its arguments (a UTF-8 JSON array). The memory is a
    /// copy made for the outputs: they may queue it as it is (one copy is shared by all subscribers of a broadcast).</summary>
    void SendEvent(string eventName, ReadOnlyMemory<byte> argumentsJson);

    /// <summary>The actor closed the connection (<see cref="Connection.Disconnect"/>, or it was destroyed).</summary>
    void Close(string? reason);
}

/// <summary>What a new connection arrives with.</summary>
/// <param name="ParamsJson">The connection parameters as Rivet JSON, or empty when the client sent none.</param>
/// <param name="RequestPath">The upgrade request's path (e.g. <c>/connect</c>).</param>
/// <param name="RequestHeaders">The upgrade request's headers (lower-case names).</param>
/// <param name="Hibernation">Set for a hibernatable engine WebSocket: the gateway ids needed to restore it after sleep.</param>
internal sealed record ConnectionOpen(
    ReadOnlyMemory<byte> ParamsJson,
    string RequestPath,
    IReadOnlyDictionary<string, string> RequestHeaders,
    HibernationTicket? Hibernation);

/// <summary>
/// What the engine's gateway needs to hand a hibernated WebSocket back to a woken actor: its ids and the last message
/// index seen in each direction (actor-persist <c>Conn</c>: gatewayId, requestId, clientMessageIndex, serverMessageIndex).
/// </summary>
internal sealed class HibernationTicket
{
    public required byte[] GatewayId { get; init; }

    public required byte[] RequestId { get; init; }

    /// <summary>Index of the last client message processed (and acknowledged).</summary>
    public ushort ClientMessageIndex { get; set; }

    /// <summary>Index of the last message sent to the client.</summary>
    public ushort ServerMessageIndex { get; set; }

    /// <summary>1 when <see cref="ClientMessageIndex"/> advanced past what the connection's record holds (written
    /// with the actor's next state save, at sleep and at stop); 0 once a record with it is being written.</summary>
    public int IndexUnsaved;
}
