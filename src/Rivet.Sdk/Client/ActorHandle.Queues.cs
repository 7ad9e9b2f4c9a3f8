using System;
using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Protocol.Client;

namespace Rivet.Client;

// Queue sends (RivetKit's handle.send(name, body, { wait, timeout })).
public sealed partial class ActorHandle
{
    /// <summary>
    /// Sends a message (Rivet JSON) to the actor's queue <paramref name="queue"/> and returns once it is stored
    /// (durable; the actor's run loop handles it later). A queue the actor does not declare drops the message, as
    /// RivetKit does. Generated handles have a typed <c>Send…</c> method per declared queue.
    /// </summary>
    /// <exception cref="RivetException"><c>queue.full</c> (1,000 messages), <c>queue.message_too_large</c> (64 KiB),
    /// <c>actor.invalid_request</c> (not a message of that queue), <c>auth.forbidden</c> (the actor's CanPublishAsync refused).</exception>
    public async Task SendRawAsync(string queue, ReadOnlyMemory<byte> bodyJson, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        await _transport.SendToQueueAsync(Query, queue, bodyJson, wait: false, timeout: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends a message (Rivet JSON) and waits up to <paramref name="timeout"/> (the actor's action timeout, 60 s by
    /// default, when null) for the actor to complete it. <see cref="QueueSendStatus.TimedOut"/> when the wait ended
    /// first, which includes the actor stopping (sleep, restart) before completing it: the message stays queued.
    /// </summary>
    /// <returns>The status and the completion response (Rivet JSON; empty when there is none).</returns>
    public async Task<(QueueSendStatus Status, ReadOnlyMemory<byte> ResponseJson)> SendAndWaitRawAsync(string queue, ReadOnlyMemory<byte> bodyJson, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        if (timeout is { } t && t < TimeSpan.Zero && t != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), t, "The wait cannot be negative.");
        }
        var answer = await _transport.SendToQueueAsync(Query, queue, bodyJson, wait: true, timeout, cancellationToken).ConfigureAwait(false);
        return (Status(answer, queue), answer.ResponseJson);
    }

    /// <summary>Sends a typed message. Used by generated handles.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public Task SendAsync<TMessage>(string queue, TMessage message, JsonTypeInfo<TMessage> messageType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messageType);
        return SendRawAsync(queue, JsonSerializer.SerializeToUtf8Bytes(message, messageType), cancellationToken);
    }

    /// <summary>Sends a typed message and waits for its typed completion. Used by generated handles.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public async Task<QueueSendResult<TCompletion>> SendAndWaitAsync<TMessage, TCompletion>(
        string queue, TMessage message, JsonTypeInfo<TMessage> messageType, JsonTypeInfo<TCompletion> completionType, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messageType);
        ArgumentNullException.ThrowIfNull(completionType);
        var (status, response) = await SendAndWaitRawAsync(queue, JsonSerializer.SerializeToUtf8Bytes(message, messageType), timeout, cancellationToken).ConfigureAwait(false);
        return new QueueSendResult<TCompletion>(status, response.IsEmpty ? default : ActionResults.Read(Query, queue, response, completionType));
    }

    private QueueSendStatus Status(QueueSendResponse answer, string queue) => answer.Status switch
    {
        ClientEncoding.QueueCompleted => QueueSendStatus.Completed,
        ClientEncoding.QueueTimedOut => QueueSendStatus.TimedOut,
        _ => throw new RivetException(RivetErrors.ActorGroup, RivetErrors.InvalidRequest,
            $"Queue '{queue}' of actor {Query} answered the unknown status '{answer.Status}'."),
    };
}
