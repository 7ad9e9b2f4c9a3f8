using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Rivet;

namespace RawHttpSample;

public sealed class GuestbookState
{
    public List<Note> Notes { get; set; } = new();
    public int NextId { get; set; } = 1;
}

public sealed record Note(int Id, string Text);

/// <summary>
/// An actor that serves its own HTTP API and a WebSocket, reachable at
/// <c>{engine}/gateway/{actorId}/request/…</c> and <c>…/websocket/…</c> (or through <c>handle.CreateHttpClient()</c>
/// and <c>handle.WebSocketAsync()</c>). Routing is plain C# pattern matching on the method and the path's segments.
/// </summary>
[Actor]
public partial class Guestbook : Actor<GuestbookState>
{
    /// <summary>An ordinary action next to the raw handlers: the same state.</summary>
    [Action] public int Count() => State.Notes.Count;

    protected override async ValueTask<HttpResponseMessage> OnRequestAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var segments = request.RequestUri!.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        switch (request.Method.Method, segments)
        {
            case ("GET", ["notes"]):
                return Json(HttpStatusCode.OK, State.Notes);
            case ("POST", ["notes"]):
                var text = (await request.Content!.ReadAsStringAsync(cancellationToken)).Trim();
                if (text.Length is 0 or > 280)
                {
                    return new HttpResponseMessage(HttpStatusCode.BadRequest) { Content = new StringContent("A note is 1 to 280 characters.\n") };
                }
                var note = new Note(State.NextId++, text);
                State.Notes.Add(note);   // saved before the response leaves, as after an action
                return Json(HttpStatusCode.Created, note);
            case ("GET", ["notes", var id]) when int.TryParse(id, out var n):
                return State.Notes.FirstOrDefault(x => x.Id == n) is { } found
                    ? Json(HttpStatusCode.OK, found)
                    : new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new StringContent($"No note {n}.\n") };
            case ("DELETE", ["notes", var id]) when int.TryParse(id, out var n):
                State.Notes.RemoveAll(x => x.Id == n);
                return new HttpResponseMessage(HttpStatusCode.NoContent);
            default:
                return new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new StringContent($"No route {request.Method} {request.RequestUri.AbsolutePath}.\n") };
        }
    }

    /// <summary><c>/websocket/live</c>: every text message is added as a note and answered with the note count.</summary>
    protected override async Task OnWebSocketAsync(WebSocket socket, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, cancellationToken);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", cancellationToken);
                return;
            }
            var text = Encoding.UTF8.GetString(buffer, 0, received.Count);
            var count = 0;
            // The socket outlives a turn: state is touched inside one, and saved after it.
            await RunInTurnAsync(_ =>
            {
                State.Notes.Add(new Note(State.NextId++, text));
                count = State.Notes.Count;
                return ValueTask.CompletedTask;
            }, cancellationToken);
            await socket.SendAsync(Encoding.UTF8.GetBytes($"noted ({count} notes)"), WebSocketMessageType.Text, true, cancellationToken);
        }
    }

    private static HttpResponseMessage Json<T>(HttpStatusCode status, T value) => new(status) { Content = JsonContent.Create(value) };
}
