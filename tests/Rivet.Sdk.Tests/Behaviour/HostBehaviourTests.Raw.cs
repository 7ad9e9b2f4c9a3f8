using System;
using System.Net;
using System.Net.Http;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Sdk.Tests.Behaviour;

namespace Rivet.Sdk.Tests.Serverless;

// Issue 12: raw HTTP (OnRequestAsync) and raw WebSockets (OnWebSocketAsync) through the client's FetchAsync,
// CreateHttpClient and WebSocketAsync, the same on the embedded, runner and serverless hosts.
public abstract partial class HostBehaviourTests
{
    [Fact]
    public async Task Raw_requests_reach_the_handler_in_the_actors_turn_and_errors_keep_rivetkits_shape()
    {
        var key = NewKey();
        var actor = Client.RawEcho.GetOrCreate(key);
        using var http = actor.Handle.CreateHttpClient();

        // The actor sees its own path (no /request) with the query kept.
        Assert.Equal($"hello ?name=ada&x=1 from {key}", await http.GetStringAsync("/hello?name=ada&x=1"));

        // State changed by a request is saved like an action's; JsonContent of the state is read in the turn.
        using (var created = await http.PostAsync("/hits", new StringContent("3")))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            Assert.Equal(3, JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("hits").GetInt32());
        }
        Assert.Equal(3, await actor.GetHits());

        // A body both ways, binary, 1 MiB.
        var large = new byte[1024 * 1024];
        new Random(12).NextBytes(large);
        using (var echoed = await http.PostAsync("/echo", new ByteArrayContent(large) { Headers = { ContentType = new("application/octet-stream") } }))
        {
            Assert.Equal(HttpStatusCode.OK, echoed.StatusCode);
            Assert.Equal("1048576", Assert.Single(echoed.Headers.GetValues("x-echo-length")));
            Assert.Equal(large, await echoed.Content.ReadAsByteArrayAsync());
        }

        // A handler that throws: 500 with RivetKit's error shape, its state change rolled back, the actor lives on.
        using (var failed = await actor.Handle.FetchAsync("/throw"))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
            // RivetKit 2.3.19's answer to a failed onRequest (Interop/RawInteropTests sees the same from a TS actor).
            var error = JsonDocument.Parse(await failed.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("rivetkit.internal_error", error.GetProperty("group").GetString() + "." + error.GetProperty("code").GetString());
            Assert.Equal("An internal error occurred", error.GetProperty("message").GetString());
            Assert.Equal(await actor.Handle.ResolveAsync(), error.GetProperty("actor").GetProperty("actorId").GetString());
        }
        using (var refused = await actor.Handle.FetchAsync("/refuse"))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, refused.StatusCode);
            var error = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("user.refused", error.GetProperty("group").GetString() + "." + error.GetProperty("code").GetString());
            Assert.Equal("Not today", error.GetProperty("message").GetString());
        }
        // A handler that never returns is cut at the actor's ActionTimeout (1 s here): 408 action_timed_out.
        using (var hung = await actor.Handle.FetchAsync("/hang"))
        {
            Assert.Equal(HttpStatusCode.RequestTimeout, hung.StatusCode);
            Assert.Contains("action_timed_out", await hung.Content.ReadAsStringAsync());
        }
        Assert.Equal(3, await actor.GetHits());

        // Unknown paths are the actor's 404; framework routes stay framework routes (the handler sees /action/getHits).
        using (var missing = await http.GetAsync("/action/getHits"))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Equal("no route GET /action/getHits", await missing.Content.ReadAsStringAsync());
        }
        // Body limits: Raw_request_bodies_above_the_action_limit_reach_the_handler_and_above_20_MiB_answer_413.
    }

    [Fact]
    public async Task A_raw_websocket_echoes_text_and_binary_and_changes_state_in_turn()
    {
        var actor = Client.RawEcho.GetOrCreate(NewKey());
        using var bound = new CancellationTokenSource(Patience);
        using var socket = await actor.Handle.WebSocketAsync("/chat?room=7", bound.Token);
        Assert.Equal("welcome /chat?room=7", await ReceiveTextAsync(socket, bound.Token));

        await socket.SendAsync(Encoding.UTF8.GetBytes("héllo"), WebSocketMessageType.Text, true, bound.Token);
        Assert.Equal("héllo #1", await ReceiveTextAsync(socket, bound.Token));

        var binary = new byte[40 * 1024];
        new Random(7).NextBytes(binary);
        await socket.SendAsync(binary, WebSocketMessageType.Binary, true, bound.Token);
        var (echo, type) = await ReceiveAsync(socket, bound.Token);
        Assert.Equal(WebSocketMessageType.Binary, type);
        Assert.Equal(binary, echo);
        Assert.Equal(2, await actor.GetHits());

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", bound.Token);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, socket.CloseStatus);
    }

    [Fact]
    public async Task A_raw_websocket_is_closed_when_its_actor_sleeps_and_the_state_it_changed_is_kept()
    {
        var actor = Client.RawEcho.GetOrCreate(NewKey());
        using var bound = new CancellationTokenSource(Patience);
        using var socket = await actor.Handle.WebSocketAsync("/", bound.Token);
        Assert.Equal("welcome /", await ReceiveTextAsync(socket, bound.Token));
        await socket.SendAsync("one"u8.ToArray(), WebSocketMessageType.Text, true, bound.Token);
        Assert.Equal("one #1", await ReceiveTextAsync(socket, bound.Token));

        // Raw sockets are not hibernatable: the sleep closes this one (never a socket left hanging on a stopped actor).
        await actor.Nap();
        var buffer = new byte[1024];
        WebSocketReceiveResult closed;
        try
        {
            closed = await socket.ReceiveAsync(buffer, bound.Token);
        }
        catch (OperationCanceledException) when (bound.IsCancellationRequested)
        {
            throw new TimeoutException($"The raw socket was not closed within {Patience.TotalSeconds} s of its actor going to sleep.");
        }
        Assert.Equal(WebSocketMessageType.Close, closed.MessageType);
        Assert.Contains(socket.CloseStatus, new WebSocketCloseStatus?[] { WebSocketCloseStatus.EndpointUnavailable, WebSocketCloseStatus.NormalClosure });
        Assert.Equal(1, await CallUntilOkAsync(() => actor.GetHits()));
    }

    private static async Task<string> ReceiveTextAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var (data, type) = await ReceiveAsync(socket, cancellationToken);
        Assert.Equal(WebSocketMessageType.Text, type);
        return Encoding.UTF8.GetString(data);
    }

    private static async Task<(byte[] Data, WebSocketMessageType Type)> ReceiveAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        using var message = new System.IO.MemoryStream();
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, cancellationToken);
            Assert.NotEqual(WebSocketMessageType.Close, received.MessageType);
            message.Write(buffer, 0, received.Count);
            if (received.EndOfMessage)
            {
                return (message.ToArray(), received.MessageType);
            }
        }
    }
}
