using System;
using System.Net;
using System.Net.Http;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Rivet.Sdk.Tests.Behaviour;

public sealed class RawState
{
    public int Hits { get; set; }
}

/// <summary>
/// Raw HTTP and raw WebSockets on every host: a small router over <see cref="HttpRequestMessage"/> and a socket that
/// echoes and counts its messages in the actor's state.
/// </summary>
[Actor("rawEcho")]
public partial class RawEcho : Actor<RawState>
{
    protected override TimeSpan ActionTimeout => TimeSpan.FromSeconds(1);

    [Action] public int GetHits() => State.Hits;

    [Action] public void Nap() => Sleep();

    protected override async ValueTask<HttpResponseMessage> OnRequestAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        switch (request.Method.Method, path)
        {
            case ("GET", "/hello"):
                return Text($"hello {request.RequestUri.Query} from {Context.Key[0]}");
            case ("POST", "/hits"):
                State.Hits += int.Parse(await request.Content!.ReadAsStringAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
                return new HttpResponseMessage(HttpStatusCode.Created) { Content = JsonContent.Create(State) };
            case ("POST", "/echo"):
                var body = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
                var echo = new ByteArrayContent(body);
                echo.Headers.ContentType = request.Content.Headers.ContentType;
                return new HttpResponseMessage(HttpStatusCode.OK) { Content = echo, Headers = { { "x-echo-length", body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) } } };
            case ("GET", "/throw"):
                State.Hits += 1000;
                throw new InvalidOperationException("the handler failed");
            case ("GET", "/refuse"):
                State.Hits += 1000;
                throw new UserError("Not today", "refused");
            case ("GET", "/hang"):
                await Task.Delay(Timeout.InfiniteTimeSpan, Context.TimeProvider, cancellationToken);
                return Text("never");
            default:
                return new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new StringContent($"no route {request.Method} {path}") };
        }
    }

    protected override async Task OnWebSocketAsync(WebSocket socket, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        await socket.SendAsync(Encoding.UTF8.GetBytes("welcome " + request.RequestUri!.PathAndQuery), WebSocketMessageType.Text, true, cancellationToken);
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
            if (received.MessageType == WebSocketMessageType.Text)
            {
                var text = Encoding.UTF8.GetString(buffer, 0, received.Count);
                await socket.SendAsync(Encoding.UTF8.GetBytes($"{text} #{hits}"), WebSocketMessageType.Text, true, cancellationToken);
            }
            else
            {
                await socket.SendAsync(buffer.AsMemory(0, received.Count), WebSocketMessageType.Binary, true, cancellationToken);
            }
        }
    }

    private static HttpResponseMessage Text(string text) => new(HttpStatusCode.OK) { Content = new StringContent(text) };
}
