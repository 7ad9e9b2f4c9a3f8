using System;

namespace Rivet.Protocol.Client;

// The messages of RivetKit's /connect WebSocket (client protocol v4, guide section 7.3), with every payload
// (arguments, outputs, metadata) as Rivet JSON, the runtime's own form. ConnectCodec turns them into json, cbor or
// bare frames and back.

/// <summary>A message from the client to the actor.</summary>
internal abstract record ConnectToServer;

/// <summary><c>ActionRequest{id, name, args}</c>; <paramref name="ArgumentsJson"/> is a JSON array.</summary>
internal sealed record ConnectActionRequest(ulong Id, string Name, ReadOnlyMemory<byte> ArgumentsJson) : ConnectToServer;

/// <summary><c>SubscriptionRequest{eventName, subscribe}</c>.</summary>
internal sealed record ConnectSubscriptionRequest(string EventName, bool Subscribe) : ConnectToServer;

/// <summary>A message from the actor to the client.</summary>
internal abstract record ConnectToClient;

/// <summary><c>Init{actorId, connectionId}</c>, the first message on a connection.</summary>
internal sealed record ConnectInit(string ActorId, string ConnectionId) : ConnectToClient;

/// <summary><c>Error{group, code, message, metadata, actionId}</c>: an action failed (<paramref name="ActionId"/> set) or the connection did.</summary>
internal sealed record ConnectError(string Group, string Code, string Message, ReadOnlyMemory<byte>? MetadataJson, ulong? ActionId) : ConnectToClient;

/// <summary><c>ActionResponse{id, output}</c>.</summary>
internal sealed record ConnectActionResponse(ulong Id, ReadOnlyMemory<byte> OutputJson) : ConnectToClient;

/// <summary><c>Event{name, args}</c>; <paramref name="ArgumentsJson"/> is a JSON array.</summary>
internal sealed record ConnectEvent(string Name, ReadOnlyMemory<byte> ArgumentsJson) : ConnectToClient;
