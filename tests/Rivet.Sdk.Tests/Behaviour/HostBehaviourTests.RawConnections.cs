using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Sdk.Tests.Behaviour;
using Rivet.Sdk.Tests.ClientConnections;

namespace Rivet.Sdk.Tests.Serverless;

// Issue 12, the rest of the raw HTTP side: the connection RivetKit makes for a raw request or socket (conn params,
// OnBeforeConnectAsync, Caller), the raw body limit, the headers naming the actor, and half-closed or stubborn sockets.
public abstract partial class HostBehaviourTests
{
    private static readonly TimeSpan RawPatience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Raw_requests_get_a_connection_from_their_params_which_OnBeforeConnect_may_refuse()
    {
        var actor = Client.RawCaller.GetOrCreate(NewKey());
        using (var anonymous = await actor.Handle.FetchAsync("/whoami"))
        {
            Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);
            // The connection exists while the request runs, and only then.
            Assert.Equal("anonymous (1 open)", await anonymous.Content.ReadAsStringAsync());
            // As a RivetKit actor's raw responses (RawInteropTests), ours name the actor.
            Assert.Equal(await actor.Handle.ResolveAsync(), Assert.Single(anonymous.Headers.GetValues("x-rivet-actor")));
        }
        using (var http = actor.Handle.CreateHttpClient("""{"Name":"ada"}"""u8.ToArray()))
        {
            Assert.Equal("ada (1 open)", await http.GetStringAsync("/whoami"));
        }
        using (var refused = await actor.Handle.FetchAsync(new HttpRequestMessage(HttpMethod.Get, "/whoami"), """{"Name":"eve","Token":"bad"}"""u8.ToArray()))
        {
            // RivetKit 2.3.19's answer to a refused raw request: 500 with the hook's error.
            Assert.Equal(HttpStatusCode.InternalServerError, refused.StatusCode);
            var error = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("user.forbidden", error.GetProperty("group").GetString() + "." + error.GetProperty("code").GetString());
            Assert.Equal("Token of eve rejected", error.GetProperty("message").GetString());
        }
        var counts = await actor.Counts();
        Assert.Equal((2, 2), (counts.Connects, counts.Disconnects));
        Assert.Equal(0, await actor.OpenConnections());
    }

    [Fact]
    public async Task Raw_sockets_get_a_connection_their_handler_sees_in_and_out_of_its_turn()
    {
        var actor = Client.RawCaller.GetOrCreate(NewKey());
        using var bound = new CancellationTokenSource(RawPatience);
        using (var socket = await actor.Handle.WebSocketAsync("/whoami", """{"Name":"ada"}"""u8.ToArray(), bound.Token))
        {
            Assert.Equal("ada/ada", await ReceiveRawTextAsync(socket, bound.Token));
            Assert.Equal(1, await actor.OpenConnections());
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", bound.Token);
        }
        using (var refused = await actor.Handle.WebSocketAsync("/whoami", """{"Name":"eve","Token":"bad"}"""u8.ToArray(), bound.Token))
        {
            // As RivetKit: the socket opens, and is closed at once with 1011 and the hook's error id.
            var closed = await refused.ReceiveAsync(new byte[1024], bound.Token);
            Assert.Equal(WebSocketMessageType.Close, closed.MessageType);
            Assert.Equal(WebSocketCloseStatus.InternalServerError, refused.CloseStatus);
            Assert.Equal("user.forbidden", refused.CloseStatusDescription);
        }
        await WaitForCountsAsync(() => actor.Counts(), c => c.Disconnects == 1 && c.SocketsEnded == 1, "the /whoami socket's connection to disconnect");
        Assert.Equal(0, await actor.OpenConnections());
    }

    [Fact]
    public async Task Raw_request_bodies_above_the_action_limit_reach_the_handler_and_above_20_MiB_answer_413()
    {
        var actor = Client.RawCaller.GetOrCreate(NewKey());
        using var http = actor.Handle.CreateHttpClient();
        // 5 MiB: over the 4 MiB of action bodies, well within the 20 MiB the engine's gateway and RivetKit take.
        Assert.Equal("5242880", await (await http.PostAsync("/length", new ByteArrayContent(new byte[5 * 1024 * 1024]))).Content.ReadAsStringAsync());

        using var tooLarge = await http.PostAsync("/length", new ByteArrayContent(new byte[Actor.MaxRawRequestBody + 1]));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        var text = await tooLarge.Content.ReadAsStringAsync();
        // Through the engine its gateway refuses first (guard.invalid_request_body); in-process the SDK does.
        Assert.Contains(IsEngineHost ? "length limit exceeded" : $"limit is {Actor.MaxRawRequestBody} bytes", text);
        // Refused before the actor: only the 5 MiB request got a connection.
        Assert.Equal(1, (await actor.Counts()).Connects);
    }

    [Fact]
    public async Task Half_closed_raw_sockets_end_cleanly_either_way()
    {
        var actor = Client.RawCaller.GetOrCreate(NewKey());
        using var bound = new CancellationTokenSource(RawPatience);

        // The client closes first; the handler still writes, then closes: the client's close completes either way.
        using (var late = await actor.Handle.WebSocketAsync("/late", bound.Token))
        {
            await late.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "client done", bound.Token);
            await DrainUntilClosedAsync(late, bound.Token);
            Assert.Equal(WebSocketState.Closed, late.State);
        }
        // The actor closes first; the client still sends (which must not reach a stopped handler or fail the actor).
        using (var first = await actor.Handle.WebSocketAsync("/closefirst", bound.Token))
        {
            var closed = await first.ReceiveAsync(new byte[1024], bound.Token);
            Assert.Equal(WebSocketMessageType.Close, closed.MessageType);
            Assert.Equal("server done", first.CloseStatusDescription);
            try
            {
                await first.SendAsync("still here"u8.ToArray(), WebSocketMessageType.Text, true, bound.Token);
                await first.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "ok", bound.Token);
            }
            catch (WebSocketException)
            {
                // The transport ended the socket once both sides were closed: as good as an answer.
            }
        }
        await WaitForCountsAsync(() => actor.Counts(), c => c.SocketsEnded == 2 && c.Disconnects == 2, "both half-closed sockets' handlers to end");
    }

    [Fact]
    public async Task A_raw_socket_whose_handler_never_returns_does_not_keep_its_actor_from_sleeping()
    {
        var actor = Client.RawCaller.GetOrCreate(NewKey());
        using var bound = new CancellationTokenSource(RawPatience);
        using var socket = await actor.Handle.WebSocketAsync("/stubborn", bound.Token);
        Assert.Equal(1, await actor.OpenConnections());
        await actor.Nap();
        // The socket is closed on the stop (1001), whatever the handler does, and the actor wakes for the next call.
        await DrainUntilClosedAsync(socket, bound.Token);
        Assert.Contains(socket.CloseStatus, new WebSocketCloseStatus?[] { WebSocketCloseStatus.EndpointUnavailable, WebSocketCloseStatus.NormalClosure });
        Assert.Equal(0, await CallUntilOkAsync(() => actor.OpenConnections()));
    }

    [Fact]
    public async Task A_client_that_never_reads_a_raw_socket_does_not_stall_the_actor()
    {
        var actor = Client.RawCaller.GetOrCreate(NewKey());
        using var bound = new CancellationTokenSource(RawPatience);
        using var socket = await actor.Handle.WebSocketAsync("/flood", bound.Token);
        // The handler writes 8 MiB nobody reads; actions keep being answered meanwhile (the handler is outside the turn).
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(0, (await actor.Counts()).SocketsEnded);
        }
        // A stop closes the stalled socket (what was written and not read is dropped with it); the actor wakes again.
        await actor.Nap();
        await DrainUntilClosedAsync(socket, bound.Token);
        Assert.Equal(0, await CallUntilOkAsync(() => actor.OpenConnections()));
    }

    private static async Task DrainUntilClosedAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (socket.State is WebSocketState.Open or WebSocketState.CloseSent)
            {
                if ((await socket.ReceiveAsync(buffer, cancellationToken)).MessageType == WebSocketMessageType.Close)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The raw socket was not closed within {RawPatience.TotalSeconds} s.");
        }
    }

    /// <summary>Polls the actor's counts (<see cref="Poll.UntilAsync(Func{Task{bool}}, TimeSpan, Func{string})"/>); a timeout names the last ones.</summary>
    private static Task WaitForCountsAsync(Func<Task<RawCallerState>> read, Func<RawCallerState, bool> condition, string what)
    {
        RawCallerState? counts = null;
        return Poll.UntilAsync(async () => condition(counts = await read()), RawPatience,
            () => $"{what}; counts: connects {counts?.Connects}, disconnects {counts?.Disconnects}, sockets ended {counts?.SocketsEnded}");
    }

    private static async Task<string> ReceiveRawTextAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        var received = await socket.ReceiveAsync(buffer, cancellationToken);
        Assert.Equal(WebSocketMessageType.Text, received.MessageType);
        return Encoding.UTF8.GetString(buffer, 0, received.Count);
    }
}
