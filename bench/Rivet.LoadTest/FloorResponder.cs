using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Rivet.Hosting.Runner;
using Rivet.Protocol.Envoy;

namespace Rivet.LoadTest;

/// <summary>
/// The engine's floor: an envoy (our <see cref="EnvoyClient"/>, speaking the real protocol to the real engine) that
/// starts every actor at once with no storage, answers every tunnelled HTTP request with a fixed 200
/// <c>{"output":1}</c>, and answers <c>/connect</c> action requests (json) with output 1. No actor logic, no state,
/// no KV: what is left is the engine, the tunnel and the client. With a <see cref="DurableFloor"/> (target
/// <c>floor-durable</c>) every answer waits for one KV put of the actor first (group commit: one put in flight per
/// actor, covering every request that arrived meanwhile): what any actor that saves before it replies can reach.
/// With <see cref="DurableFloor.Acknowledges"/> (target <c>floor-durable-ack</c>) its sockets are hibernatable, as our
/// runner's <c>/connect</c> sockets are, so each client message is also acknowledged (one ack frame after the answer).
/// With <see cref="DurableWrite.SqlUpsert"/> (target <c>floor-durable-sql</c>) the write is one remote SQL statement.
/// </summary>
internal sealed class FloorResponder(DurableFloor? durable = null) : IEnvoyHandler
{
    private static readonly byte[] s_body = "{\"output\":1}"u8.ToArray();
    private static readonly IReadOnlyDictionary<string, string> s_headers = new Dictionary<string, string>
    {
        ["content-type"] = "application/json",
    };

    private readonly Dictionary<ulong, Socket> _sockets = new();
    private EnvoyClient? _envoy;

    public void Attach(EnvoyClient envoy) => _envoy = envoy;

    private EnvoyClient Envoy => _envoy ?? throw new InvalidOperationException("The floor is not attached to an envoy.");

    public void OnCommand(ActorCheckpoint checkpoint, ICommand command)
    {
        IActorState state = command switch
        {
            CommandStartActor => ActorStateRunning.Instance,
            _ => new ActorStateStopped { Code = StopCode.Ok },
        };
        // After the envoy has acknowledged the command (it does so once this returns), as a real runner would; a
        // durable floor first prepares the actor's storage.
        _ = Task.Run(async () =>
        {
            if (command is CommandStartActor && durable is not null)
            {
                await durable.StartActorAsync(Envoy, checkpoint.ActorId, checkpoint.Generation);
            }
            Envoy.SendEvent(checkpoint.ActorId, checkpoint.Generation, new EventActorStateUpdate { State = state });
        });
    }

    public void OnTunnelMessage(ToEnvoyTunnelMessage message)
    {
        var id = message.MessageId;
        switch (message.MessageKind)
        {
            case ToEnvoyRequestStart request:
                AfterPut(request.ActorId, () => Send(id, 0, new ToRivetResponseStart { Status = 200, Headers = s_headers, Body = s_body, Stream = false }));
                break;
            case ToEnvoyWebSocketOpen open:
                Socket socket;
                lock (_sockets)
                {
                    _sockets[Key(id)] = socket = new Socket(open.ActorId);
                }
                Send(id, socket.Next(), new ToRivetWebSocketOpen { CanHibernate = durable?.Acknowledges == true });
                SendText(id, socket.Next(), $"{{\"body\":{{\"tag\":\"Init\",\"val\":{{\"actorId\":\"{open.ActorId}\",\"connectionId\":\"floor-{Key(id):x}\"}}}}}}");
                break;
            case ToEnvoyWebSocketMessage ws:
                AnswerAction(id, ws.Data, id.MessageIndex);
                break;
            case ToEnvoyWebSocketClose:
                lock (_sockets)
                {
                    _sockets.Remove(Key(id));
                }
                break;
        }
    }

    public void OnActorsLost(string reason)
    {
    }

    private void AnswerAction(MessageId id, byte[] data, ushort clientIndex)
    {
        using var document = JsonDocument.Parse(data);
        var body = document.RootElement.GetProperty("body");
        if (body.GetProperty("tag").GetString() != "ActionRequest")
        {
            return; // subscriptions: nothing to answer
        }
        var requestId = body.GetProperty("val").GetProperty("id");
        var idJson = requestId.ValueKind == JsonValueKind.Array ? requestId.GetRawText() : $"[\"$BigInt\",\"{requestId.GetRawText()}\"]";
        Socket? socket;
        lock (_sockets)
        {
            _sockets.TryGetValue(Key(id), out socket);
        }
        if (socket is null)
        {
            return;
        }
        // The index is taken when the answer leaves, so the answers of one socket keep their order.
        AfterPut(socket.ActorId, () =>
        {
            SendText(id, socket.Next(), $"{{\"body\":{{\"tag\":\"ActionResponse\",\"val\":{{\"id\":{idJson},\"output\":1}}}}}}");
            if (durable?.Acknowledges == true)
            {
                Send(id, clientIndex, new ToRivetWebSocketMessageAck { Index = clientIndex });
            }
        });
    }

    private void AfterPut(string actorId, Action answer)
    {
        if (durable is null)
        {
            answer();
        }
        else
        {
            durable.Enqueue(Envoy, actorId, answer);
        }
    }

    private void SendText(MessageId id, ushort index, string json) =>
        Send(id, index, new ToRivetWebSocketMessage { Data = Encoding.UTF8.GetBytes(json), Binary = false });

    private void Send(MessageId id, ushort index, IToRivetTunnelMessageKind kind) =>
        _ = Envoy.SendTunnelAsync(new ToRivetTunnelMessage
        {
            MessageId = new MessageId { GatewayId = id.GatewayId, RequestId = id.RequestId, MessageIndex = index },
            MessageKind = kind,
        });

    /// <summary>Our message index on one client WebSocket (a per-direction sequence).</summary>
    private sealed class Socket(string actorId)
    {
        private int _next = -1;

        public string ActorId { get; } = actorId;

        public ushort Next() => unchecked((ushort)System.Threading.Interlocked.Increment(ref _next));
    }

    private static ulong Key(MessageId id) =>
        ((ulong)BitConverter.ToUInt32(id.GatewayId) << 32) | BitConverter.ToUInt32(id.RequestId);
}
