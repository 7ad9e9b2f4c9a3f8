using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging.Abstractions;
using Rivet.Hosting.Runner;
using Rivet.Protocol.Client;
using Rivet.Protocol.Envoy;
using Rivet.Runtime;
using Rivet.Storage;
using Rivet.Sdk.Tests.Runtime;
using Rivet.Sdk.Tests.ClientConnections;

namespace Rivet.Sdk.Tests.ActorConnect;

/// <summary>
/// The runner's tunnelled <c>/connect</c> sockets without an engine: what goes to the gateway (indexes, acks,
/// closes) for client messages, duplicates, gaps, a sleep and the wake that restores the sockets.
/// </summary>
public sealed class RunnerConnectSocketsTests : IAsyncLifetime
{
    private static readonly ActorDefinition Room = Definition<ConnectRoom>();
    private static readonly byte[] Gateway = [1, 2, 3, 4];

    private readonly InMemoryActorStorage _storage = new();
    private readonly RivetClient _client = RivetClient.Create();
    private readonly Lock _lock = new();
    private readonly List<ToRivetTunnelMessage> _sent = [];
    private RunnerConnectSockets _sockets;
    private ActorInstance _actor = null!;

    public RunnerConnectSocketsTests() => _sockets = NewSockets();

    private RunnerConnectSockets NewSockets(TimeSpan? ackCoalescing = null) => new(async message =>
    {
        if (_stall is { } stall)
        {
            _stallReached.TrySetResult();
            await stall.Task; // the engine connection takes nothing
        }
        if (!_engineConnected)
        {
            return false;
        }
        lock (_lock)
        {
            _sent.Add(message);
        }
        return true;
    }, NullLogger.Instance, ackCoalescing: ackCoalescing);

    private volatile bool _engineConnected = true;
    private volatile TaskCompletionSource? _stall;
    private readonly TaskCompletionSource _stallReached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task InitializeAsync() => _actor = await StartActorAsync();

    public async Task DisposeAsync()
    {
        _sockets.AbandonAll();
        await _actor.DisposeAsync();
        await _client.DisposeAsync();
        await _storage.DisposeAsync();
    }

    private static ActorDefinition Definition<TActor>() where TActor : IGeneratedActor => TActor.Definition;

    private Task<ActorInstance> StartActorAsync(Func<ActorInstance, Task>? beforeWake = null, IActorStorage? storage = null) =>
        ActorInstance.StartAsync(Room, "actor-1", "room", ReadOnlyMemory<byte>.Empty,
            (storage ?? _storage).ForActor("actor-1"), NullLoggerFactory.Instance, _client, Rivet.Runtime.Lifecycle.DetachedHostControl.Instance, CancellationToken.None, beforeWake);

    private static byte[] RequestId(byte n) => [n, 0, 0, 9];

    private static MessageId Id(byte request, ushort index) => new() { GatewayId = Gateway, RequestId = RequestId(request), MessageIndex = index };

    private static ToEnvoyWebSocketOpen OpenMessage(string path = "/connect?x=1", string protocols = "rivet, rivet_encoding.json") => new()
    {
        ActorId = "actor-1",
        Path = path,
        Headers = new Dictionary<string, string> { ["sec-websocket-protocol"] = protocols },
    };

    private void Send(byte request, ushort index, ConnectToServer message) =>
        _sockets.Receive(Id(request, index), new ToEnvoyWebSocketMessage { Data = ConnectCodec.Encode(ClientEncodingKind.Json, message), Binary = false });

    /// <summary>The messages sent for one socket so far, waiting (generously) until there are at least <paramref name="count"/>.</summary>
    private async Task<List<ToRivetTunnelMessage>> SentAsync(byte request, int count)
    {
        List<ToRivetTunnelMessage> sent = [];
        await Poll.UntilAsync(() =>
        {
            lock (_lock)
            {
                sent = _sent.Where(m => m.MessageId.RequestId.AsSpan().SequenceEqual(RequestId(request))).ToList();
            }
            return sent.Count >= count;
        }, TimeSpan.FromSeconds(30), () => $"{count} messages for socket {request}, got {sent.Count}: {string.Join(", ", sent.Select(Describe))}");
        return sent;
    }

    private static string Describe(ToRivetTunnelMessage m) => m.MessageKind switch
    {
        ToRivetWebSocketOpen open => $"{m.MessageId.MessageIndex}:Open({open.CanHibernate})",
        ToRivetWebSocketMessage message => $"{m.MessageId.MessageIndex}:{Encoding.UTF8.GetString(message.Data)}",
        ToRivetWebSocketMessageAck ack => $"{m.MessageId.MessageIndex}:Ack({ack.Index})",
        ToRivetWebSocketClose close => $"{m.MessageId.MessageIndex}:Close({close.Code} {close.Reason} {close.Hibernate})",
        var other => other.GetType().Name,
    };

    private async Task<string[]> SentDescriptionsAsync(byte request, int count) => (await SentAsync(request, count)).Select(Describe).ToArray();

    private async Task<string> OpenAsync(byte request)
    {
        _sockets.Open(Id(request, 0), OpenMessage(), _actor);
        var sent = await SentAsync(request, 2);
        Assert.Equal("0:Open(True)", Describe(sent[0]));
        var init = Assert.IsType<ConnectInit>(ConnectCodec.DecodeToClient(ClientEncodingKind.Json, ((ToRivetWebSocketMessage)sent[1].MessageKind).Data));
        Assert.Equal(1, sent[1].MessageId.MessageIndex);
        return init.ConnectionId;
    }

    private async Task<ConnectRoomState> StatsAsync() =>
        JsonSerializer.Deserialize<ConnectRoomState>(await _actor.InvokeAsync("stats", "[]"u8.ToArray(), CancellationToken.None), new JsonSerializerOptions(JsonSerializerDefaults.Web))!;

    [Fact]
    public async Task Messages_are_answered_and_acknowledged_in_order_duplicates_acknowledged_not_run_and_a_gap_closes()
    {
        var connectionId = await OpenAsync(1);

        Send(1, 1, new ConnectActionRequest(0, "increment", "[2]"u8.ToArray()));
        Assert.Equal(["2:{\"body\":{\"tag\":\"ActionResponse\",\"val\":{\"id\":[\"$BigInt\",\"0\"],\"output\":2}}}", "1:Ack(1)"], (await SentDescriptionsAsync(1, 4))[2..]);
        // The acknowledged index is kept in memory (no KV write per message): the record still has the open's.
        var record = Assert.Single(await _actor.LoadHibernatedConnectionsAsync(CancellationToken.None));
        Assert.Equal((connectionId, (ushort)0), (record.Id, record.HibernationTicket!.ClientMessageIndex));

        Send(1, 1, new ConnectActionRequest(0, "increment", "[2]"u8.ToArray())); // delivered again: not run, acknowledged again
        Send(1, 2, new ConnectActionRequest(1, "getCount", "[]"u8.ToArray()));
        Assert.Equal(["1:Ack(1)", "3:{\"body\":{\"tag\":\"ActionResponse\",\"val\":{\"id\":[\"$BigInt\",\"1\"],\"output\":2}}}", "2:Ack(2)"], (await SentDescriptionsAsync(1, 7))[4..]);

        // The next state save carries the acknowledged index in the same put.
        await _actor.InvokeAsync("increment", "[1]"u8.ToArray(), CancellationToken.None);
        Assert.Equal(2, Assert.Single(await _actor.LoadHibernatedConnectionsAsync(CancellationToken.None)).HibernationTicket!.ClientMessageIndex);

        Send(1, 4, new ConnectActionRequest(2, "getCount", "[]"u8.ToArray())); // 3 is missing
        Assert.Equal("0:Close(1008 ws.message_index_skip False)", (await SentDescriptionsAsync(1, 8))[7]);
        Assert.Equal(0, _sockets.Count);
        Assert.Equal(1, (await StatsAsync()).Disconnects);
        Assert.Empty(await _actor.LoadHibernatedConnectionsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task After_a_sleep_the_wake_restores_the_kept_socket_closes_unknown_ones_and_drops_the_rest()
    {
        var kept = await OpenAsync(1);
        await OpenAsync(2); // the gateway will no longer hold this one
        Send(1, 1, new ConnectSubscriptionRequest("newCount", true));
        Assert.Equal("1:Ack(1)", (await SentDescriptionsAsync(1, 3))[2]); // before the next: one ack may cover several
        Send(1, 2, new ConnectActionRequest(0, "increment", "[5]"u8.ToArray()));
        Assert.Equal("2:Ack(2)", (await SentDescriptionsAsync(1, 6))[5]);

        // Sleep, in the runner's order: the sockets stop acknowledging (they are not closed), the actor stops and
        // writes the acknowledged indexes.
        await _sockets.SuspendAsync("actor-1");
        await _actor.StopAsync(Rivet.Runtime.Lifecycle.ActorStopReason.Sleep, CancellationToken.None);
        _sockets.AbandonAll("actor-1");
        Assert.DoesNotContain(await SentDescriptionsAsync(1, 6), d => d.Contains("Close", StringComparison.Ordinal));

        RunnerConnectSockets.Restoration? restoration = null;
        _actor = await StartActorAsync(async starting => restoration = await _sockets.AttachHibernatedAsync(starting, [
            new HibernatingRequest { GatewayId = Gateway, RequestId = RequestId(1) },
            new HibernatingRequest { GatewayId = Gateway, RequestId = RequestId(3) },
        ]));
        Assert.Equal(1, (await StatsAsync()).ConnectionsOnWake); // OnWake saw the restored connection
        await _sockets.FinishRestoreAsync(_actor, restoration!);

        Assert.Equal("0:Open(True)", (await SentDescriptionsAsync(1, 7))[6]);
        Assert.Equal(["0:Close(1000 ws.meta_not_found_during_restore False)"], await SentDescriptionsAsync(3, 1));
        var restored = Assert.Single(await _actor.LoadHibernatedConnectionsAsync(CancellationToken.None));
        Assert.Equal(kept, restored.Id);

        Send(1, 2, new ConnectActionRequest(0, "increment", "[5]"u8.ToArray())); // re-delivered after the wake: not run, acknowledged again
        Send(1, 3, new ConnectActionRequest(1, "increment", "[1]"u8.ToArray()));
        // Same connection, no new Init, the subscription kept, outgoing indexes restarted for the new generation.
        Assert.Equal([
            "2:Ack(2)",
            "1:{\"body\":{\"tag\":\"Event\",\"val\":{\"name\":\"newCount\",\"args\":[6]}}}",
            "2:{\"body\":{\"tag\":\"ActionResponse\",\"val\":{\"id\":[\"$BigInt\",\"1\"],\"output\":6}}}",
            "3:Ack(3)",
        ], (await SentDescriptionsAsync(1, 11))[7..]);
        var stats = await StatsAsync();
        Assert.Equal((6, 2, 1), (stats.Count, stats.Connects, stats.Disconnects)); // socket 2 was dropped: OnDisconnect ran
    }

    [Fact]
    public async Task Acknowledgements_are_cumulative_in_order_and_reach_the_last_message()
    {
        await OpenAsync(1);
        const int messages = 20;
        for (ushort i = 1; i <= messages; i++)
        {
            Send(1, i, new ConnectActionRequest(i, "increment", "[1]"u8.ToArray()));
        }
        List<ToRivetTunnelMessage> sent = [];
        await Poll.UntilAsync(async () => (sent = await SentAsync(1, 2)).Any(m => m.MessageKind is ToRivetWebSocketMessageAck { Index: messages }),
            TimeSpan.FromSeconds(30), () => $"the ack of message {messages}; sent: {string.Join(", ", sent.Select(Describe))}");
        // The gateway's ack drops every pending message up to its index: one ack covers the messages handled by then,
        // so there may be fewer acks than messages, but they only go up and the last one is the last message's.
        var acks = sent.Select(m => m.MessageKind).OfType<ToRivetWebSocketMessageAck>().Select(a => (int)a.Index).ToList();
        Assert.Equal(acks.Order().Distinct(), acks);
        Assert.Equal(messages, acks[^1]);
        Assert.InRange(acks.Count, 1, messages);
        // Every message was answered, in order, each ack after the answers it covers.
        var answers = sent.Where(m => m.MessageKind is ToRivetWebSocketMessage).Skip(1).Select(m => Encoding.UTF8.GetString(((ToRivetWebSocketMessage)m.MessageKind).Data)).ToList();
        Assert.Equal(Enumerable.Range(1, messages).Select(i => $"{{\"body\":{{\"tag\":\"ActionResponse\",\"val\":{{\"id\":[\"$BigInt\",\"{i}\"],\"output\":{i}}}}}}}"), answers);
        foreach (var ack in acks)
        {
            var ackAt = sent.FindIndex(m => m.MessageKind is ToRivetWebSocketMessageAck a && a.Index == ack);
            var answeredBefore = sent.Take(ackAt).Count(m => m.MessageKind is ToRivetWebSocketMessage) - 1; // the Init is no answer
            Assert.True(answeredBefore >= ack, $"ack {ack} went out after only {answeredBefore} answers");
        }
        Assert.Equal(messages, (await StatsAsync()).Count);
    }

    /// <summary>
    /// Sockets holding acks back for <paramref name="ackCoalescing"/>, on an actor whose saves the test holds: message 1
    /// (an increment) is saved, and while it is, the test's own increment is staged behind it, so the actor is still
    /// writing when message 1 is answered. Returns that second save, held.
    /// </summary>
    private async Task<GatedStorage.HeldPut> AnswerWhileTheActorWritesAsync(TimeSpan ackCoalescing, GatedStorage storage)
    {
        _sockets.AbandonAll();
        _sockets = NewSockets(ackCoalescing);
        await _actor.DisposeAsync();
        _actor = await StartActorAsync(storage: storage);
        await OpenAsync(1);

        storage.Hold = true;
        Send(1, 1, new ConnectActionRequest(0, "increment", "[1]"u8.ToArray()));
        var first = await storage.NextHeldAsync();
        _ = _actor.InvokeAsync("increment", "[1]"u8.ToArray(), CancellationToken.None);
        var room = (ConnectRoom)_actor.Actor;
        await Poll.UntilAsync(() => room.CountNow >= 2, TimeSpan.FromSeconds(30),
            () => "the second increment to run while the first one's save is held");
        first.Succeed();
        var second = await storage.NextHeldAsync();
        Assert.Equal("2:{\"body\":{\"tag\":\"ActionResponse\",\"val\":{\"id\":[\"$BigInt\",\"0\"],\"output\":1}}}", (await SentDescriptionsAsync(1, 3))[2]);
        return second;
    }

    [Fact]
    public async Task While_the_actor_writes_its_state_one_ack_covers_the_messages_answered_meanwhile()
    {
        var storage = new GatedStorage();
        var second = await AnswerWhileTheActorWritesAsync(TimeSpan.FromSeconds(60), storage);

        // Message 1 is answered, its ack held back (a save is in flight). A read waits for that save, and is answered
        // once it is durable; the actor is then idle, and one ack covers both messages.
        Send(1, 2, new ConnectActionRequest(1, "getCount", "[]"u8.ToArray()));
        second.Succeed();
        Assert.Equal([
            "3:{\"body\":{\"tag\":\"ActionResponse\",\"val\":{\"id\":[\"$BigInt\",\"1\"],\"output\":2}}}",
            "2:Ack(2)",
        ], (await SentDescriptionsAsync(1, 5))[3..]);
        storage.Hold = false;
    }

    [Fact]
    public async Task A_sleep_sends_the_held_ack_before_the_actor_stops()
    {
        var storage = new GatedStorage();
        var second = await AnswerWhileTheActorWritesAsync(TimeSpan.FromSeconds(60), storage);

        // The sockets stop acknowledging first at a sleep: what was answered is acknowledged then, not after the window.
        await _sockets.SuspendAsync("actor-1");
        Assert.Equal("1:Ack(1)", (await SentDescriptionsAsync(1, 4))[3]);
        storage.Hold = false;
        second.Succeed();
    }

    [Fact]
    public async Task A_held_ack_goes_out_after_the_coalescing_window_while_the_actor_still_writes()
    {
        var storage = new GatedStorage();
        var second = await AnswerWhileTheActorWritesAsync(TimeSpan.FromMilliseconds(200), storage);

        // The save stays held: the ack does not wait for it beyond the window.
        Assert.Equal("1:Ack(1)", (await SentDescriptionsAsync(1, 4))[3]);
        storage.Hold = false;
        second.Succeed();
    }

    [Fact]
    public async Task A_state_save_carries_the_compact_index_record_not_the_whole_connection_record()
    {
        var connectionId = await OpenAsync(1);
        var recordKey = Rivet.Storage.Persistence.KvKeys.Connection(connectionId);
        var indexKey = Rivet.Storage.Persistence.KvKeys.AckIndex(connectionId);
        var written = (await _actor.Kv.GetAsync([recordKey]))[0]!;
        Send(1, 1, new ConnectActionRequest(0, "increment", "[1]"u8.ToArray()));
        Assert.Equal("1:Ack(1)", (await SentDescriptionsAsync(1, 4))[3]);
        Send(1, 2, new ConnectActionRequest(1, "getCount", "[]"u8.ToArray()));
        Assert.Equal("2:Ack(2)", (await SentDescriptionsAsync(1, 6))[5]);

        // The next state save carries the indexes (client 2, server 3: Init and two answers) in 4 bytes; the record
        // with the connection's path and headers is not written again.
        await _actor.InvokeAsync("increment", "[1]"u8.ToArray(), CancellationToken.None);
        var values = await _actor.Kv.GetAsync([recordKey, indexKey]);
        Assert.Equal(Convert.ToHexString(written), Convert.ToHexString(values[0]!));
        Assert.Equal("02000300", Convert.ToHexString(values[1]!));
        var restored = Assert.Single(await _actor.LoadHibernatedConnectionsAsync(CancellationToken.None)).HibernationTicket!;
        Assert.Equal((2, 3), (restored.ClientMessageIndex, restored.ServerMessageIndex));
        // A record without one (written by an earlier version) restores with its own indexes.
        await _actor.Kv.DeleteAsync([indexKey]);
        Assert.Equal(0, Assert.Single(await _actor.LoadHibernatedConnectionsAsync(CancellationToken.None)).HibernationTicket!.ClientMessageIndex);
        await _actor.Kv.PutAsync([new KvEntry(indexKey, values[1]!)]);

        // Closed: both go.
        Send(1, 4, new ConnectActionRequest(2, "getCount", "[]"u8.ToArray())); // 3 is missing: the socket closes
        Assert.Equal("0:Close(1008 ws.message_index_skip False)", (await SentDescriptionsAsync(1, 7))[6]);
        Assert.Equal(1, (await StatsAsync()).Disconnects); // in the actor's turn, after the disconnect deleted both
        Assert.All(await _actor.Kv.GetAsync([recordKey, indexKey]), Assert.Null);
    }

    [Fact]
    public async Task A_long_action_is_acknowledged_after_the_deadline_before_it_answers()
    {
        ConnectRoom.Gate = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var connectionId = await OpenAsync(1);

        Send(1, 1, new ConnectActionRequest(0, "waitForGate", "[]"u8.ToArray()));
        // Acknowledged while the action still runs (RivetKit's 5 s deadline; the gateway would close the socket
        // after 30 s without an ack); the index is kept in memory.
        Assert.Equal("1:Ack(1)", (await SentDescriptionsAsync(1, 3))[2]);
        var record = Assert.Single(await _actor.LoadHibernatedConnectionsAsync(CancellationToken.None));
        Assert.Equal((connectionId, (ushort)0), (record.Id, record.HibernationTicket!.ClientMessageIndex));

        ConnectRoom.Gate.SetResult(42);
        Assert.Equal("2:{\"body\":{\"tag\":\"ActionResponse\",\"val\":{\"id\":[\"$BigInt\",\"0\"],\"output\":42}}}", (await SentDescriptionsAsync(1, 4))[3]);

        // At sleep the acknowledged index is written.
        await _sockets.SuspendAsync("actor-1");
        await _actor.StopAsync(Rivet.Runtime.Lifecycle.ActorStopReason.Sleep, CancellationToken.None);
        Assert.Equal(1, Assert.Single(await _actor.LoadHibernatedConnectionsAsync(CancellationToken.None)).HibernationTicket!.ClientMessageIndex);
    }

    [Fact]
    public async Task After_a_crash_a_restored_socket_accepts_a_first_message_ahead_of_the_persisted_index()
    {
        await OpenAsync(1);
        Send(1, 1, new ConnectActionRequest(0, "increment", "[1]"u8.ToArray()));
        Assert.Equal("1:Ack(1)", (await SentDescriptionsAsync(1, 4))[3]); // before the next: one ack may cover several
        Send(1, 2, new ConnectActionRequest(1, "getCount", "[]"u8.ToArray()));
        Assert.Equal("2:Ack(2)", (await SentDescriptionsAsync(1, 6))[5]);

        // A crash: no sleep, no stop, so the record keeps the index of the open while the gateway saw 1 and 2 acknowledged.
        await _actor.DisposeAsync();
        _sockets.AbandonAll("actor-1");
        RunnerConnectSockets.Restoration? restoration = null;
        _actor = await StartActorAsync(async starting => restoration = await _sockets.AttachHibernatedAsync(starting, [
            new HibernatingRequest { GatewayId = Gateway, RequestId = RequestId(1) },
        ]));
        Assert.Equal(0, Assert.Single(await _actor.LoadHibernatedConnectionsAsync(CancellationToken.None)).HibernationTicket!.ClientMessageIndex);
        await _sockets.FinishRestoreAsync(_actor, restoration!);

        // The gateway goes on with message 3: ahead of the persisted index, accepted (not a gap), run once.
        Send(1, 3, new ConnectActionRequest(2, "increment", "[1]"u8.ToArray()));
        Assert.Equal([
            "0:Open(True)",
            "1:{\"body\":{\"tag\":\"ActionResponse\",\"val\":{\"id\":[\"$BigInt\",\"2\"],\"output\":2}}}",
            "3:Ack(3)",
        ], (await SentDescriptionsAsync(1, 9))[6..]);
        // Later messages follow the usual rules: a gap closes the socket.
        Send(1, 5, new ConnectActionRequest(3, "getCount", "[]"u8.ToArray()));
        Assert.Equal("0:Close(1008 ws.message_index_skip False)", (await SentDescriptionsAsync(1, 10))[9]);
    }

    [Fact]
    public async Task A_message_refused_because_the_actor_stopped_is_not_acknowledged()
    {
        await OpenAsync(1);
        Send(1, 1, new ConnectActionRequest(0, "increment", "[1]"u8.ToArray()));
        Assert.Equal("1:Ack(1)", (await SentDescriptionsAsync(1, 4))[3]);

        await _actor.StopAsync(Rivet.Runtime.Lifecycle.ActorStopReason.Sleep, CancellationToken.None);
        Send(1, 2, new ConnectActionRequest(1, "increment", "[1]"u8.ToArray()));
        // Suspending waits for every acknowledgement still due and flushes them: none is for message 2, so the
        // gateway delivers it again after the wake, and the saved index stays at 1.
        await _sockets.SuspendAsync("actor-1");
        Assert.DoesNotContain("2:Ack(2)", await SentDescriptionsAsync(1, 4));
        Assert.Equal(1, Assert.Single(await _actor.LoadHibernatedConnectionsAsync(CancellationToken.None)).HibernationTicket!.ClientMessageIndex);
    }

    [Fact]
    public async Task An_event_that_does_not_reach_the_engine_closes_the_socket_once_the_engine_is_back()
    {
        await OpenAsync(1);
        Send(1, 1, new ConnectSubscriptionRequest("newCount", true));
        Assert.Equal("1:Ack(1)", (await SentDescriptionsAsync(1, 3))[2]);

        _engineConnected = false;
        await _actor.InvokeAsync("increment", "[1]"u8.ToArray(), CancellationToken.None); // its event is lost
        await Poll.UntilAsync(() => _sockets.Count == 0, TimeSpan.FromSeconds(30), () => "the socket to give up after its lost event");
        _engineConnected = true; // the close was held back until now

        Assert.Equal("0:Close(1011 connection.message_lost False)", (await SentDescriptionsAsync(1, 4))[3]);
        await WaitForDisconnectsAsync(1);
        Assert.Equal(0, _sockets.Count);
        Assert.Empty(await _actor.LoadHibernatedConnectionsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_socket_whose_queue_outgrows_the_bound_is_closed_and_its_backlog_dropped()
    {
        await OpenAsync(1);
        Send(1, 1, new ConnectSubscriptionRequest("newCount", true));
        Assert.Equal("1:Ack(1)", (await SentDescriptionsAsync(1, 3))[2]);

        _stall = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await _actor.InvokeAsync("increment", "[1]"u8.ToArray(), CancellationToken.None); // taken by the pump, which stalls on it
        // On a busy machine the pump may not have taken it yet; the rest must queue behind it, not beside it.
        Assert.True(await Task.WhenAny(_stallReached.Task, Task.Delay(TimeSpan.FromSeconds(30))) == _stallReached.Task,
            "waited 30 s for the socket's send pump to take the first event");
        for (var i = 0; i <= RunnerConnectSockets.MaxQueuedMessagesPerSocket; i++)
        {
            await _actor.InvokeAsync("increment", "[1]"u8.ToArray(), CancellationToken.None);
        }
        await WaitForDisconnectsAsync(1); // the actor lost the connection as soon as the bound was passed
        Assert.Equal(0, _sockets.Count);

        var stall = _stall;
        _stall = null;
        stall.SetResult();
        // The event the pump held goes out; the queued ones are dropped, and the close follows.
        Assert.Equal(["2:{\"body\":{\"tag\":\"Event\",\"val\":{\"name\":\"newCount\",\"args\":[1]}}}", "0:Close(1011 connection.send_queue_full False)"],
            (await SentDescriptionsAsync(1, 5))[3..]);
    }

    [Fact]
    public async Task A_message_for_a_socket_this_process_never_knew_closes_it_once_and_one_for_an_abandoned_socket_is_ignored()
    {
        // A socket of a previous process under this runner key (killed and restarted): closed at its first message, once.
        Send(7, 26, new ConnectSubscriptionRequest("newCount", true));
        Send(7, 27, new ConnectSubscriptionRequest("newCount", true));
        // A socket this process let go of (its actor slept): the gateway delivers the message again after the wake.
        await OpenAsync(1);
        _sockets.AbandonAll("actor-1");
        Send(1, 1, new ConnectSubscriptionRequest("newCount", true));
        // Unknown messages are handled on the receive loop, in order: once socket 8's close went out, anything the
        // messages above caused went out before it.
        Send(8, 3, new ConnectSubscriptionRequest("newCount", true));
        Assert.Equal(["0:Close(1011 ws.socket_not_found False)"], await SentDescriptionsAsync(8, 1));

        Assert.Equal(["0:Close(1011 ws.socket_not_found False)"], await SentDescriptionsAsync(7, 1));
        Assert.Equal(2, (await SentAsync(1, 2)).Count); // its open and Init only
    }

    [Fact]
    public async Task An_abandoned_socket_sends_nothing_it_still_had_queued()
    {
        await OpenAsync(1);
        Send(1, 1, new ConnectSubscriptionRequest("newCount", true));
        Assert.Equal("1:Ack(1)", (await SentDescriptionsAsync(1, 3))[2]);

        _stall = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await _actor.InvokeAsync("increment", "[1]"u8.ToArray(), CancellationToken.None); // taken by the pump, which stalls on it
        await _actor.InvokeAsync("increment", "[1]"u8.ToArray(), CancellationToken.None); // queued behind it
        await _actor.InvokeAsync("increment", "[1]"u8.ToArray(), CancellationToken.None);
        _sockets.AbandonAll(); // the engine connection is gone for good

        var stall = _stall;
        _stall = null;
        stall.SetResult();
        // Bounded check that at most the event already on its way (if the pump had taken it) goes out: the queued
        // events belong to a socket this runner forgot.
        for (var waited = 0; waited < 1_000; waited += 20)
        {
            await Task.Delay(20);
            lock (_lock)
            {
                Assert.InRange(_sent.Count(m => m.MessageId.RequestId.AsSpan().SequenceEqual(RequestId(1))), 3, 4);
            }
        }
    }

    [Fact]
    public async Task A_socket_let_go_after_a_sleep_still_sends_what_it_had_queued()
    {
        await OpenAsync(1);
        Send(1, 1, new ConnectSubscriptionRequest("newCount", true));
        Assert.Equal("1:Ack(1)", (await SentDescriptionsAsync(1, 3))[2]);

        _stall = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await _actor.InvokeAsync("increment", "[1]"u8.ToArray(), CancellationToken.None); // as OnSleep broadcasting
        await _actor.InvokeAsync("increment", "[1]"u8.ToArray(), CancellationToken.None);
        _sockets.AbandonAll("actor-1"); // the actor slept: the gateway keeps the socket

        var stall = _stall;
        _stall = null;
        stall.SetResult();
        Assert.Equal(5, (await SentAsync(1, 5)).Count);
    }

    private async Task WaitForDisconnectsAsync(int expected)
    {
        var seen = 0;
        await Poll.UntilAsync(async () => (seen = (await StatsAsync()).Disconnects) >= expected, TimeSpan.FromSeconds(30),
            () => $"{expected} OnDisconnect calls, saw {seen}");
    }

    [Fact]
    public async Task The_client_closing_is_echoed_and_runs_OnDisconnect_and_a_destroy_closes_the_sockets()
    {
        await OpenAsync(1);
        _sockets.ClientClosed(Id(1, 1), new ToEnvoyWebSocketClose { Code = 1000, Reason = "Disposed" });
        Assert.Equal("0:Close(1000 Disposed False)", (await SentDescriptionsAsync(1, 3))[2]);
        await WaitForDisconnectsAsync(1);
        Assert.Equal(1, (await StatsAsync()).Disconnects);

        await OpenAsync(2);
        _sockets.CloseAll("actor-1", "actor.destroyed");
        Assert.Equal("0:Close(1000 actor.destroyed False)", (await SentDescriptionsAsync(2, 3))[2]);
        Assert.Equal(0, _sockets.Count);
    }

    [Theory]
    // A raw /websocket path reaches the actor's raw socket (opened, then closed by an actor without OnWebSocketAsync
    // as its second message); refusals before any actor code runs close with the open's own index.
    [InlineData("/websocket/chat", "rivet", true, "1:Close(1011 actor.websocket_not_supported False)")]
    [InlineData("/other", "rivet", true, "0:Close(1011 actor.websocket_not_supported False)")]
    [InlineData("/connect", "rivet, rivet_encoding.xml", true, "0:Close(1011 actor.invalid_request False)")]
    [InlineData("/connect", "rivet", false, "0:Close(1011 envoy.actor_not_found False)")]
    public async Task Other_paths_unknown_encodings_and_absent_actors_are_refused(string path, string protocols, bool actorHere, string close)
    {
        _sockets.Open(Id(5, 0), OpenMessage(path, protocols), actorHere ? _actor : null);
        var sent = await SentDescriptionsAsync(5, 2);
        Assert.Equal(["0:Open(False)", close], sent);
        Assert.Equal(0, _sockets.Count);
    }
}
