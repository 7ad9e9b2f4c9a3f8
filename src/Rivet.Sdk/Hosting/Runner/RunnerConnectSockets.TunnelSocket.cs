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
    /// per-direction index (duplicates after a wake are dropped, a gap closes the socket, except the first message
    /// after a restore, which may be ahead of the persisted index), started in arrival order, and acknowledged in that
    /// order once handled (or running for 5 s); while the actor is writing its state an ack is held back for up to the
    /// coalescing window, so that it covers the messages handled meanwhile. The acknowledged index is kept in memory
    /// and written with the actor's next state save, at sleep and at stop. So a message is either acknowledged or delivered again after a wake; one
    /// whose ack was lost in a crash may run again. Everything sent goes through
    /// one queue, so frames keep their order and indexes (open 0, messages 1, 2, …; acks carry the acked index).
    /// </summary>
    private sealed class TunnelSocket : IConnectFrameSink
    {
        /// <summary>How long a client message may run before it is acknowledged anyway (RivetKit's deadline).</summary>
        private static readonly TimeSpan s_ackDeadline = TimeSpan.FromSeconds(5);

        /// <summary>Client bytes a held-back ack may cover (the gateway keeps unacknowledged messages in memory, bounded per socket).</summary>
        private const int MaxHeldAckBytes = 256 * 1024;

        /// <summary>How long a close is tried again while the engine connection is down (beyond the engine's 15 s lost threshold).</summary>
        private static readonly TimeSpan s_closeRetryWindow = TimeSpan.FromSeconds(30);

        private static readonly TimeSpan s_closeRetryDelay = TimeSpan.FromMilliseconds(250);

        private readonly RunnerConnectSockets _owner;
        private readonly Channel<Inbound> _inbound = Channel.CreateUnbounded<Inbound>(new UnboundedChannelOptions { SingleReader = true });
        private readonly Channel<Outgoing> _outbound = Channel.CreateUnbounded<Outgoing>(new UnboundedChannelOptions { SingleReader = true });
        private readonly Channel<Handled> _handled = Channel.CreateUnbounded<Handled>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        private readonly CancellationTokenSource _aborted = new();
        private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Task _acks;
        private ConnectSession? _session;
        private ushort _lastClientIndex;
        private bool _restoredAhead;
        private ushort _serverIndex;
        private bool _suspended;
        private int _closed;
        private int _dropping;
        private int _dropQueued;
        private long _lastClientActivity = Environment.TickCount64;
        private long _queuedMessages;
        private long _queuedBytes;

        // restored: a socket restored after the actor stopped; its first client message may be ahead of lastClientIndex.
        public TunnelSocket(RunnerConnectSockets owner, byte[] gatewayId, byte[] requestId, ActorInstance actor, ushort lastClientIndex, bool restored = false)
        {
            _owner = owner;
            GatewayId = gatewayId;
            RequestId = requestId;
            Key = RunnerConnectSockets.Key(gatewayId, requestId);
            Actor = actor;
            _lastClientIndex = lastClientIndex;
            _restoredAhead = restored;
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

        public void Receive(ushort index, ToEnvoyWebSocketMessage message)
        {
            Volatile.Write(ref _lastClientActivity, Environment.TickCount64);
            _inbound.Writer.TryWrite(new Inbound(InboundKind.Message, index, message.Data, message.Binary, null, null, null));
        }

        /// <summary>How long since the client last sent something (or the socket opened here).</summary>
        public TimeSpan SilentFor => TimeSpan.FromMilliseconds(Environment.TickCount64 - Volatile.Read(ref _lastClientActivity));

        /// <summary>The liveness check gave up on the client: closes the socket and removes the connection from the actor.</summary>
        public void CloseIdle() => CloseAndDisconnect(1001, IdleTimeoutReason);

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

        /// <summary>
        /// Forgets the socket without closing it (the actor slept, or the engine connection is gone). What is queued
        /// still goes out (events the actor sent while stopping), unless <paramref name="dropQueued"/>: the engine
        /// connection is gone, or another socket took this one's place.
        /// </summary>
        public void Abandon(bool dropQueued = false)
        {
            if (dropQueued)
            {
                Volatile.Write(ref _dropQueued, 1);
            }
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
            var queuedMessages = Interlocked.Increment(ref _queuedMessages);
            var queuedBytes = Interlocked.Add(ref _queuedBytes, data.Length);
            if (queuedMessages > MaxQueuedMessagesPerSocket || queuedBytes > MaxQueuedBytesPerSocket)
            {
                Overflow(queuedMessages, queuedBytes);
                return;
            }
            Post(new ToRivetWebSocketMessage { Data = data, Binary = binary });
        }

        /// <summary>
        /// More is queued for this socket than the engine connection takes away: rather than grow without bound,
        /// the queued messages are dropped and the socket is closed with 1011 <see cref="SendQueueFullReason"/>, which
        /// the client sees (and reconnects from), and the actor loses the connection (OnDisconnect runs).
        /// </summary>
        private void Overflow(long queuedMessages, long queuedBytes)
        {
            if (Interlocked.Exchange(ref _dropping, 1) != 0)
            {
                return;
            }
            LogSendQueueFull(_owner._logger, Actor.ActorId, _session?.Connection.Id, queuedMessages, queuedBytes);
            CloseAndDisconnect(1011, SendQueueFullReason);
        }

        /// <summary>Closes the socket from this side and removes the connection from the actor (OnDisconnect runs).</summary>
        private void CloseAndDisconnect(ushort code, string reason)
        {
            if (IsClosed)
            {
                return; // closed or abandoned already: the actor has dealt with the connection
            }
            var session = _session;
            CloseFromHost(code, reason);
            if (session is not null)
            {
                // Not awaited: this may run in the actor's turn (a broadcast), and the disconnect needs the turn.
                _ = CloseSessionAsync(session, code, reason);
            }
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
            if (step > 1 && _restoredAhead)
            {
                // The first message after a restore: messages up to it were acknowledged before the actor stopped,
                // their index kept in memory only (see ActorInstance.AckIndexes), so the gateway does not re-send them.
                LogRestoredAhead(_owner._logger, Actor.ActorId, item.Index, _lastClientIndex);
            }
            else if (step > 1)
            {
                LogIndexGap(_owner._logger, Actor.ActorId, _lastClientIndex, item.Index);
                CloseFromHost(1008, "ws.message_index_skip");
                await CloseSessionAsync(session, 1008, "ws.message_index_skip").ConfigureAwait(false);
                return;
            }
            _lastClientIndex = item.Index;
            _restoredAhead = false;
            // Started in arrival order (the actor's turn is first come, first served); not awaited, so a slow action
            // does not hold up the connection's other requests. Not cancelled when the socket goes: as in RivetKit, an
            // action the client sent runs to the end (its answer is then dropped).
            _handled.Writer.TryWrite(new Handled(item.Index, session.HandleFrameAsync(item.Data, item.Binary, CancellationToken.None), Environment.TickCount64, item.Data.Length));
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

        /// <summary>
        /// Acknowledges client messages in order: each once it was handled, or once it has run for
        /// <see cref="s_ackDeadline"/> (as RivetKit: a long action must not make the gateway close the socket after its
        /// 30 s ack timeout; such a message is not delivered again after a wake). The connection's record holds the
        /// index before the ack goes out. A message the actor refused because it is stopping ends the acks: neither it
        /// nor any later one is acknowledged, so the gateway delivers them again after the wake. While the actor is
        /// writing its state, an ack is held back (see <see cref="HeldAck"/>); the loop's end (a sleep) sends it.
        /// </summary>
        private async Task AcknowledgeAsync()
        {
            var reader = _handled.Reader;
            var batch = new List<ushort>(8);
            var deferred = false;
            var held = new HeldAck();
            Task<bool>? waiting = null;
            while (true)
            {
                waiting ??= reader.WaitToReadAsync().AsTask();
                if (held.Due is { } due)
                {
                    if (!waiting.IsCompleted && !due.IsCompleted)
                    {
                        await Task.WhenAny(waiting, due).ConfigureAwait(false);
                    }
                    if (due.IsCompleted)
                    {
                        PostHeldAck(held);
                        if (!waiting.IsCompleted)
                        {
                            continue;
                        }
                    }
                }
                if (!await waiting.ConfigureAwait(false))
                {
                    break;
                }
                waiting = null;
                batch.Clear();
                // The oldest message, then every later one already done (or past its deadline): one ack covers them all.
                while (!deferred && reader.TryPeek(out var next))
                {
                    if (batch.Count == 0)
                    {
                        await WaitForHandledOrDeadlineAsync(next).ConfigureAwait(false);
                    }
                    else if (!next.Done.IsCompleted && !next.PastDeadline)
                    {
                        break;
                    }
                    if (next.Done.IsCompleted && !HandledOrFailed(next))
                    {
                        deferred = true;
                        break;
                    }
                    reader.TryRead(out _);
                    if (!next.Done.IsCompleted)
                    {
                        ObserveLater(next);
                    }
                    batch.Add(next.Index);
                    held.Bytes += next.Bytes;
                }
                if (deferred)
                {
                    while (reader.TryRead(out var skipped))
                    {
                        ObserveLater(skipped);
                    }
                    continue;
                }
                if (batch.Count == 0 || IsClosed || _session is not { } session || session.Connection.IsClosed)
                {
                    continue;
                }
                var connection = session.Connection;
                if (connection.HibernationTicket is { } ticket)
                {
                    // Kept in memory: written with the actor's next state save, at sleep and at stop (the messages'
                    // effects are already durable, and a restore accepts an index ahead of the persisted one).
                    ticket.ClientMessageIndex = batch[^1];
                    Actor.IndexAdvanced(connection);
                }
                // One ack for the batch: the gateway's ack is cumulative (it drops every pending message up to the
                // index), and each tunnel frame costs the engine a publish on this runner's one connection, which it
                // handles in order with the KV puts (docs/performance.md, "where the time goes"). While the actor is
                // writing its state (it is busy: more saves follow, and they carry this index), the ack is held back
                // and covers the messages handled meanwhile (docs/performance.md, "fourth round").
                held.Index = batch[^1];
                if (!Actor.IsSaving || held.Bytes >= MaxHeldAckBytes)
                {
                    PostHeldAck(held);
                }
                else
                {
                    held.Due ??= Task.Delay(_owner._ackCoalescing);
                }
            }
            // Suspending (the actor sleeps): what was handled is acknowledged before the actor stops.
            PostHeldAck(held);
        }

        /// <summary>Sends the held ack, if any (not on a socket that is closed or gone).</summary>
        private void PostHeldAck(HeldAck held)
        {
            if (held.Index is { } index && !IsClosed && _session is { Connection.IsClosed: false })
            {
                Post(new ToRivetWebSocketMessageAck { Index = index });
            }
            held.Index = null;
            held.Due = null;
            held.Bytes = 0;
        }

        private static async Task WaitForHandledOrDeadlineAsync(Handled next)
        {
            var left = next.DeadlineLeft;
            if (left > TimeSpan.Zero && !next.Done.IsCompleted)
            {
                await Task.WhenAny(next.Done, Task.Delay(left)).ConfigureAwait(false);
            }
        }

        /// <summary>Whether a finished message may be acknowledged (false: refused because the actor is stopping).</summary>
        private bool HandledOrFailed(Handled handled)
        {
            if (handled.Done.IsCompletedSuccessfully)
            {
                return handled.Done.Result;
            }
            LogMessageFailed(_owner._logger, handled.Done.Exception?.GetBaseException() ?? new OperationCanceledException(), Actor.ActorId, handled.Index);
            return true;
        }

        /// <summary>A message acknowledged before it finished (or never to be acknowledged): its failure is still logged.</summary>
        private void ObserveLater(Handled handled) =>
            _ = handled.Done.ContinueWith(t => HandledOrFailed(handled), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        private async Task PumpOutboundAsync()
        {
            await foreach (var item in _outbound.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                if (item.Kind is not { } kind)
                {
                    item.Flushed?.TrySetResult();
                    continue;
                }
                if (kind is ToRivetWebSocketMessage message)
                {
                    Interlocked.Decrement(ref _queuedMessages);
                    Interlocked.Add(ref _queuedBytes, -message.Data.Length);
                }
                if (Volatile.Read(ref _dropQueued) != 0)
                {
                    continue; // forgotten with its queue: it must not reach the gateway (nor count as lost)
                }
                if (Volatile.Read(ref _dropping) != 0 && kind is not ToRivetWebSocketClose)
                {
                    continue; // the socket is being closed for its backlog or a lost message: only the close goes out
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
                var sent = kind is ToRivetWebSocketClose
                    ? await SendCloseAsync(index, kind).ConfigureAwait(false)
                    : await TrySendAsync(index, kind).ConfigureAwait(false);
                if (!sent && kind is not ToRivetWebSocketClose)
                {
                    OnMessageLost(kind);
                }
                if (kind is ToRivetWebSocketOpen)
                {
                    _opened.TrySetResult();
                }
            }
            _opened.TrySetResult();
        }

        private async Task<bool> TrySendAsync(ushort index, IToRivetTunnelMessageKind kind)
        {
            try
            {
                return await _owner.SendAsync(GatewayId, RequestId, index, kind).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                LogSendFailed(_owner._logger, ex, Actor.ActorId, kind.GetType().Name);
                return false;
            }
        }

        /// <summary>A close must reach the client: while the engine connection is down it is tried again for a while.</summary>
        private async Task<bool> SendCloseAsync(ushort index, IToRivetTunnelMessageKind close)
        {
            var deadline = Environment.TickCount64 + (long)s_closeRetryWindow.TotalMilliseconds;
            while (!await TrySendAsync(index, close).ConfigureAwait(false))
            {
                if (Environment.TickCount64 > deadline)
                {
                    LogCloseLost(_owner._logger, Actor.ActorId, s_closeRetryWindow.TotalSeconds);
                    return false;
                }
                await Task.Delay(s_closeRetryDelay).ConfigureAwait(false);
            }
            return true;
        }

        /// <summary>
        /// A message to the client (or an ack) did not reach the engine: the client's stream has a hole it cannot see.
        /// Rather than go on silently, the socket is closed with 1011 <see cref="MessageLostReason"/> (sent once the
        /// engine connection is back), so the client reconnects and resyncs, and the actor loses the connection.
        /// </summary>
        private void OnMessageLost(IToRivetTunnelMessageKind kind)
        {
            if (Interlocked.Exchange(ref _dropping, 1) != 0)
            {
                return;
            }
            LogMessageLost(_owner._logger, Actor.ActorId, _session?.Connection.Id, kind.GetType().Name);
            CloseAndDisconnect(1011, MessageLostReason);
        }

        private enum InboundKind
        {
            Message,
            Close,
            Suspend,
        }

        private sealed record Inbound(InboundKind Kind, ushort Index, byte[] Data, bool Binary, ushort? Code, string? Reason, TaskCompletionSource? Suspended);

        private sealed record Outgoing(IToRivetTunnelMessageKind? Kind, TaskCompletionSource? Flushed);

        /// <summary>An ack held back while the actor writes its state: the index it will carry, when it is due, the client bytes it covers.</summary>
        private sealed class HeldAck
        {
            public ushort? Index;
            public Task? Due;
            public long Bytes;
        }

        /// <summary>A client message being handled: <paramref name="Done"/> is false when the actor refused it because it is stopping.</summary>
        private sealed record Handled(ushort Index, Task<bool> Done, long StartedAt, int Bytes)
        {
            public TimeSpan DeadlineLeft => s_ackDeadline - TimeSpan.FromMilliseconds(Environment.TickCount64 - StartedAt);

            public bool PastDeadline => DeadlineLeft <= TimeSpan.Zero;
        }
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

    [LoggerMessage(EventId = 1701, Level = LogLevel.Debug, Message = "Actor {ActorId}: the first message on a restored socket has index {Index}, ahead of the persisted {Persisted} (acknowledged before the actor stopped; accepted)")]
    private static partial void LogRestoredAhead(ILogger logger, string actorId, ushort index, ushort persisted);

    [LoggerMessage(EventId = 238, Level = LogLevel.Warning, Message = "Actor {ActorId}: a {Kind} for connection {ConnectionId} did not reach the engine (its connection is down); closing the socket (1011 " + MessageLostReason + ") so the client knows")]
    private static partial void LogMessageLost(ILogger logger, string actorId, string? connectionId, string kind);

    [LoggerMessage(EventId = 239, Level = LogLevel.Warning, Message = "Actor {ActorId}: the close of a tunnelled WebSocket could not be sent within {Seconds} s; the engine connection is still down")]
    private static partial void LogCloseLost(ILogger logger, string actorId, double seconds);

    [LoggerMessage(EventId = 237, Level = LogLevel.Warning, Message = "Actor {ActorId}: connection {ConnectionId} has {Messages} messages ({Bytes} bytes) queued that the engine connection has not taken; closing it (1011 " + SendQueueFullReason + ")")]
    private static partial void LogSendQueueFull(ILogger logger, string actorId, string? connectionId, long messages, long bytes);

    [LoggerMessage(EventId = 240, Level = LogLevel.Error, Message = "Actor {ActorId}: serving a tunnelled WebSocket failed; closing it")]
    private static partial void LogInboundFailed(ILogger logger, Exception exception, string actorId);

    [LoggerMessage(EventId = 236, Level = LogLevel.Warning, Message = "Actor {ActorId}: sending {Kind} on a tunnelled WebSocket failed")]
    private static partial void LogSendFailed(ILogger logger, Exception exception, string actorId, string kind);
}
