using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Rivet.Runtime.Queues;

namespace Rivet.Runtime;

// Durable queues (RivetKit's c.queue). A send is durable before it is answered; the run loop receives messages in id
// order, each receive holding the actor's turn like an action until the next receive or the end of RunAsync. Then
// the turn's state is saved first and the messages leave the queue after (at-least-once: a crash in between hands
// them out again), and waiting senders get their answer.
internal sealed partial class ActorInstance
{
    /// <summary>RivetKit's <c>maxQueueSize</c>: messages an actor holds at most.</summary>
    public const int MaxQueueSize = 1000;

    /// <summary>RivetKit's <c>maxQueueMessageSize</c>: the largest message body (64 KiB, as JSON).</summary>
    public const int MaxQueueMessageSize = 64 * 1024;

    /// <summary>RivetKit's error group and codes for refused sends.</summary>
    public const string QueueGroup = "queue";
    public const string QueueFullCode = "full";
    public const string QueueMessageTooLargeCode = "message_too_large";

    // Set in the run loop's flow only: receiving elsewhere (an action) would wait on the turn it holds.
    private static readonly AsyncLocal<ActorInstance?> s_runLoopOf = new();

    private readonly SemaphoreSlim _queueWrite = new(1, 1);
    private readonly Lock _queueGate = new();
    private readonly List<QueueEntry> _queue = [];
    private readonly Dictionary<ulong, TaskCompletionSource<QueueEntry?>> _queueWaiters = [];
    private TaskCompletionSource _queueSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ulong _nextQueueId = 1;
    private List<QueueEntry>? _receiveTurn;

    /// <summary>Loads the stored messages (on start, only for actors that declare queues).</summary>
    private async Task LoadQueueAsync(CancellationToken cancellationToken)
    {
        if (Definition.Queues.Count == 0)
        {
            return;
        }
        var stored = QueueStorage.Decode(await Kv.ListPrefixAsync(QueueStorage.Prefix, cancellationToken: cancellationToken).ConfigureAwait(false));
        lock (_queueGate)
        {
            _queue.AddRange(stored);
            _nextQueueId = stored.Count == 0 ? 1 : stored[^1].Id + 1;
        }
    }

    /// <summary>Messages queued (in <paramref name="name"/>, or all).</summary>
    public int QueueCount(string? name)
    {
        lock (_queueGate)
        {
            return name is null ? _queue.Count : _queue.FindAll(e => e.Name == name).Count;
        }
    }

    /// <summary>
    /// Accepts a message for <paramref name="name"/> (durable once this returns); with <paramref name="wait"/>, waits
    /// up to <paramref name="timeout"/> (the actor's action timeout when null) for the run loop to complete it.
    /// Returns the response (Rivet JSON or null) and whether it completed; a queue the actor does not declare takes
    /// nothing and reports completed, as in RivetKit.
    /// </summary>
    /// <exception cref="RivetException"><c>queue.full</c>, <c>queue.message_too_large</c>, <c>actor.invalid_request</c> (the body
    /// is not a message of that queue), <c>auth.forbidden</c> (CanPublishAsync refused), or the actor stopped.</exception>
    public async Task<(bool Completed, byte[]? Response)> SendToQueueAsync(string name, ReadOnlyMemory<byte> bodyJson, bool wait, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        ThrowIfStopped();
        var declaration = FindQueue(name);
        if (declaration is null)
        {
            LogUndeclaredQueue(_logger, Definition.Name, Key, name);
            return (true, null);
        }
        if (bodyJson.Length > MaxQueueMessageSize)
        {
            throw new RivetException(QueueGroup, QueueMessageTooLargeCode,
                $"Queue message too large ({bodyJson.Length} bytes). Limit is {MaxQueueMessageSize} bytes (queue '{name}' of actor '{Definition.Name}' {Key}).") { ActorId = ActorId };
        }
        try
        {
            _ = JsonSerializer.Deserialize(bodyJson.Span, declaration.MessageType);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or ArgumentException or InvalidOperationException)
        {
            throw new RivetException(RivetErrors.ActorGroup, RivetErrors.InvalidRequest,
                $"The message sent to queue '{name}' of actor '{Definition.Name}' is not a {declaration.MessageType.Type.Name}: {ex.Message}", innerException: ex) { ActorId = ActorId };
        }
        if (!await Actor.RunCanPublishAsync(name, cancellationToken).ConfigureAwait(false))
        {
            throw new RivetException("auth", "forbidden", $"Actor '{Definition.Name}' {Key} refused a message to queue '{name}' (CanPublishAsync).") { ActorId = ActorId };
        }

        TaskCompletionSource<QueueEntry?>? waiter = null;
        QueueEntry entry;
        // One send at a time takes an id and writes it, so ids (and the order receivers see) follow the writes.
        await _queueWrite.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfStopped();
            lock (_queueGate)
            {
                if (_queue.Count >= MaxQueueSize)
                {
                    throw new RivetException(QueueGroup, QueueFullCode,
                        $"Queue is full. Limit is {MaxQueueSize} messages (actor '{Definition.Name}' {Key}).") { ActorId = ActorId };
                }
                entry = new QueueEntry(_nextQueueId, name, bodyJson.ToArray(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            }
            // Not cancellable: once the write may have landed, the message is in the queue.
            await Kv.PutAsync([new Storage.KvEntry(QueueStorage.Key(entry.Id), QueueStorage.Encode(entry))], CancellationToken.None).ConfigureAwait(false);
            TaskCompletionSource signal;
            lock (_queueGate)
            {
                _nextQueueId++;
                _queue.Add(entry);
                if (wait)
                {
                    waiter = new TaskCompletionSource<QueueEntry?>(TaskCreationOptions.RunContinuationsAsynchronously);
                    _queueWaiters[entry.Id] = waiter;
                }
                signal = _queueSignal;
                _queueSignal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            signal.TrySetResult();
        }
        finally
        {
            _queueWrite.Release();
        }
        MarkActivity();
        if (waiter is null)
        {
            return (true, null);
        }
        var bound = timeout ?? Actor.EffectiveActionTimeout;
        try
        {
            var done = await waiter.Task.WaitAsync(bound == Timeout.InfiniteTimeSpan ? Actor.DefaultActionTimeout : bound, cancellationToken).ConfigureAwait(false);
            return done is null ? (false, null) : (true, done.Response);
        }
        catch (TimeoutException)
        {
            return (false, null);
        }
        finally
        {
            lock (_queueGate)
            {
                _queueWaiters.Remove(entry.Id);
            }
        }
    }

    private QueueDeclaration? FindQueue(string name)
    {
        foreach (var queue in Definition.Queues)
        {
            if (queue.Name == name)
            {
                return queue;
            }
        }
        return null;
    }

    /// <summary>
    /// Receives up to <paramref name="maxCount"/> messages of <paramref name="names"/> (all when empty) in the actor's
    /// turn, ending the previous receive's turn first; empty when <paramref name="timeout"/> passed first.
    /// </summary>
    public async Task<IReadOnlyList<QueueEntry>> ReceiveQueueAsync(IReadOnlyCollection<string>? names, int maxCount, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (s_runLoopOf.Value != this)
        {
            throw new InvalidOperationException(
                $"Actor '{Definition.Name}' receives queue messages only in RunAsync (an action holds the actor's turn, which a received message needs).");
        }
        await FinishReceiveTurnAsync(commit: true).ConfigureAwait(false);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        var deadline = timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (true)
        {
            Task signal;
            lock (_queueGate)
            {
                signal = Pick(names, 1).Count > 0 ? Task.CompletedTask : _queueSignal.Task;
            }
            if (!signal.IsCompleted)
            {
                var left = deadline == long.MaxValue ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(Math.Max(0, deadline - Environment.TickCount64));
                try
                {
                    await signal.WaitAsync(left, linked.Token).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    return [];
                }
                continue;
            }
            await EnterTurnAsync(linked.Token).ConfigureAwait(false);
            List<QueueEntry> picked;
            lock (_queueGate)
            {
                picked = Pick(names, maxCount);
                foreach (var entry in picked)
                {
                    entry.InFlight = true;
                }
            }
            if (picked.Count == 0 || _stopped)
            {
                ExitTurn();
                linked.Token.ThrowIfCancellationRequested();
                continue;
            }
            _receiveTurn = picked;
            return picked;
        }
    }

    private List<QueueEntry> Pick(IReadOnlyCollection<string>? names, int maxCount)
    {
        var picked = new List<QueueEntry>(Math.Min(maxCount, 16));
        foreach (var entry in _queue)
        {
            if (!entry.InFlight && (names is null || names.Count == 0 || Contains(names, entry.Name)))
            {
                picked.Add(entry);
                if (picked.Count == maxCount)
                {
                    break;
                }
            }
        }
        return picked;

        static bool Contains(IReadOnlyCollection<string> names, string name)
        {
            foreach (var n in names)
            {
                if (n == name)
                {
                    return true;
                }
            }
            return false;
        }
    }

    /// <summary>
    /// Ends the open receive turn (if any): on commit its state is saved, then its messages leave the queue and their
    /// waiting senders are answered; otherwise the state goes back and the messages stay for a later receive.
    /// </summary>
    private async Task FinishReceiveTurnAsync(bool commit)
    {
        if (_receiveTurn is not { } turn)
        {
            return;
        }
        _receiveTurn = null;
        try
        {
            if (!commit)
            {
                RestoreSavedState();
                Release(turn);
                return;
            }
            try
            {
                await PersistTurnAsync("queue " + turn[0].Name, CancellationToken.None).ConfigureAwait(false);
            }
            catch
            {
                Release(turn);
                throw;
            }
            var keys = new byte[turn.Count][];
            for (var i = 0; i < keys.Length; i++)
            {
                keys[i] = QueueStorage.Key(turn[i].Id);
            }
            try
            {
                await Kv.DeleteAsync(keys, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // Handled and saved; only the removal failed, so a later start hands them out again (at-least-once).
                LogQueueDeleteFailed(_logger, ex, Definition.Name, Key, ActorId, turn.Count);
            }
            var answers = new List<(TaskCompletionSource<QueueEntry?>, QueueEntry)>();
            lock (_queueGate)
            {
                foreach (var entry in turn)
                {
                    _queue.Remove(entry);
                    if (_queueWaiters.Remove(entry.Id, out var waiter))
                    {
                        answers.Add((waiter, entry));
                    }
                }
            }
            foreach (var (waiter, entry) in answers)
            {
                waiter.TrySetResult(entry);
            }
        }
        finally
        {
            ExitTurn();
        }

        void Release(List<QueueEntry> entries)
        {
            lock (_queueGate)
            {
                foreach (var entry in entries)
                {
                    entry.InFlight = false;
                    entry.Completed = false;
                    entry.Response = null;
                }
            }
        }
    }

    /// <summary>On stop: senders still waiting see <c>timedOut</c> (their messages stay queued), as in RivetKit.</summary>
    private void EndQueueWaits()
    {
        List<TaskCompletionSource<QueueEntry?>> waiters;
        lock (_queueGate)
        {
            waiters = [.. _queueWaiters.Values];
            _queueWaiters.Clear();
        }
        foreach (var waiter in waiters)
        {
            waiter.TrySetResult(null);
        }
    }

    [LoggerMessage(EventId = 1400, Level = LogLevel.Debug, Message = "Actor {Name} {Key} declares no queue {Queue}; the message was dropped and reported completed, as RivetKit does")]
    private static partial void LogUndeclaredQueue(ILogger logger, string name, ActorKey key, string queue);

    [LoggerMessage(EventId = 1401, Level = LogLevel.Warning, Message = "Removing {Count} handled queue messages of actor {Name} {Key} ({ActorId}) failed; they are handed out again after the next start")]
    private static partial void LogQueueDeleteFailed(ILogger logger, Exception exception, string name, ActorKey key, string actorId, int count);
}
