using System;
using System.Linq;
using System.Net.WebSockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Sdk.Tests.Behaviour;

namespace Rivet.Sdk.Tests.Serverless;

// Issue 12: hibernatable raw WebSockets (Actor.CanHibernateWebSocket, RivetKit's canHibernateWebSocket). The
// non-hibernatable case (closed 1001 when the actor sleeps) is A_raw_websocket_is_closed_when_its_actor_sleeps_….
public abstract partial class HostBehaviourTests
{
    [Fact]
    public async Task A_hibernatable_raw_websocket_stays_open_while_its_actor_sleeps_and_its_handler_gets_it_back_on_wake()
    {
        var key = NewKey();
        var actor = Client.RawNapper.GetOrCreate(key);
        using var bound = new CancellationTokenSource(Patience);
        using var socket = await actor.Handle.WebSocketAsync("/hib/chat?room=3", bound.Token);
        Assert.Equal("welcome /hib/chat?room=3", await ReceiveTextAsync(socket, bound.Token));
        await socket.SendAsync("one"u8.ToArray(), WebSocketMessageType.Text, true, bound.Token);
        // On a busy machine the 1 s idle timeout can pass between the welcome and "one": the actor slept already, and
        // "one" woke it (restored). Either way it sleeps once more after "one", and "two" wakes it again.
        var one = await ReceiveTextAsync(socket, bound.Token);
        Assert.True(one is "one #1" or "one #1 restored", "expected \"one #1\" (or restored), got: " + one);

        // The open socket does not keep the actor awake: it sleeps after its 1 s idle timeout.
        await Probe.WaitForAsync(key, "sleep", one.EndsWith(" restored", StringComparison.Ordinal) ? 2 : 1, Patience);

        // The client's next message wakes the actor; its handler gets the socket back (restored), the state kept.
        await socket.SendAsync("two"u8.ToArray(), WebSocketMessageType.Text, true, bound.Token);
        Assert.Equal("two #2 restored", await ReceiveTextAsync(socket, bound.Token));
        var binary = new byte[20 * 1024];
        new Random(3).NextBytes(binary);
        await socket.SendAsync(binary, WebSocketMessageType.Binary, true, bound.Token);
        var (echo, type) = await ReceiveAsync(socket, bound.Token);
        Assert.Equal(WebSocketMessageType.Binary, type);
        Assert.Equal(binary, echo);
        Assert.Equal(3, await actor.GetHits());

        var entries = Probe.Entries(key).ToList();
        var slept = entries.IndexOf("sleep");
        var woke = entries.IndexOf("wake", slept);
        Assert.True(entries.IndexOf("socket:opened") < slept && slept < woke && woke < entries.IndexOf("socket:restored"),
            "expected the socket opened, sleep, wake, then the socket restored: " + string.Join(", ", entries));

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", bound.Token);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, socket.CloseStatus);
    }

    [Fact]
    public async Task A_hibernatable_raw_websocket_message_whose_state_change_is_durable_is_not_handled_again_after_the_sleep_that_interrupted_its_handler()
    {
        var key = NewKey();
        var actor = Client.RawNapper.GetOrCreate(key);
        using var bound = new CancellationTokenSource(Patience);
        using var socket = await actor.Handle.WebSocketAsync("/hib/held", bound.Token);
        Assert.Equal("welcome /hib/held", await ReceiveTextAsync(socket, bound.Token));

        // The handler counts "hold" (durably), then still holds it when the actor sleeps: it never asks for the next
        // message. Delivered again after the wake, it would be counted twice (the restored handler answers it).
        await socket.SendAsync("hold"u8.ToArray(), WebSocketMessageType.Text, true, bound.Token);
        await Probe.WaitForAsync(key, "held", Patience);
        await Probe.WaitForAsync(key, "sleep", Patience);

        await socket.SendAsync("two"u8.ToArray(), WebSocketMessageType.Text, true, bound.Token);
        Assert.Equal("two #2 restored", await ReceiveTextAsync(socket, bound.Token));
        Assert.Equal(2, await actor.GetHits());

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", bound.Token);
    }
}
