using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Codecs.Bare;
using Rivet.Codecs.Cbor;
using Rivet.Storage.Persistence;
using Xunit;
using static Rivet.Sdk.Tests.Connections.ConnectionTestHost;
using Rivet.Sdk.Tests.ClientConnections;

namespace Rivet.Sdk.Tests.Connections;

/// <summary>Hibernatable connections: their actor-persist v4 <c>Conn</c> records, and restoring them after sleep.</summary>
public sealed class HibernatableConnectionTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task The_record_is_byte_exact_actor_persist_v4()
    {
        await using var host = new ConnectionTestHost();
        var actor = await host.StartAsync();
        var alice = await actor.ConnectAsync(Open("alice", Ticket(1, 2)), new RecordingOutput(), None);
        await actor.SetSubscriptionAsync(alice, "newCount", subscribe: true, None);

        var expected = new List<byte> { 0x04, 0x00, 36 };                       // version 4, id: str of 36 bytes
        expected.AddRange(Encoding.UTF8.GetBytes(alice.Id));
        expected.Add(12);                                                       // parameters: CBOR {"User":"alice"}
        expected.AddRange([0xa1, 0x64, .. "User"u8, 0x65, .. "alice"u8]);
        expected.Add(22);                                                       // state: CBOR {"Name":"alice","Messages":0}
        expected.AddRange([0xa2, 0x64, .. "Name"u8, 0x65, .. "alice"u8, 0x68, .. "Messages"u8, 0x00]);
        expected.AddRange([0x01, 0x08, .. "newCount"u8]);                       // subscriptions: [{eventName}]
        expected.AddRange([1, 0, 0, 1, 2, 0, 0, 2]);                            // gatewayId, requestId: data[4]
        expected.AddRange([0x00, 0x00, 0x00, 0x00]);                            // serverMessageIndex, clientMessageIndex: u16
        expected.AddRange([0x08, .. "/connect"u8]);                             // requestPath
        expected.AddRange([0x01, 0x06, .. "x-test"u8, 0x03, .. "yes"u8]);       // requestHeaders: map<str><str>

        Assert.Equal(Convert.ToHexString(expected.ToArray()), Convert.ToHexString(await ReadRecordAsync(host, alice.Id) ?? []));
    }

    [Fact]
    public async Task Only_hibernatable_connections_are_persisted_and_closing_deletes_the_record()
    {
        await using var host = new ConnectionTestHost();
        var actor = await host.StartAsync();
        var alice = await actor.ConnectAsync(Open("alice", Ticket(1, 2)), new RecordingOutput(), None);
        var bob = await actor.ConnectAsync(Open("bob"), new RecordingOutput(), None);

        Assert.NotNull(await ReadRecordAsync(host, alice.Id));
        Assert.Null(await ReadRecordAsync(host, bob.Id));

        await actor.DisconnectAsync(alice, null, None);

        Assert.Null(await ReadRecordAsync(host, alice.Id));
        Assert.Empty(await host.Kv.ListPrefixAsync([2]));
    }

    [Fact]
    public async Task A_state_change_in_an_action_is_persisted_after_the_turn()
    {
        await using var host = new ConnectionTestHost();
        var actor = await host.StartAsync();
        var alice = await actor.ConnectAsync(Open("alice", Ticket(1, 2)), new RecordingOutput(), None);
        var before = await ReadRecordAsync(host, alice.Id);

        await actor.InvokeAsync("increment", Args(1), alice, None);
        Assert.Equal(before, await ReadRecordAsync(host, alice.Id));   // no change, no rewrite needed

        await actor.InvokeAsync("rename", Args("ally"), alice, None);

        var record = PersistedConnectionCodec.Decode((await ReadRecordAsync(host, alice.Id))!);
        Assert.Equal("{\"Name\":\"ally\",\"Messages\":1}", Encoding.UTF8.GetString(CborJson.CborToJson(record.State)));
    }

    [Fact]
    public async Task A_woken_actor_restores_its_connections_without_hooks()
    {
        await using var host = new ConnectionTestHost();
        var first = await host.StartAsync();
        var ticket = Ticket(7, 9);
        var alice = await first.ConnectAsync(Open("alice", ticket), new RecordingOutput(), None);
        await first.SetSubscriptionAsync(alice, "newCount", subscribe: true, None);
        await first.InvokeAsync("rename", Args("ally"), alice, None);
        await first.DisposeAsync();                                     // the actor sleeps; the gateway keeps the socket

        var woken = await host.StartAsync();
        var restored = Assert.Single(await woken.LoadHibernatedConnectionsAsync(None));

        Assert.Empty(woken.ConnectionList);                             // not registered before it is attached
        Assert.Equal(alice.Id, restored.Id);
        Assert.Equal(new RoomParams("alice"), restored.GetParams<RoomParams>());
        Assert.Equal("ally", restored.GetState<RoomConnState>()!.Name);
        Assert.Equal(["newCount"], restored.Subscriptions);
        Assert.Equal(ticket.GatewayId, restored.HibernationTicket!.GatewayId);
        Assert.Equal(ticket.RequestId, restored.HibernationTicket.RequestId);
        Assert.Equal("/connect", restored.RequestPath);
        Assert.Equal("yes", restored.RequestHeaders["x-test"]);

        var output = new RecordingOutput();
        woken.AttachRestored(restored, output);
        await woken.InvokeAsync("increment", Args(3), None);

        Assert.Empty(((ConnRoom)woken.Actor).Log);                      // no OnBeforeConnect, OnConnect
        Assert.Equal(["newCount [3]"], output.Events);
        Assert.Equal("\"ally\"", Text(await woken.InvokeAsync("whoAmI", Args(), restored, None)));
    }

    [Fact]
    public async Task Advanced_message_indexes_are_persisted_and_a_dropped_connection_is_deleted()
    {
        await using var host = new ConnectionTestHost();
        var first = await host.StartAsync();
        var alice = await first.ConnectAsync(Open("alice", Ticket(1, 2)), new RecordingOutput(), None);

        alice.HibernationTicket!.ClientMessageIndex = 5;
        alice.HibernationTicket.ServerMessageIndex = 300;
        await first.PersistHibernationAsync(alice, None);

        var record = PersistedConnectionCodec.Decode((await ReadRecordAsync(host, alice.Id))!);
        Assert.Equal((5, 300), (record.ClientMessageIndex, record.ServerMessageIndex));
        await first.DisposeAsync();

        var woken = await host.StartAsync();
        var restored = Assert.Single(await woken.LoadHibernatedConnectionsAsync(None));
        Assert.Equal((5, 300), (restored.HibernationTicket!.ClientMessageIndex, restored.HibernationTicket.ServerMessageIndex));

        await woken.DropHibernatedAsync(restored, None);               // the gateway no longer holds its socket

        Assert.Equal(["disconnect:alice"], ((ConnRoom)woken.Actor).Log);
        Assert.Null(await ReadRecordAsync(host, alice.Id));
        Assert.Empty(await woken.LoadHibernatedConnectionsAsync(None));
    }

    [Fact]
    public async Task Connection_states_changed_by_a_schedule_OnSleep_and_OnWake_are_persisted_and_OnWake_sees_restored_connections()
    {
        await using var host = new ConnectionTestHost();
        var first = await host.StartAsync();
        var alice = await first.ConnectAsync(Open("alice", Ticket(1, 2)), new RecordingOutput(), None);

        await first.InvokeAsync("noteLater", Args("-wake", "-sleep", "-tick"), None);
        var persisted = "";
        await Poll.UntilAsync(async () => (persisted = await PersistedNameAsync(host, alice.Id)) == "alice-tick", TimeSpan.FromSeconds(30),
            () => $"the scheduled note to be persisted; the record says '{persisted}'");

        await first.StopAsync(Rivet.Runtime.Lifecycle.ActorStopReason.Sleep, None);
        Assert.Equal("alice-tick-sleep", await PersistedNameAsync(host, alice.Id));

        // As the runner does on a wake: the restored connection is attached before OnWake runs.
        var woken = await host.StartAsync(beforeWake: async starting =>
            starting.AttachRestored(Assert.Single(await starting.LoadHibernatedConnectionsAsync(None)), new RecordingOutput()));
        Assert.Equal("1", Text(await woken.InvokeAsync("connectionsSeenOnWake", Args(), None)));
        Assert.Equal("alice-tick-sleep-wake", await PersistedNameAsync(host, alice.Id));
        Assert.Equal("\"alice-tick-sleep-wake\"", Text(await woken.InvokeAsync("whoAmI", Args(), Assert.Single(woken.ConnectionList), None)));
    }

    private static async Task<string?> PersistedNameAsync(ConnectionTestHost host, string connectionId)
    {
        var record = PersistedConnectionCodec.Decode((await ReadRecordAsync(host, connectionId))!);
        return System.Text.Json.JsonDocument.Parse(CborJson.CborToJson(record.State)).RootElement.GetProperty("Name").GetString();
    }

    [Fact]
    public void The_codec_matches_a_hand_built_record_both_ways()
    {
        var record = new PersistedConnection
        {
            Id = "c1",
            Parameters = [0xa1, 0x64, .. "user"u8, 0x61, (byte)'a'],
            State = [0xf6],
            Subscriptions = ["a", "bc"],
            GatewayId = [1, 2, 3, 4],
            RequestId = [5, 6, 7, 8],
            ServerMessageIndex = 0x0102,
            ClientMessageIndex = 3,
            RequestPath = "/connect",
            RequestHeaders = [new("k", "v")],
        };
        byte[] expected =
        [
            0x04, 0x00,
            0x02, .. "c1"u8,
            0x08, 0xa1, 0x64, .. "user"u8, 0x61, (byte)'a',
            0x01, 0xf6,
            0x02, 0x01, (byte)'a', 0x02, .. "bc"u8,
            1, 2, 3, 4,
            5, 6, 7, 8,
            0x02, 0x01,
            0x03, 0x00,
            0x08, .. "/connect"u8,
            0x01, 0x01, (byte)'k', 0x01, (byte)'v',
        ];

        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(PersistedConnectionCodec.Encode(record)));

        var decoded = PersistedConnectionCodec.Decode(expected);
        Assert.Equal("c1", decoded.Id);
        Assert.Equal(record.Parameters, decoded.Parameters);
        Assert.Equal(record.State, decoded.State);
        Assert.Equal(["a", "bc"], decoded.Subscriptions);
        Assert.Equal(record.GatewayId, decoded.GatewayId);
        Assert.Equal(record.RequestId, decoded.RequestId);
        Assert.Equal((0x0102, 3), (decoded.ServerMessageIndex, decoded.ClientMessageIndex));
        Assert.Equal("/connect", decoded.RequestPath);
        Assert.Equal([new KeyValuePair<string, string>("k", "v")], decoded.RequestHeaders);

        // Version 3 has the same Conn; other versions, duplicate headers and trailing bytes are rejected.
        Assert.Equal("c1", PersistedConnectionCodec.Decode([0x03, 0x00, .. expected.AsSpan(2)]).Id);
        Assert.Throws<BareFormatException>(() => PersistedConnectionCodec.Decode([0x05, 0x00, .. expected.AsSpan(2)]));
        Assert.Throws<BareFormatException>(() => PersistedConnectionCodec.Decode([.. expected, 0x00]));
        byte[] duplicate = [.. expected.AsSpan(0, expected.Length - 5), 0x02, 0x01, (byte)'k', 0x01, (byte)'v', 0x01, (byte)'k', 0x01, (byte)'w'];
        Assert.Contains("duplicated", Assert.Throws<BareFormatException>(() => PersistedConnectionCodec.Decode(duplicate)).Message);
        Assert.Throws<ArgumentException>(() => PersistedConnectionCodec.Encode(new PersistedConnection
        {
            Id = "c1", Parameters = [0xf6], State = [0xf6], GatewayId = [1, 2, 3], RequestId = [5, 6, 7, 8],
        }));
    }

    private static async Task<byte[]?> ReadRecordAsync(ConnectionTestHost host, string connectionId) =>
        (await host.Kv.GetAsync([KvKeys.Connection(connectionId)]))[0];
}
