using System;
using System.Net.Http;
using System.Net.WebSockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Rivet.Sdk.Tests.Behaviour;

/// <summary>
/// A raw WebSocket echo whose sockets under <c>/hib</c> hibernate (<see cref="Actor.CanHibernateWebSocket"/>). It sleeps after 1 s idle, so a test sees that a hibernatable socket does not keep it awake. Text
/// echoes say the count of messages kept in the state and whether the socket was restored after a wake. A text
/// <c>hold</c> (not on a restored socket) is counted, then held while the actor is put to sleep, without an answer.
/// </summary>
[Actor("rawNapper")]
public partial class RawNapper : Actor<RawState>
{
    protected override TimeSpan SleepTimeout => TimeSpan.FromSeconds(1);

    [Action] public int GetHits() => State.Hits;

    protected override bool CanHibernateWebSocket(HttpRequestMessage request) =>
        request.RequestUri!.AbsolutePath.StartsWith("/hib", StringComparison.Ordinal);

    protected override ValueTask OnWakeAsync(CancellationToken cancellationToken)
    {
        Probe.Record(Context.Key[0], "wake");
        return ValueTask.CompletedTask;
    }

    protected override ValueTask OnSleepAsync(CancellationToken cancellationToken)
    {
        Probe.Record(Context.Key[0], "sleep");
        return ValueTask.CompletedTask;
    }

    protected override async Task OnWebSocketAsync(WebSocket socket, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var restored = IsRestoredWebSocket(request);
        Probe.Record(Context.Key[0], restored ? "socket:restored" : "socket:opened");
        if (!restored)
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes("welcome " + request.RequestUri!.PathAndQuery), WebSocketMessageType.Text, true, cancellationToken);
        }
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, cancellationToken);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", cancellationToken);
                return;
            }
            var hits = 0;
            await RunInTurnAsync(_ =>
            {
                hits = ++State.Hits;
                return ValueTask.CompletedTask;
            }, cancellationToken);
            var text = received.MessageType == WebSocketMessageType.Text ? Encoding.UTF8.GetString(buffer, 0, received.Count) : null;
            if (text == "hold" && !restored)
            {
                // Its state change is durable, but the handler still holds it when the actor sleeps (its token ends it).
                Probe.Record(Context.Key[0], "held");
                Sleep();
                await Task.Delay(Timeout.InfiniteTimeSpan, Context.TimeProvider, cancellationToken);
            }
            if (text is not null)
            {
                await socket.SendAsync(Encoding.UTF8.GetBytes($"{text} #{hits}{(restored ? " restored" : "")}"), WebSocketMessageType.Text, true, cancellationToken);
            }
            else
            {
                await socket.SendAsync(buffer.AsMemory(0, received.Count), WebSocketMessageType.Binary, true, cancellationToken);
            }
        }
    }
}
