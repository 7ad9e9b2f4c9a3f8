using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Rivet.Hosting.ActorConnect;
using Rivet.Protocol.Envoy;
using Rivet.Runtime;

namespace Rivet.Hosting.Runner;

internal sealed partial class RunnerConnectSockets
{
    /// <summary>
    /// One tunnelled <c>/connect</c> socket in one actor generation. Client messages are checked against the
    /// per-direction index (duplicates after a wake are dropped, a gap closes the socket), started in arrival order,
    /// and acknowledged in that order once handled and once the connection's record holds the new index, so a message
    /// is either acknowledged or delivered again after a wake, never lost or run twice. Everything sent goes through
    /// one queue, so frames keep their order and indexes (open 0, messages 1, 2, …; acks carry the acked index).
    /// </summary>
    private sealed class TunnelSocket : IConnectFrameSink
    {
        private readonly RunnerConnectSockets _owner;
        private readonly Channel<Inbound> _inbound = Channel.CreateUnbounded<Inbound>(new UnboundedChannelOptions { SingleReader = true });
        private readonly Channel<Outgoing> _outbound = Channel.CreateUnbounded<Outgoing>(new UnboundedChannelOptions { SingleReader = true });
        private readonly Channel<Handled> _handled = Channel.CreateUnbounded<Handled>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        private readonly CancellationTokenSource _aborted = new();
        private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Task _acks;
        private ConnectSession? _session;
        private ushort _lastClientIndex;
        private ushort _serverIndex;
        private bool _suspended;
        private int _closed;

        public TunnelSocket(RunnerConnectSockets owner, byte[] gatewayId, byte[] requestId, ActorInstance actor, ushort lastClientIndex)
        {
            _owner = owner;
            GatewayId = gatewayId;
            RequestId = requestId;
            Key = RunnerConnectSockets.Key(gatewayId, requestId);
            Actor = actor;
            _lastClientIndex = lastClientIndex;
            _ = Task.Run(PumpOutboundAsync);
            _acks = Task.Run(AcknowledgeAsync);
        }

        public byte[] GatewayId { get; }

        public byte[] RequestId { get; }

        public ulong Key { get; }

        public ActorInstance Actor { get; }

        /// <summary>Cancelled when the socket is gone: an open still waiting for the actor's turn gives up.</summary>
        public CancellationToken Aborted => _aborted.Token;

        /// <summary>Completes once the open message went out (or the socket ended).</summary>
        public Task Opened => _opened.Task;

        private bool IsClosed => Volatile.Read(ref _closed) != 0;

        public void Post(IToRivetTunnelMessageKind kind) => _outbound.Writer.TryWrite(new Outgoing(kind, null));

        /// <summary>Opens (or restores) the session, then handles the client's messages in order.</summary>
        public void Start(Func<Task<ConnectSession>> open) => _ = Task.Run(() => RunAsync(open));

        public void Receive(ushort index, ToEnvoyWebSocketMessage message) =>
            _inbound.Writer.TryWrite(new Inbound(InboundKind.Message, index, message.Data, message.Binary, null, null, null));

        public void ClientClosed(ushort? code, string? reason) =>
            _inbound.Writer.TryWrite(new Inbound(InboundKind.Close, 0, [], false, code, reason, null));

        /// <summary>
        /// Stops handling new messages, waits for the running ones to be acknowledged, and flushes what is queued.
        /// Events still go out until <see cref="Abandon"/>.
        /// </summary>
        public async Task SuspendAsync()
        {
            var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_inbound.Writer.TryWrite(new Inbound(InboundKind.Suspend, 0, [], false, null, null, stopped)))
            {
                await stopped.Task.ConfigureAwait(false);
            }
            await _acks.ConfigureAwait(false);
            var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_outbound.Writer.TryWrite(new Outgoing(null, flushed)))
            {
                await flushed.Task.ConfigureAwait(false);
            }
        }

        /// <summary>Forgets the socket without closing it (the actor slept, or the engine connection is gone).</summary>
        public void Abandon()
        {
            Interlocked.Exchange(ref _closed, 1);
            _session?.Detach();
            End();
        }

        /// <summary>Closes the socket from this side; nothing is sent after the close.</summary>
        public void CloseFromHost(ushort code, string reason)
        {
            if (Interlocked.Exchange(ref _closed, 1) != 0)
            {
                return;
            }
            _session?.Detach();
            Post(new ToRivetWebSocketClose { Code = code, Reason = reason, Hibernate = false });
            End();
        }

        void IConnectFrameSink.Send(ReadOnlyMemory<byte> frame, bool binary)
        {
            if (IsClosed)
            {
                return;
            }
            var data = MemoryMarshal.TryGetArray(frame, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
                ? segment.Array
                : frame.ToArray();
            Post(new ToRivetWebSocketMessage { Data = data, Binary = binary });
        }

        void IConnectFrameSink.Close(ushort code, string reason) => CloseFromHost(code, reason);

        private void End()
        {
            _owner.Remove(this);
            _inbound.Writer.TryComplete();
            _handled.Writer.TryComplete();
            _outbound.Writer.TryComplete();
            // Off this thread: the close may come from inside the actor's turn, and waiters of the turn react to it.
            _ = _aborted.CancelAsync();
        }

        private async Task RunAsync(Func<Task<ConnectSession>> open)
        {
            try
            {
                _session = await open().ConfigureAwait(false);
            }
            catch (RivetException)
            {
                // Rejected: the session already sent the Error frame and closed the socket.
                CloseFromHost(1011, "actor.internal_error");
            }
            catch (OperationCanceledException) when (Aborted.IsCancellationRequested)
            {
                // The socket went away while the actor was still accepting it.
            }
            catch (Exception ex)
            {
                LogOpenFailed(_owner._logger, ex, Actor.ActorId);
                CloseFromHost(1011, "actor.internal_error");
            }
            try
            {
                await foreach (var item in _inbound.Reader.ReadAllAsync().ConfigureAwait(false))
                {
                    switch (item.Kind)
                    {
                        case InboundKind.Suspend:
                            _suspended = true;
                            _handled.Writer.TryComplete();
                            item.Suspended!.TrySetResult();
                            break;
                        case InboundKind.Close:
                            await OnClientClosedAsync(item.Code, item.Reason).ConfigureAwait(false);
                            break;
                        default:
                            await OnMessageAsync(item).ConfigureAwait(false);
                            break;
                    }
                }
            }
            catch (Exception ex)
            {
                // Nobody awaits this loop: a fault here would go unobserved and leave a socket nobody serves.
                LogInboundFailed(_owner._logger, ex, Actor.ActorId);
                CloseFromHost(1011, "actor.internal_error");
            }
        }

        private async Task OnMessageAsync(Inbound item)
        {
            if (_session is not { } session || _suspended || IsClosed || session.IsClosed)
            {
                return; // not acknowledged: after a wake the gateway delivers it again
            }
            var step = (short)(item.Index - _lastClientIndex);
            if (step <= 0)
            {
                LogDuplicate(_owner._logger, Actor.ActorId, item.Index, _lastClientIndex);
                // Acknowledged again: its first ack may have been lost with the socket before a sleep, and an
                // unacknowledged message makes the gateway close the socket after its ack timeout.
                Post(new ToRivetWebSocketMessageAck { Index = item.Index });
                return;
            }
            if (step > 1)
            {
                LogIndexGap(_owner._logger, Actor.ActorId, _lastClientIndex, item.Index);
                CloseFromHost(1008, "ws.message_index_skip");
                await CloseSessionAsync(session, 1008, "ws.message_index_skip").ConfigureAwait(false);
                return;
            }
            _lastClientIndex = item.Index;
            // Started in arrival order (the actor's turn is first come, first served); not awaited, so a slow action
            // does not hold up the connection's other requests. Not cancelled when the socket goes: as in RivetKit, an
            // action the client sent runs to the end (its answer is then dropped).
            _handled.Writer.TryWrite(new Handled(item.Index, session.HandleFrameAsync(item.Data, item.Binary, CancellationToken.None)));
        }

        private async Task OnClientClosedAsync(ushort? code, string? reason)
        {
            if (Interlocked.Exchange(ref _closed, 1) == 0)
            {
                // As RivetKit: echo the client's close.
                Post(new ToRivetWebSocketClose { Code = code, Reason = reason, Hibernate = false });
                End();
            }
            if (_session is { } session)
            {
                await CloseSessionAsync(session, code, reason).ConfigureAwait(false);
            }
        }

        private async Task CloseSessionAsync(ConnectSession session, ushort? code, string? reason)
        {
            try
            {
                await session.ClosedAsync(code, reason).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                LogCloseFailed(_owner._logger, ex, Actor.ActorId);
            }
        }

        private async Task AcknowledgeAsync()
        {
            var reader = _handled.Reader;
            var batch = new List<ushort>(8);
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                batch.Clear();
                // The oldest message, then every later one already done: one record write acknowledges them all.
                while (reader.TryPeek(out var next) && (batch.Count == 0 || next.Done.IsCompleted))
                {
                    reader.TryRead(out _);
                    try
                    {
                        await next.Done.ConfigureAwait(false);
                    }
                    catch (Exception ex)
                    {
                        LogMessageFailed(_owner._logger, ex, Actor.ActorId, next.Index);
                    }
                    batch.Add(next.Index);
                }
                if (IsClosed || _session is not { } session || session.Connection.IsClosed)
                {
                    continue;
                }
                var connection = session.Connection;
                if (connection.HibernationTicket is { } ticket)
                {
                    ticket.ClientMessageIndex = batch[^1];
                    try
                    {
                        await Actor.PersistHibernationAsync(connection, CancellationToken.None).ConfigureAwait(false);
                    }
                    catch (Exception ex)
                    {
                        // Not acknowledged: the gateway keeps the messages and delivers them again after a wake.
                        LogPersistFailed(_owner._logger, ex, Actor.ActorId, connection.Id);
                        continue;
                    }
                }
                foreach (var index in batch)
                {
                    Post(new ToRivetWebSocketMessageAck { Index = index });
                }
            }
        }

        private async Task PumpOutboundAsync()
        {
            await foreach (var item in _outbound.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                if (item.Kind is not { } kind)
                {
                    item.Flushed?.TrySetResult();
                    continue;
                }
                ushort index = kind switch
                {
                    ToRivetWebSocketMessage => ++_serverIndex,
                    ToRivetWebSocketMessageAck ack => ack.Index,
                    _ => 0,
                };
                if (kind is ToRivetWebSocketMessage && _session?.Connection.HibernationTicket is { } ticket)
                {
                    ticket.ServerMessageIndex = index;
                }
                try
                {
                    await _owner.SendAsync(GatewayId, RequestId, index, kind).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    LogSendFailed(_owner._logger, ex, Actor.ActorId, kind.GetType().Name);
                }
                if (kind is ToRivetWebSocketOpen)
                {
                    _opened.TrySetResult();
                }
            }
            _opened.TrySetResult();
        }

        private enum InboundKind
        {
            Message,
            Close,
            Suspend,
        }

        private sealed record Inbound(InboundKind Kind, ushort Index, byte[] Data, bool Binary, ushort? Code, string? Reason, TaskCompletionSource? Suspended);

        private sealed record Outgoing(IToRivetTunnelMessageKind? Kind, TaskCompletionSource? Flushed);

        private sealed record Handled(ushort Index, Task Done);
    }

    [LoggerMessage(EventId = 230, Level = LogLevel.Error, Message = "Actor {ActorId}: opening a /connect connection failed")]
    private static partial void LogOpenFailed(ILogger logger, Exception exception, string actorId);

    [LoggerMessage(EventId = 231, Level = LogLevel.Debug, Message = "Actor {ActorId}: dropping client message {Index}, already handled (last {Last})")]
    private static partial void LogDuplicate(ILogger logger, string actorId, ushort index, ushort last);

    [LoggerMessage(EventId = 232, Level = LogLevel.Warning, Message = "Actor {ActorId}: client message {Index} follows {Last}; messages were lost, closing the socket")]
    private static partial void LogIndexGap(ILogger logger, string actorId, ushort last, ushort index);

    [LoggerMessage(EventId = 233, Level = LogLevel.Error, Message = "Actor {ActorId}: closing a connection failed")]
    private static partial void LogCloseFailed(ILogger logger, Exception exception, string actorId);

    [LoggerMessage(EventId = 234, Level = LogLevel.Error, Message = "Actor {ActorId}: client message {Index} failed")]
    private static partial void LogMessageFailed(ILogger logger, Exception exception, string actorId, ushort index);

    [LoggerMessage(EventId = 235, Level = LogLevel.Error, Message = "Actor {ActorId}: saving the message index of connection {ConnectionId} failed; its messages stay unacknowledged")]
    private static partial void LogPersistFailed(ILogger logger, Exception exception, string actorId, string connectionId);

    [LoggerMessage(EventId = 237, Level = LogLevel.Error, Message = "Actor {ActorId}: serving a tunnelled WebSocket failed; closing it")]
    private static partial void LogInboundFailed(ILogger logger, Exception exception, string actorId);

    [LoggerMessage(EventId = 236, Level = LogLevel.Warning, Message = "Actor {ActorId}: sending {Kind} on a tunnelled WebSocket failed")]
    private static partial void LogSendFailed(ILogger logger, Exception exception, string actorId, string kind);
}
