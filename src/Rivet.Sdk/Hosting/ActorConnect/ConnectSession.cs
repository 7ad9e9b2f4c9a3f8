using System;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Protocol.Client;
using Rivet.Runtime;
using Rivet.Runtime.Connections;

namespace Rivet.Hosting.ActorConnect;

/// <summary>Where a <see cref="ConnectSession"/> writes: one WebSocket (tunnelled through the engine, or an in-process pipe).</summary>
internal interface IConnectFrameSink
{
    /// <summary>Queues one frame to the client; never blocks.</summary>
    void Send(ReadOnlyMemory<byte> frame, bool binary);

    /// <summary>Closes the socket with <paramref name="code"/> and <paramref name="reason"/> (e.g. 1011 <c>actor.invalid_request</c>).</summary>
    void Close(ushort code, string reason);
}

/// <summary>
/// The actor side of one RivetKit <c>/connect</c> connection, the same on every host: accepts it in the actor
/// (<c>OnBeforeConnect</c> → connection state → <c>OnConnect</c>), sends <c>Init</c>, then serves action and
/// subscription requests and forwards the actor's events. OWNER: connect-server helper (replace these placeholders).
/// </summary>
internal sealed class ConnectSession
{
    private ConnectSession() { }

    /// <summary>The actor-side connection, once accepted.</summary>
    public Connection Connection => throw new NotImplementedException();

    /// <summary>
    /// Accepts a connection. On rejection it sends the <c>Error</c> frame, closes the sink with 1011
    /// <c>{group}.{code}</c>, and throws the <see cref="RivetException"/>.
    /// </summary>
    public static Task<ConnectSession> OpenAsync(ActorInstance actor, ClientEncodingKind encoding, ConnectionOpen open, IConnectFrameSink sink, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    /// <summary>Handles one client frame (decode, run, reply). Malformed frames close the socket with 1011 <c>actor.invalid_request</c>.</summary>
    public Task HandleFrameAsync(ReadOnlyMemory<byte> frame, bool binary, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>The client closed (or the socket dropped for good): removes the connection and runs <c>OnDisconnect</c>.</summary>
    public Task ClosedAsync(ushort? code, string? reason) => throw new NotImplementedException();
}
