using System;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Net.WebSockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Rivet.Sdk.Tests.Behaviour;

public sealed record RawCallerParams(string Name, string? Token = null);

public sealed class RawCallerConnState
{
    public string Name { get; set; } = "";
}

public sealed class RawCallerState
{
    public int Connects { get; set; }
    public int Disconnects { get; set; }
    public int SocketsEnded { get; set; }
}

/// <summary>
/// Raw requests and sockets with a connection, as RivetKit makes one for them: the caller's parameters pass
/// OnBeforeConnectAsync (token "bad" is refused) and become the connection's state, which the handlers read as Caller.
/// Also the bad-input cases: a socket that writes after its client closed, one that floods a client that never reads,
/// and one whose handler ignores its token.
/// </summary>
[Actor("rawCaller")]
public partial class RawCaller : Actor<RawCallerState>, IConnectionParams<RawCallerParams>, IConnectionState<RawCallerParams, RawCallerConnState>
{
    [Action] public RawCallerState Counts() => State;

    [Action] public int OpenConnections() => Connections.Count;

    [Action] public void Nap() => Sleep();

    public ValueTask OnBeforeConnectAsync(RawCallerParams? parameters, CancellationToken cancellationToken) =>
        parameters?.Token == "bad" ? throw new UserError($"Token of {parameters.Name} rejected", "forbidden") : default;

    public RawCallerConnState CreateConnectionState(RawCallerParams? parameters) => new() { Name = parameters?.Name ?? "anonymous" };

    protected override ValueTask OnConnectAsync(Connection connection, CancellationToken cancellationToken)
    {
        State.Connects++;
        return default;
    }

    protected override ValueTask OnDisconnectAsync(Connection connection, CancellationToken cancellationToken)
    {
        State.Disconnects++;
        return default;
    }

    protected override async ValueTask<HttpResponseMessage> OnRequestAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        switch (request.RequestUri!.AbsolutePath)
        {
            case "/whoami":
                return Text($"{Caller!.GetState<RawCallerConnState>()!.Name} ({Connections.Count} open)");
            case "/length":
                var body = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
                return Text(body.Length.ToString(CultureInfo.InvariantCulture));
            default:
                return new HttpResponseMessage(HttpStatusCode.NotFound);
        }
    }

    protected override async Task OnWebSocketAsync(WebSocket socket, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            switch (request.RequestUri!.AbsolutePath)
            {
                case "/whoami":
                    // Outside the turn and inside it (RunInTurnAsync), the handler sees the socket's connection.
                    var outside = Caller!.GetState<RawCallerConnState>()!.Name;
                    var inside = "";
                    await RunInTurnAsync(_ =>
                    {
                        inside = Caller!.GetState<RawCallerConnState>()!.Name;
                        return ValueTask.CompletedTask;
                    }, cancellationToken);
                    await SendTextAsync(socket, $"{outside}/{inside}", cancellationToken);
                    await socket.ReceiveAsync(new byte[1024], cancellationToken);
                    break;
                case "/late":
                    // Half-closed by the client: its close arrives, and the handler still writes before closing.
                    var received = await socket.ReceiveAsync(new byte[1024], cancellationToken);
                    if (received.MessageType == WebSocketMessageType.Close)
                    {
                        await SendTextAsync(socket, "after your close", cancellationToken);
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "late bye", cancellationToken);
                    }
                    break;
                case "/closefirst":
                    // Half-closed by the actor: it closes its side and returns while the client still sends.
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "server done", cancellationToken);
                    break;
                case "/flood":
                    // Writes 8 MiB to a client that does not read: the writes wait (bounded buffers), the actor goes on.
                    var chunk = new byte[64 * 1024];
                    for (var i = 0; i < 128; i++)
                    {
                        await socket.SendAsync(chunk, WebSocketMessageType.Binary, true, cancellationToken);
                    }
                    await socket.ReceiveAsync(new byte[1024], cancellationToken);
                    break;
                case "/stubborn":
                    // Never returns and ignores its token: the actor must still stop.
                    await new TaskCompletionSource().Task.WaitAsync(TimeSpan.FromMinutes(2), Context.TimeProvider, CancellationToken.None);
                    break;
            }
        }
        finally
        {
            // Counted when the actor still runs; a stopped actor refuses the turn, which is fine here.
            await RunInTurnAsync(_ =>
            {
                State.SocketsEnded++;
                return ValueTask.CompletedTask;
            }, CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private static Task SendTextAsync(WebSocket socket, string text, CancellationToken cancellationToken) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, cancellationToken);

    private static HttpResponseMessage Text(string text) => new(HttpStatusCode.OK) { Content = new StringContent(text) };
}
