using System;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Sdk.Tests.Behaviour;

namespace Rivet.Sdk.Tests.Serverless;

// Issue 12, tried as a newcomer: a client that gives up on a raw request, an actor destroyed under an open
// hibernatable socket, an open cancelled before it starts. None may hang, on any host.
public abstract partial class HostBehaviourTests
{
    [Fact]
    public async Task A_raw_request_its_client_gives_up_on_ends_its_handler_and_the_actor_answers_again()
    {
        var key = NewKey();
        // In-process the client's going away reaches the handler; engine 2.3.19's gateway does not tell the runner
        // (no request abort arrives), so there the handler runs until its ActionTimeout (2 s here; 5 min in-process,
        // so only the client can end it within the wait).
        var actor = IsEngineHost ? Client.RawPatient.GetOrCreate([key, "2"]) : Client.RawPatient.GetOrCreate(key);
        Assert.Equal(0, await actor.GetHits());
        using var giveUp = new CancellationTokenSource();
        var pending = actor.Handle.FetchAsync("/wait", giveUp.Token);
        await Probe.WaitForAsync(key, "request:started", Patience);
        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);

        await Probe.WaitForAsync(key, "request:cancelled", Patience);
        Assert.Equal(0, await actor.GetHits().WaitAsync(Patience));
    }

    [Fact]
    public async Task Destroying_an_actor_closes_its_open_hibernatable_raw_socket()
    {
        var actor = Client.RawPatient.GetOrCreate(NewKey());
        using var bound = new CancellationTokenSource(Patience);
        using var plain = await actor.Handle.WebSocketAsync("/plain", bound.Token); // one that cannot hibernate, beside it
        Assert.Equal("open", await ReceiveTextAsync(plain, bound.Token));
        using var socket = await actor.Handle.WebSocketAsync("/feed", bound.Token);
        Assert.Equal("open", await ReceiveTextAsync(socket, bound.Token));

        await actor.Remove();
        var closed = socket.ReceiveAsync(new byte[64], CancellationToken.None);
        if (await Task.WhenAny(closed, Task.Delay(Patience)) != closed)
        {
            socket.Abort();
            throw new TimeoutException($"The hibernatable raw socket was not closed within {Patience.TotalSeconds} s after its actor was destroyed.");
        }
        Assert.Equal(WebSocketMessageType.Close, (await closed).MessageType);
        Assert.Equal((WebSocketCloseStatus.NormalClosure, "actor.destroyed"), (socket.CloseStatus, socket.CloseStatusDescription));
    }

    [Fact]
    public async Task A_raw_socket_message_over_the_limit_from_the_handler_closes_the_socket_with_1009_naming_it()
    {
        var actor = Client.RawPatient.GetOrCreate(NewKey());
        using var bound = new CancellationTokenSource(Patience);
        using var socket = await actor.Handle.WebSocketAsync("/feed", bound.Token);
        Assert.Equal("open", await ReceiveTextAsync(socket, bound.Token));

        await socket.SendAsync("big"u8.ToArray(), WebSocketMessageType.Text, true, bound.Token);
        var buffer = new byte[64 * 1024];
        WebSocketReceiveResult received;
        do
        {
            received = await socket.ReceiveAsync(buffer, bound.Token); // fragments of the message may come first
        }
        while (received.MessageType != WebSocketMessageType.Close);
        Assert.Equal((WebSocketCloseStatus.MessageTooBig, "message.outgoing_too_long"), (socket.CloseStatus, socket.CloseStatusDescription));
        Assert.Equal(0, await actor.GetHits().WaitAsync(Patience));
    }

    [Fact]
    public async Task A_raw_socket_opened_with_a_cancelled_token_opens_nothing()
    {
        var actor = Client.RawPatient.GetOrCreate(NewKey());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => actor.Handle.WebSocketAsync("/feed", new CancellationToken(canceled: true)));
    }
}
