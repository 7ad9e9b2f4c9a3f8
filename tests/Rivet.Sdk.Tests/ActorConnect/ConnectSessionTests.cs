using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging.Abstractions;
using Rivet.Hosting.ActorConnect;
using Rivet.Protocol.Client;
using Rivet.Runtime;
using Rivet.Runtime.Connections;
using Rivet.Storage;

namespace Rivet.Sdk.Tests.ActorConnect;

/// <summary>A <see cref="ConnectSession"/> on a real <see cref="ActorInstance"/> (in-memory storage), frames in every encoding.</summary>
public sealed class ConnectSessionTests : IAsyncLifetime
{
    private static readonly ActorDefinition Room = Definition<ConnectRoom>();

    private readonly InMemoryActorStorage _storage = new();
    private readonly RivetClient _client = RivetClient.Create();
    private ActorInstance _actor = null!;

    public async Task InitializeAsync() => _actor = await StartActorAsync();

    /// <summary>Starts (or wakes) the test actor on the in-memory store.</summary>
    private Task<ActorInstance> StartActorAsync() =>
        ActorInstance.StartAsync(Room, "actor-1", "room", ReadOnlyMemory<byte>.Empty,
            _storage.ForActor("actor-1"), NullLoggerFactory.Instance, _client, Rivet.Runtime.Lifecycle.DetachedHostControl.Instance, CancellationToken.None);

    public async Task DisposeAsync()
    {
        await _actor.DisposeAsync();
        await _client.DisposeAsync();
        await _storage.DisposeAsync();
    }

    private static ActorDefinition Definition<TActor>() where TActor : IGeneratedActor => TActor.Definition;

    public static TheoryData<string> Encodings => new("json", "cbor", "bare");

    private static ClientEncodingKind Kind(string encoding) => ClientEncoding.TryParse(encoding, out var kind) ? kind : throw new ArgumentException(encoding);

    private static ConnectionOpen Open(HibernationTicket? ticket = null) =>
        new(ReadOnlyMemory<byte>.Empty, "/connect", new Dictionary<string, string>(), ticket);

    private async Task<(ConnectSession Session, RecordingSink Sink)> ConnectAsync(ClientEncodingKind kind)
    {
        var sink = new RecordingSink(kind);
        var session = await ConnectSession.OpenAsync(_actor, kind, Open(), sink, CancellationToken.None);
        return (session, sink);
    }

    private static Task Request(ConnectSession session, ClientEncodingKind kind, ConnectToServer message) =>
        session.HandleFrameAsync(ConnectCodec.Encode(kind, message), ConnectCodec.IsBinary(kind), CancellationToken.None);

    private static byte[] U(string json) => Encoding.UTF8.GetBytes(json);

    private static string Json(ReadOnlyMemory<byte> json) => Encoding.UTF8.GetString(json.Span);

    private async Task<ConnectRoomState> StatsAsync() =>
        JsonSerializer.Deserialize<ConnectRoomState>(await _actor.InvokeAsync("stats", U("[]"), CancellationToken.None), new JsonSerializerOptions(JsonSerializerDefaults.Web))!;

    [Theory]
    [MemberData(nameof(Encodings))]
    public async Task Init_then_actions_events_and_errors_flow_over_one_connection(string encoding)
    {
        var kind = Kind(encoding);
        var (session, sink) = await ConnectAsync(kind);

        var init = Assert.IsType<ConnectInit>(Assert.Single(sink.Messages));
        Assert.Equal(("actor-1", session.Connection.Id), (init.ActorId, init.ConnectionId));

        await Request(session, kind, new ConnectSubscriptionRequest("newCount", true));
        await Request(session, kind, new ConnectActionRequest(0, "increment", U("[4]")));
        await Request(session, kind, new ConnectActionRequest(1, "fail", U("[]")));
        await Request(session, kind, new ConnectActionRequest(2, "callerId", U("[]")));

        var messages = sink.Messages.Skip(1).ToList();
        var ev = Assert.IsType<ConnectEvent>(messages[0]);
        Assert.Equal(("newCount", "[4]"), (ev.Name, Json(ev.ArgumentsJson)));
        var response = Assert.IsType<ConnectActionResponse>(messages[1]);
        Assert.Equal((0UL, "4"), (response.Id, Json(response.OutputJson)));
        var error = Assert.IsType<ConnectError>(messages[2]);
        Assert.Equal(("user", "my_code", "Not today", (ulong?)1), (error.Group, error.Code, error.Message, error.ActionId));
        var caller = Assert.IsType<ConnectActionResponse>(messages[3]);
        Assert.Equal($"\"{session.Connection.Id}\"", Json(caller.OutputJson));
        Assert.Null(sink.Closed);
        Assert.All(sink.Frames, f => Assert.Equal(ConnectCodec.IsBinary(kind), f.Binary));
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public async Task A_rejected_connection_gets_the_error_then_a_1011_close(string encoding)
    {
        var kind = Kind(encoding);
        await _actor.InvokeAsync("lock", U("[]"), CancellationToken.None);
        var sink = new RecordingSink(kind);

        var thrown = await Assert.ThrowsAnyAsync<RivetException>(() => ConnectSession.OpenAsync(_actor, kind, Open(), sink, CancellationToken.None));

        Assert.Equal("user.locked", thrown.Id);
        var error = Assert.IsType<ConnectError>(Assert.Single(sink.Messages));
        Assert.Equal(("user", "locked", "The room is locked", (ulong?)null), (error.Group, error.Code, error.Message, error.ActionId));
        Assert.Equal((ConnectSession.InternalErrorClosure, "user.locked"), sink.Closed);
        Assert.Empty(_actor.ConnectionList);
    }

    [Theory]
    [InlineData("json", "not json", false, "actor.invalid_request")]
    [InlineData("json", """{"body":{"tag":"ActionRequest","val":{"id":0,"name":"getCount","args":[]}}}""", true, "actor.invalid_request")]
    [InlineData("bare", "", true, "actor.invalid_request")]
    [InlineData("cbor", "{}", false, "actor.invalid_request")]
    public async Task Malformed_or_mistyped_frames_close_the_connection_with_1011(string encoding, string frame, bool binary, string reason)
    {
        var kind = Kind(encoding);
        var (session, sink) = await ConnectAsync(kind);

        await session.HandleFrameAsync(U(frame), binary, CancellationToken.None);

        Assert.Equal((ConnectSession.InternalErrorClosure, reason), sink.Closed);
        Assert.Empty(_actor.ConnectionList);
        Assert.Equal(1, (await StatsAsync()).Disconnects);
    }

    [Fact]
    public async Task A_frame_over_64_KiB_closes_with_incoming_too_long()
    {
        var (session, sink) = await ConnectAsync(ClientEncodingKind.Json);
        var args = "[\"" + new string('x', ConnectSession.MaxIncomingMessageSize) + "\"]";

        await Request(session, ClientEncodingKind.Json, new ConnectActionRequest(0, "getCount", U(args)));

        Assert.Equal((ConnectSession.InternalErrorClosure, "message.incoming_too_long"), sink.Closed);
    }

    [Fact]
    public async Task The_client_closing_runs_OnDisconnect_and_the_actor_closing_closes_with_1000()
    {
        var (first, _) = await ConnectAsync(ClientEncodingKind.Json);
        await first.ClosedAsync(1000, "Disposed");
        Assert.Equal(1, (await StatsAsync()).Disconnects);

        var (second, sink) = await ConnectAsync(ClientEncodingKind.Json);
        await Request(second, ClientEncodingKind.Json, new ConnectActionRequest(0, "leave", U("[\"bye\"]")));
        Assert.Equal((ConnectSession.NormalClosure, "bye"), sink.Closed);
        Assert.Equal(2, (await StatsAsync()).Disconnects);
        Assert.Empty(_actor.ConnectionList);
    }

    [Fact]
    public async Task Actions_of_one_connection_may_wait_for_the_turn_together_and_all_get_answers()
    {
        var (session, sink) = await ConnectAsync(ClientEncodingKind.Bare);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            Request(session, ClientEncodingKind.Bare, new ConnectActionRequest((ulong)i, "increment", U("[1]")))));

        var responses = sink.Messages.OfType<ConnectActionResponse>().ToList();
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (ulong)i), responses.Select(r => r.Id).Order());
        Assert.Equal(Enumerable.Range(1, 20).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), responses.Select(r => Json(r.OutputJson)).Order(StringComparer.Ordinal).OrderBy(s => s.Length));
    }

    [Fact]
    public async Task A_hibernatable_connection_is_restored_without_hooks_or_Init()
    {
        var sink = new RecordingSink(ClientEncodingKind.Cbor);
        var ticket = new HibernationTicket { GatewayId = [1, 2, 3, 4], RequestId = [5, 6, 7, 8] };
        var session = await ConnectSession.OpenAsync(_actor, ClientEncodingKind.Cbor, Open(ticket), sink, CancellationToken.None);
        await Request(session, ClientEncodingKind.Cbor, new ConnectSubscriptionRequest("newCount", true));
        ticket.ClientMessageIndex = 1;
        await _actor.PersistHibernationAsync(session.Connection, CancellationToken.None);
        var id = session.Connection.Id;
        await _actor.DisposeAsync();

        _actor = await StartActorAsync();
        var restored = Assert.Single(await _actor.LoadHibernatedConnectionsAsync(CancellationToken.None));
        Assert.Equal((id, (ushort)1), (restored.Id, restored.HibernationTicket!.ClientMessageIndex));
        var newSink = new RecordingSink(ClientEncodingKind.Cbor);
        var again = ConnectSession.Restore(_actor, ClientEncodingKind.Cbor, restored, newSink);
        await Request(again, ClientEncodingKind.Cbor, new ConnectActionRequest(7, "increment", U("[2]")));

        Assert.Collection(newSink.Messages,
            m => Assert.Equal(("newCount", "[2]"), (((ConnectEvent)m).Name, Json(((ConnectEvent)m).ArgumentsJson))),
            m => Assert.Equal(7UL, ((ConnectActionResponse)m).Id));
        Assert.Equal(1, (await StatsAsync()).Connects);
    }

    /// <summary>Records what a session writes, decoded back with the codec.</summary>
    private sealed class RecordingSink(ClientEncodingKind kind) : IConnectFrameSink
    {
        private readonly Lock _lock = new();
        private readonly List<(byte[] Data, bool Binary)> _frames = [];

        public (ushort Code, string Reason)? Closed { get; private set; }

        public IReadOnlyList<(byte[] Data, bool Binary)> Frames { get { lock (_lock) { return _frames.ToArray(); } } }

        public IReadOnlyList<ConnectToClient> Messages => Frames.Select(f => ConnectCodec.DecodeToClient(kind, f.Data)).ToList();

        public void Send(ReadOnlyMemory<byte> frame, bool binary)
        {
            lock (_lock)
            {
                Assert.Null(Closed);
                _frames.Add((frame.ToArray(), binary));
            }
        }

        public void Close(ushort code, string reason)
        {
            lock (_lock)
            {
                Assert.Null(Closed);
                Closed = (code, reason);
            }
        }
    }
}
