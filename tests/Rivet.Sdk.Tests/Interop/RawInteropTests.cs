using System;
using System.Net;
using System.Net.Http;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Client;
using Rivet.Sdk.Tests.ClientConnections;
using Rivet.Sdk.Tests.EngineClient;

namespace Rivet.Sdk.Tests.Interop;

/// <summary>Our client's FetchAsync / WebSocketAsync / GetGatewayUrlAsync against a RivetKit actor's onRequest / onWebSocket.</summary>
[Collection("engine")]
public sealed class RawInteropTests(TsActorFixture fixture)
{
    [Fact]
    public async Task Our_client_reaches_a_typescript_actors_raw_http_and_websocket()
    {
        await using var client = RivetClient.Create(fixture.ClientOptions(RivetEncoding.Json));
        var actor = client.GetOrCreate(TsActorFixture.ActorName, ["raw-" + Guid.NewGuid().ToString("N")]);
        using var http = actor.CreateHttpClient();

        Assert.Equal("hello ?x=1&y=two from ts", await http.GetStringAsync("/hello?x=1&y=two"));
        using (var counted = await http.PostAsync("/count", new StringContent("3")))
        {
            Assert.Equal(HttpStatusCode.OK, counted.StatusCode);
            Assert.Equal(3, JsonDocument.Parse(await counted.Content.ReadAsStringAsync()).RootElement.GetProperty("count").GetInt32());
        }
        Assert.Equal("3", Encoding.UTF8.GetString((await actor.InvokeRawAsync("getCount", "[]"u8.ToArray())).Span));

        var large = new byte[1024 * 1024];
        new Random(3).NextBytes(large);
        using (var echoed = await http.PostAsync("/echo", new ByteArrayContent(large)))
        {
            Assert.Equal(HttpStatusCode.OK, echoed.StatusCode);
            Assert.Equal(large, await echoed.Content.ReadAsByteArrayAsync());
        }
        using (var failed = await actor.FetchAsync("/throw"))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
            // RivetKit 2.3.19's answer; a .NET actor answers the same (HostBehaviourTests.Raw).
            var error = JsonDocument.Parse(await failed.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("rivetkit.internal_error", error.GetProperty("group").GetString() + "." + error.GetProperty("code").GetString());
            Assert.Equal("An internal error occurred", error.GetProperty("message").GetString());
            Assert.Equal(await actor.ResolveAsync(), error.GetProperty("actor").GetProperty("actorId").GetString());
        }
        using (var missing = await actor.FetchAsync("/nothing"))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            // RivetKit's raw responses name the actor; ours do the same (HostBehaviourTests.RawConnections).
            Assert.Equal(await actor.ResolveAsync(), Assert.Single(missing.Headers.GetValues("x-rivet-actor")));
            Assert.Equal("1", Assert.Single(missing.Headers.GetValues("x-rivet-actor-generation")));
        }
        // Connection params: RivetKit makes the request's connection from them, its onBeforeConnect may refuse.
        using (var withParams = await actor.FetchAsync(new HttpRequestMessage(HttpMethod.Get, "/conn"), """{"token":"let-me-in","x":1}"""u8.ToArray()))
        {
            var conn = JsonDocument.Parse(await withParams.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("""{"token":"let-me-in","x":1}""", conn.GetProperty("params").GetRawText());
        }
        using (var refusedRequest = await actor.FetchAsync(new HttpRequestMessage(HttpMethod.Get, "/conn"), """{"token":"bad"}"""u8.ToArray()))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, refusedRequest.StatusCode);
            var error = JsonDocument.Parse(await refusedRequest.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("user.invalid_token", error.GetProperty("group").GetString() + "." + error.GetProperty("code").GetString());
        }

        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var socket = await actor.WebSocketAsync("/chat", bound.Token);
        Assert.Equal("welcome from ts", await ReceiveTextAsync(socket, bound.Token));
        await socket.SendAsync("héllo"u8.ToArray(), WebSocketMessageType.Text, true, bound.Token);
        Assert.Equal("héllo from ts", await ReceiveTextAsync(socket, bound.Token));
        var binary = new byte[] { 0, 1, 2, 254, 255 };
        await socket.SendAsync(binary, WebSocketMessageType.Binary, true, bound.Token);
        var buffer = new byte[1024];
        var received = await socket.ReceiveAsync(buffer, bound.Token);
        Assert.Equal(WebSocketMessageType.Binary, received.MessageType);
        Assert.Equal(binary, buffer[..received.Count]);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", bound.Token);

        using (var paramSocket = await actor.WebSocketAsync("/conn", """{"token":"let-me-in"}"""u8.ToArray(), bound.Token))
        {
            Assert.Equal("""{"params":{"token":"let-me-in"}}""", await ReceiveTextAsync(paramSocket, bound.Token));
        }
        using (var refusedSocket = await actor.WebSocketAsync("/conn", """{"token":"bad"}"""u8.ToArray(), bound.Token))
        {
            var closed = await refusedSocket.ReceiveAsync(new byte[1024], bound.Token);
            Assert.Equal(WebSocketMessageType.Close, closed.MessageType);
            Assert.Equal((WebSocketCloseStatus.InternalServerError, "user.invalid_token"), (refusedSocket.CloseStatus, refusedSocket.CloseStatusDescription));
        }

        var url = await actor.GetGatewayUrlAsync();
        Assert.Equal($"{fixture.Endpoint.ToString().TrimEnd('/')}/gateway/{await actor.ResolveAsync()}", url.ToString());
        using var plain = new HttpClient();
        Assert.Equal("hello ?curl=1 from ts", await plain.GetStringAsync(url + "/request/hello?curl=1"));
    }

    [Fact]
    public async Task Our_clients_websocket_to_a_typescript_actor_with_canHibernateWebSocket_stays_open_while_it_sleeps()
    {
        await using var client = RivetClient.Create(fixture.ClientOptions(RivetEncoding.Json));
        var actor = client.GetOrCreate("tsNapper", ["raw-hib-" + Guid.NewGuid().ToString("N")]);
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var socket = await actor.WebSocketAsync("/nap", bound.Token);
        await socket.SendAsync("one"u8.ToArray(), WebSocketMessageType.Text, true, bound.Token);
        Assert.Equal("one #1 run 1", await ReceiveTextAsync(socket, bound.Token));

        // The engine puts the actor to sleep with the socket open (RivetKit 2.3.19 did not idle-sleep it within 30 s).
        var actorId = await actor.ResolveAsync(bound.Token);
        using var api = fixture.CreateApi();
        await api.SleepActorAsync(actorId, bound.Token);
        await Poll.UntilAsync(async () => (await api.GetActorAsync(actorId, bound.Token)) is { SleepTs: not null, ConnectableTs: null },
            TimeSpan.FromSeconds(30), () => $"the engine to report actor {actorId} asleep and not connectable");

        // Our socket stays open; a message wakes the actor (a new run: its vars start over), its state kept. RivetKit
        // reports the sleep before its old run has stopped, and a message in between is still answered by that run:
        // each probe waits for its answer, every answer continues the count, until one comes from the new run.
        var sent = 1;
        var reply = "";
        await Poll.UntilAsync(async () =>
        {
            sent++;
            await socket.SendAsync("probe"u8.ToArray(), WebSocketMessageType.Text, true, bound.Token);
            reply = await ReceiveTextAsync(socket, bound.Token);
            Assert.StartsWith($"probe #{sent} run ", reply);
            return reply == $"probe #{sent} run 1";
        }, TimeSpan.FromSeconds(30), () => $"a message to tsNapper {actorId} answered by its new run after the sleep (last answer: '{reply}')");
        var binary = new byte[] { 9, 0, 255 };
        await socket.SendAsync(binary, WebSocketMessageType.Binary, true, bound.Token);
        var buffer = new byte[1024];
        var received = await socket.ReceiveAsync(buffer, bound.Token);
        Assert.Equal(WebSocketMessageType.Binary, received.MessageType);
        Assert.Equal(binary, buffer[..received.Count]);
        Assert.Equal((sent + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            Encoding.UTF8.GetString((await actor.InvokeRawAsync("getHits", "[]"u8.ToArray(), bound.Token)).Span));
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", bound.Token);
    }

    private static async Task<string> ReceiveTextAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        var received = await socket.ReceiveAsync(buffer, cancellationToken);
        Assert.Equal(WebSocketMessageType.Text, received.MessageType);
        Assert.True(received.EndOfMessage);
        return Encoding.UTF8.GetString(buffer, 0, received.Count);
    }
}
