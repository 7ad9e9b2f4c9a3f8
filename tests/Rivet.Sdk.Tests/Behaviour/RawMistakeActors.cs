using System;
using System.Net;
using System.Net.Http;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;

namespace Rivet.Sdk.Tests.Behaviour;

/// <summary>
/// Raw handlers for what a newcomer gets wrong: a request handler that waits until its token fires, and sockets
/// (hibernatable under <c>/feed</c>) that greet, record the size of each client message and answer "big" with a
/// message over the limit. Its <see cref="Actor.ActionTimeout"/> is 5 min, or as many seconds
/// as a second key part says.
/// </summary>
[Actor("rawPatient")]
public partial class RawPatient : Actor<RawState>
{
    protected override TimeSpan ActionTimeout =>
        Context.Key.Count > 1 ? TimeSpan.FromSeconds(int.Parse(Context.Key[1], System.Globalization.CultureInfo.InvariantCulture)) : TimeSpan.FromMinutes(5);

    protected override bool CanHibernateWebSocket(HttpRequestMessage request) =>
        request.RequestUri!.AbsolutePath.StartsWith("/feed", StringComparison.Ordinal);

    [Action] public int GetHits() => State.Hits;

    [Action] public void Remove() => Destroy();

    protected override async ValueTask<HttpResponseMessage> OnRequestAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Probe.Record(Context.Key[0], "request:started");
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, Context.TimeProvider, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Probe.Record(Context.Key[0], "request:cancelled");
            throw;
        }
        return new HttpResponseMessage(HttpStatusCode.OK);
    }

    protected override async Task OnWebSocketAsync(WebSocket socket, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await socket.SendAsync("open"u8.ToArray(), WebSocketMessageType.Text, true, cancellationToken);
        var buffer = new byte[64 * 1024];
        while (true)
        {
            // One whole client message: its size is recorded; "big" asks for a message over the raw socket limit (4 MiB).
            long size = 0;
            ValueWebSocketReceiveResult received;
            do
            {
                received = await socket.ReceiveAsync(buffer.AsMemory(), cancellationToken);
                size += received.Count;
            }
            while (!received.EndOfMessage && received.MessageType != WebSocketMessageType.Close);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                break;
            }
            Probe.Record(Context.Key[0], $"socket:received {size}");
            if (size == 3 && buffer.AsSpan(0, 3).SequenceEqual("big"u8))
            {
                var chunk = new byte[1024 * 1024];
                for (var sent = 0; sent < 5; sent++)
                {
                    await socket.SendAsync(chunk, WebSocketMessageType.Binary, endOfMessage: sent == 4, cancellationToken);
                }
            }
        }
        // What closed the socket, as the handler sees it (a host closing it for a message over the limit included).
        Probe.Record(Context.Key[0], $"socket:closed {(int?)socket.CloseStatus} {socket.CloseStatusDescription}");
        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", cancellationToken);
    }
}
