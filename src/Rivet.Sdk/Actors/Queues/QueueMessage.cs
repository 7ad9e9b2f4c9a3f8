using System;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Rivet.Runtime.Queues;

namespace Rivet;

/// <summary>
/// One received queue message, body as Rivet JSON. It is handled in the actor's turn, like an action: the turn
/// lasts until the run loop asks for the next message or <see cref="Actor.RunAsync"/> returns; then the state is
/// saved and the message leaves the queue (and a waiting sender gets its answer). When <c>RunAsync</c> throws
/// instead, the state goes back to what it was and the message stays queued.
/// </summary>
public class QueueMessage
{
    internal QueueMessage(QueueEntry entry) => Entry = entry;

    internal QueueEntry Entry { get; }

    /// <summary>The message id: increasing per actor, in send order.</summary>
    public long Id => (long)Entry.Id;

    /// <summary>The queue it was sent to.</summary>
    public string Name => Entry.Name;

    /// <summary>When it was accepted.</summary>
    public DateTimeOffset CreatedAt => DateTimeOffset.FromUnixTimeMilliseconds(Entry.CreatedAtMs);

    /// <summary>The body as Rivet JSON.</summary>
    public ReadOnlyMemory<byte> BodyJson => Entry.Body;

    /// <summary>
    /// Completes the message with a response (Rivet JSON) for a waiting sender. The answer goes out once the turn
    /// ends and its state is durable; a message not completed explicitly is completed without a response.
    /// </summary>
    /// <exception cref="InvalidOperationException">The message was already completed.</exception>
    public void Complete(ReadOnlyMemory<byte> responseJson = default)
    {
        if (Entry.Completed)
        {
            throw new InvalidOperationException($"Queue message {Id} of queue '{Name}' was already completed.");
        }
        Entry.Completed = true;
        Entry.Response = responseJson.IsEmpty ? null : responseJson.ToArray();
    }
}

/// <summary>A received message of a <see cref="QueueAttribute{TMessage}"/> queue, with its typed body.</summary>
/// <typeparam name="TMessage">The message type.</typeparam>
public class QueueMessage<TMessage> : QueueMessage
{
    internal QueueMessage(QueueEntry entry, JsonTypeInfo<TMessage> type) : base(entry) =>
        // Validated when it was sent; a stored body that no longer reads (the type changed) fails here, clearly.
        Body = JsonSerializer.Deserialize(entry.Body, type)!;

    /// <summary>The message.</summary>
    public TMessage Body { get; }
}

/// <summary>A received message of a <see cref="QueueAttribute{TMessage, TCompletion}"/> queue.</summary>
/// <typeparam name="TMessage">The message type.</typeparam>
/// <typeparam name="TCompletion">The response a waiting sender gets.</typeparam>
public sealed class QueueMessage<TMessage, TCompletion> : QueueMessage<TMessage>
{
    private readonly JsonTypeInfo<TCompletion> _completionType;

    internal QueueMessage(QueueEntry entry, JsonTypeInfo<TMessage> type, JsonTypeInfo<TCompletion> completionType) : base(entry, type) =>
        _completionType = completionType;

    /// <summary>Completes the message with <paramref name="response"/> for a waiting sender (see <see cref="QueueMessage.Complete"/>).</summary>
    /// <exception cref="InvalidOperationException">The message was already completed.</exception>
    public void Complete(TCompletion response) => Complete(JsonSerializer.SerializeToUtf8Bytes(response, _completionType));
}
