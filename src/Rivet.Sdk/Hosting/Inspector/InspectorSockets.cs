using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Rivet.Codecs.Bare;
using Rivet.Codecs.Cbor;
using Rivet.Protocol.Envoy;
using Rivet.Runtime;

namespace Rivet.Hosting.Inspector;

/// <summary>
/// RivetKit's inspector WebSocket (<c>/inspector/connect</c>, BARE inspector protocol v6, negotiated by
/// <c>?protocol_version=6</c> so frames carry no version prefix) for actors on the runner: what the Rivet dashboard
/// opens to show an actor. The token comes as the <c>rivet_inspector_token.{token}</c> sub-protocol. On open the
/// socket sends <c>Init</c> (state, connections, actions); it answers state, connections, actions-list and action
/// requests, applies state patches, and pushes <c>StateUpdated</c>/<c>ConnectionsUpdated</c> when they change
/// (checked every <see cref="WatchInterval"/>). Database, queue, workflow, schedule and trace requests get an
/// <c>Error</c> (those views are not served for .NET actors yet).
/// </summary>
internal sealed partial class InspectorSockets(Func<ToRivetTunnelMessage, ValueTask<bool>> send, ILogger logger)
{
    /// <summary>How often a socket checks its actor's state and connections for changes.</summary>
    public static readonly TimeSpan WatchInterval = TimeSpan.FromMilliseconds(250);

    private const string TokenProtocol = "rivet_inspector_token.";
    private readonly ILogger _logger = logger;
    private readonly ConcurrentDictionary<string, Socket> _sockets = new(StringComparer.Ordinal);

    /// <summary>Whether a WebSocket to <paramref name="path"/> (query allowed) is the inspector's.</summary>
    public static bool IsInspectorPath(string path)
    {
        var query = path.IndexOf('?', StringComparison.Ordinal);
        return (query >= 0 ? path[..query] : path) == "/inspector/connect";
    }

    /// <summary>Opens (or refuses: actor not here, wrong token) an inspector socket. Called on the receive loop.</summary>
    public void Open(MessageId id, ToEnvoyWebSocketOpen open, ActorInstance? actor)
    {
        var presented = InspectorEndpoint.Header(open.Headers, "sec-websocket-protocol")?.Split(',')
            .Select(p => p.Trim()).FirstOrDefault(p => p.StartsWith(TokenProtocol, StringComparison.Ordinal))?[TokenProtocol.Length..];
        if (actor is null || !InspectorTokens.Matches(actor.InspectorToken, presented))
        {
            LogRefused(_logger, open.ActorId, actor is null ? "the actor does not run here" : presented is null ? "no inspector token" : "a wrong inspector token");
            _ = RefuseAsync(id, actor is null ? "envoy.actor_not_found" : "inspector.unauthorized");
            return;
        }
        var socket = new Socket(this, id.GatewayId, id.RequestId, actor);
        _sockets[socket.Key] = socket;
        socket.Start();
    }

    /// <summary>A client frame for an inspector socket; false when the socket is not one of these.</summary>
    public bool Receive(MessageId id, ToEnvoyWebSocketMessage message)
    {
        if (!_sockets.TryGetValue(Key(id.GatewayId, id.RequestId), out var socket))
        {
            return false;
        }
        socket.Inbound.Writer.TryWrite(message.Data);
        return true;
    }

    /// <summary>The client closed an inspector socket; false when the socket is not one of these.</summary>
    public bool ClientClosed(MessageId id)
    {
        if (!_sockets.TryRemove(Key(id.GatewayId, id.RequestId), out var socket))
        {
            return false;
        }
        socket.Inbound.Writer.TryComplete();
        return true;
    }

    private async Task RefuseAsync(MessageId id, string reason)
    {
        await SendAsync(id.GatewayId, id.RequestId, 0, new ToRivetWebSocketOpen { CanHibernate = false }).ConfigureAwait(false);
        await SendAsync(id.GatewayId, id.RequestId, 0, new ToRivetWebSocketClose { Code = 1008, Reason = reason, Hibernate = false }).ConfigureAwait(false);
    }

    private ValueTask<bool> SendAsync(byte[] gatewayId, byte[] requestId, ushort index, IToRivetTunnelMessageKind kind) =>
        send(new ToRivetTunnelMessage
        {
            MessageId = new MessageId { GatewayId = gatewayId, RequestId = requestId, MessageIndex = index },
            MessageKind = kind,
        });

    private static string Key(byte[] gatewayId, byte[] requestId) => Convert.ToHexString(gatewayId) + ":" + Convert.ToHexString(requestId);

    /// <summary>One dashboard watching one actor: a loop that answers its frames and pushes changes, one frame at a time.</summary>
    private sealed class Socket(InspectorSockets owner, byte[] gatewayId, byte[] requestId, ActorInstance actor)
    {
        private ushort _serverIndex;
        private byte[] _lastState = [];
        private string _lastConnections = "";

        public string Key { get; } = InspectorSockets.Key(gatewayId, requestId);

        public Channel<byte[]> Inbound { get; } = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });

        public void Start() => _ = Task.Run(RunAsync);

        private async Task RunAsync()
        {
            try
            {
                await owner.SendAsync(gatewayId, requestId, 0, new ToRivetWebSocketOpen { CanHibernate = false }).ConfigureAwait(false);
                _lastState = actor.InspectorState.ToArray();
                _lastConnections = ConnectionIds();
                await SendAsync((ref BareWriter w) => { w.WriteU8(ToClient.Init); WriteInit(ref w); }).ConfigureAwait(false);
                var stopping = actor.StoppingToken;
                while (!stopping.IsCancellationRequested)
                {
                    using var tick = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                    tick.CancelAfter(WatchInterval);
                    try
                    {
                        if (!await Inbound.Reader.WaitToReadAsync(tick.Token).ConfigureAwait(false))
                        {
                            return; // the client closed
                        }
                        while (Inbound.Reader.TryRead(out var frame))
                        {
                            await HandleAsync(frame, stopping).ConfigureAwait(false);
                        }
                    }
                    catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
                    {
                        // The watch interval passed: look for changes below.
                    }
                    await PushChangesAsync().ConfigureAwait(false);
                }
                await CloseAsync(1001, "actor.stopped").ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(owner._logger, ex, actor.ActorId);
                await CloseAsync(1011, "actor.internal_error").ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                await CloseAsync(1001, "actor.stopped").ConfigureAwait(false);
            }
        }

        private async Task CloseAsync(ushort code, string reason)
        {
            owner._sockets.TryRemove(new KeyValuePair<string, Socket>(Key, this));
            await owner.SendAsync(gatewayId, requestId, 0, new ToRivetWebSocketClose { Code = code, Reason = reason, Hibernate = false }).ConfigureAwait(false);
        }

        private async Task HandleAsync(byte[] frame, CancellationToken cancellationToken)
        {
            ulong rid;
            uint tag;
            string? name = null;
            byte[]? payload = null;
            try
            {
                var r = new BareReader(frame);
                tag = r.ReadU8();
                switch (tag)
                {
                    case ToServer.PatchStateRequest:
                        rid = 0;
                        payload = r.ReadDataArray();
                        break;
                    case ToServer.ActionRequest:
                        rid = r.ReadUInt();
                        name = r.ReadString();
                        payload = r.ReadDataArray();
                        break;
                    default:
                        rid = r.Remaining > 0 ? r.ReadUInt() : 0;
                        break;
                }
            }
            catch (BareFormatException ex)
            {
                await SendErrorAsync($"inspector.invalid_message: {ex.Message}").ConfigureAwait(false);
                return;
            }
            switch (tag)
            {
                case ToServer.StateRequest:
                    await SendAsync((ref BareWriter w) =>
                    {
                        w.WriteU8(ToClient.StateResponse);
                        w.WriteUInt(rid);
                        WriteOptionalState(ref w);
                        w.WriteBool(actor.Actor.HasState);
                    }).ConfigureAwait(false);
                    break;
                case ToServer.ConnectionsRequest:
                    await SendAsync((ref BareWriter w) => { w.WriteU8(ToClient.ConnectionsResponse); w.WriteUInt(rid); WriteConnections(ref w); }).ConfigureAwait(false);
                    break;
                case ToServer.RpcsListRequest:
                    await SendAsync((ref BareWriter w) => { w.WriteU8(ToClient.RpcsListResponse); w.WriteUInt(rid); WriteRpcs(ref w); }).ConfigureAwait(false);
                    break;
                case ToServer.PatchStateRequest:
                    try
                    {
                        await actor.PatchStateAsync(CborJson.CborToJson(payload), cancellationToken).ConfigureAwait(false);
                        await PushChangesAsync().ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is RivetException or CborJsonException)
                    {
                        await SendErrorAsync(ex.Message).ConfigureAwait(false);
                    }
                    break;
                case ToServer.ActionRequest:
                    try
                    {
                        var args = CborJson.CborToJson(payload);
                        var output = await actor.InvokeAsync(name!, args, cancellationToken).ConfigureAwait(false);
                        var cbor = CborJson.JsonToCbor(output);
                        await SendAsync((ref BareWriter w) => { w.WriteU8(ToClient.ActionResponse); w.WriteUInt(rid); w.WriteData(cbor); }).ConfigureAwait(false);
                        await PushChangesAsync().ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is RivetException or CborJsonException)
                    {
                        // The dashboard shows the error; its pending call times out on its own.
                        await SendErrorAsync(ex.Message).ConfigureAwait(false);
                    }
                    break;
                default:
                    await SendErrorAsync($"inspector.not_supported: request {tag} is not served for .NET actors").ConfigureAwait(false);
                    break;
            }
        }

        private async Task PushChangesAsync()
        {
            var state = actor.InspectorState;
            if (actor.Actor.HasState && !state.Span.SequenceEqual(_lastState))
            {
                _lastState = state.ToArray();
                var cbor = CborJson.JsonToCbor(state.Span);
                await SendAsync((ref BareWriter w) => { w.WriteU8(ToClient.StateUpdated); w.WriteData(cbor); }).ConfigureAwait(false);
            }
            var connections = ConnectionIds();
            if (connections != _lastConnections)
            {
                _lastConnections = connections;
                await SendAsync((ref BareWriter w) => { w.WriteU8(ToClient.ConnectionsUpdated); WriteConnections(ref w); }).ConfigureAwait(false);
            }
        }

        private string ConnectionIds() => string.Join(',', actor.ConnectionList.Select(c => c.Id));

        private void WriteInit(ref BareWriter w)
        {
            WriteConnections(ref w);
            WriteOptionalState(ref w);
            w.WriteBool(actor.Actor.HasState);
            WriteRpcs(ref w);
            w.WriteBool(false); // isDatabaseEnabled
            w.WriteUInt(0); // queueSize
            w.WriteOptional(false); // workflowHistory
            w.WriteBool(false); // isWorkflowEnabled
            w.WriteListCount(0); // tabConfig
            w.WriteListCount(0); // schedules
        }

        private void WriteOptionalState(ref BareWriter w)
        {
            w.WriteOptional(actor.Actor.HasState);
            if (actor.Actor.HasState)
            {
                w.WriteData(CborJson.JsonToCbor(actor.InspectorState.Span));
            }
        }

        private void WriteConnections(ref BareWriter w)
        {
            var connections = actor.ConnectionList.ToArray();
            w.WriteListCount(connections.Length);
            foreach (var connection in connections)
            {
                w.WriteString(connection.Id);
                var json = new ArrayBufferWriter<byte>(128);
                using (var writer = new Utf8JsonWriter(json))
                {
                    InspectorEndpoint.WriteConnectionDetails(writer, actor, connection);
                }
                w.WriteData(CborJson.JsonToCbor(json.WrittenSpan));
            }
        }

        private void WriteRpcs(ref BareWriter w)
        {
            var names = actor.Definition.ActionNames.Order(StringComparer.Ordinal).ToArray();
            w.WriteListCount(names.Length);
            foreach (var name in names)
            {
                w.WriteString(name);
            }
        }

        private Task SendErrorAsync(string message) => SendAsync((ref BareWriter w) => { w.WriteU8(ToClient.Error); w.WriteString(message); });

        private async Task SendAsync(BareWrite write)
        {
            var buffer = new ArrayBufferWriter<byte>(256);
            var w = new BareWriter(buffer);
            write(ref w);
            await owner.SendAsync(gatewayId, requestId, ++_serverIndex, new ToRivetWebSocketMessage { Data = buffer.WrittenSpan.ToArray(), Binary = true }).ConfigureAwait(false);
        }
    }

    private delegate void BareWrite(ref BareWriter writer);

    /// <summary>Inspector protocol v6 <c>ToServer</c> union tags (RivetKit's <c>inspector/v6.ts</c>).</summary>
    private static class ToServer
    {
        public const uint PatchStateRequest = 0, StateRequest = 1, ConnectionsRequest = 2, ActionRequest = 3, RpcsListRequest = 4;
    }

    /// <summary>Inspector protocol v6 <c>ToClient</c> union tags.</summary>
    private static class ToClient
    {
        public const byte StateResponse = 0, ConnectionsResponse = 1, ActionResponse = 2, ConnectionsUpdated = 3, StateUpdated = 5,
            RpcsListResponse = 8, Error = 16, Init = 17;
    }

    [LoggerMessage(EventId = 1552, Level = LogLevel.Warning, Message = "Inspector WebSocket to actor {ActorId} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string actorId, string reason);

    [LoggerMessage(EventId = 1553, Level = LogLevel.Error, Message = "Inspector WebSocket to actor {ActorId} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string actorId);
}
