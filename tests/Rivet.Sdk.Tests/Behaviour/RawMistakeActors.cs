using System;
using System.Net;
using System.Net.Http;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;

namespace Rivet.Sdk.Tests.Behaviour;

/// <summary>
/// Raw handlers for what a newcomer gets wrong: a request handler that waits until its token fires, and sockets
/// (hibernatable under <c>/feed</c>) that greet and then wait for the client. Its <see cref="Actor.ActionTimeout"/> is 5 min, or as many seconds
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
        var buffer = new byte[1024];
        while ((await socket.ReceiveAsync(buffer, cancellationToken)).MessageType != WebSocketMessageType.Close)
        {
            // Any client message asks for a message over the raw socket limit (4 MiB), in fragments.
            var chunk = new byte[1024 * 1024];
            for (var sent = 0; sent < 5; sent++)
            {
                await socket.SendAsync(chunk, WebSocketMessageType.Binary, endOfMessage: sent == 4, cancellationToken);
            }
        }
        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", cancellationToken);
    }
}
