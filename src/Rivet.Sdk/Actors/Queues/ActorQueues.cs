using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Runtime;

namespace Rivet;

/// <summary>
/// The actor's queues, untyped (<c>Context.Queues</c>): receive by name filter and in batches. Receiving is only
/// possible from <see cref="Actor.RunAsync"/>; each receive hands over the actor's turn (see <see cref="QueueMessage"/>).
/// The generated <c>Queues</c> property gives typed receivers per declared queue.
/// </summary>
public sealed class ActorQueues
{
    private readonly Actor _actor;

    internal ActorQueues(Actor actor) => _actor = actor;

    private ActorInstance Instance => _actor.Instance ?? throw new InvalidOperationException("The actor is not running.");

    /// <summary>How many messages are queued (received ones not yet done included), in <paramref name="name"/> or in all queues.</summary>
    public int Count(string? name = null) => Instance.QueueCount(name);

    /// <summary>
    /// Waits for the next message of the queues in <paramref name="names"/> (all queues when null or empty) and
    /// receives up to <paramref name="maxCount"/> of them, oldest first (RivetKit's <c>nextBatch</c>). Ends the turn of
    /// the previous receive first.
    /// </summary>
    /// <param name="names">The queues to receive from; null or empty for all.</param>
    /// <param name="maxCount">At most this many messages (1 or more).</param>
    /// <param name="timeout">How long to wait for a message; <see cref="Timeout.InfiniteTimeSpan"/> to wait until cancelled.</param>
    /// <param name="cancellationToken">Cancels the wait (the actor's stop cancels it too).</param>
    /// <returns>The messages, or an empty list when the timeout passed first.</returns>
    /// <exception cref="InvalidOperationException">Called outside <see cref="Actor.RunAsync"/>.</exception>
    public Task<IReadOnlyList<QueueMessage>> NextBatchAsync(IReadOnlyCollection<string>? names, int maxCount, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        return ReceiveAsync(names, maxCount, timeout, cancellationToken);
    }

    /// <summary>
    /// The messages of the queues in <paramref name="names"/> (all when null or empty), one at a time, oldest first,
    /// until <paramref name="cancellationToken"/> or the actor's stop (RivetKit's <c>iter</c>).
    /// </summary>
    /// <exception cref="InvalidOperationException">Enumerated outside <see cref="Actor.RunAsync"/>.</exception>
    public async IAsyncEnumerable<QueueMessage> ReceiveAsync(IReadOnlyCollection<string>? names = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var batch = await ReceiveAsync(names, 1, Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
            foreach (var message in batch)
            {
                yield return message;
            }
        }
    }

    private async Task<IReadOnlyList<QueueMessage>> ReceiveAsync(IReadOnlyCollection<string>? names, int maxCount, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var entries = await Instance.ReceiveQueueAsync(names, maxCount, timeout, cancellationToken).ConfigureAwait(false);
        var messages = new QueueMessage[entries.Count];
        for (var i = 0; i < messages.Length; i++)
        {
            messages[i] = new QueueMessage(entries[i]);
        }
        return messages;
    }
}

/// <summary>The typed receiver of one <see cref="QueueAttribute{TMessage}"/> queue (generated <c>Queues.Name</c>).</summary>
/// <typeparam name="TMessage">The message type.</typeparam>
public class ActorQueue<TMessage>
{
    private readonly Actor _actor;
    private readonly string[] _names;

    /// <summary>Used by generated code.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public ActorQueue(Actor actor, string name, JsonTypeInfo<TMessage> messageType)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentException.ThrowIfNullOrEmpty(name);
        _actor = actor;
        _names = [name];
        Name = name;
        MessageType = messageType ?? throw new ArgumentNullException(nameof(messageType));
    }

    /// <summary>The queue name on the wire.</summary>
    public string Name { get; }

    private protected JsonTypeInfo<TMessage> MessageType { get; }

    private ActorInstance Instance => _actor.Instance ?? throw new InvalidOperationException("The actor is not running.");

    /// <summary>How many messages are in this queue (a received one not yet done included).</summary>
    public int Count => Instance.QueueCount(Name);

    /// <summary>
    /// The queue's messages, one at a time, oldest first, until <paramref name="cancellationToken"/> or the actor's
    /// stop. Each message is handled in the actor's turn until the loop asks for the next one.
    /// </summary>
    /// <exception cref="InvalidOperationException">Enumerated outside <see cref="Actor.RunAsync"/>.</exception>
    public async IAsyncEnumerable<QueueMessage<TMessage>> ReceiveAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var message = await NextAsync(Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
            if (message is not null)
            {
                yield return message;
            }
        }
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the next message; null when none came (RivetKit's <c>next</c>).</summary>
    /// <exception cref="InvalidOperationException">Called outside <see cref="Actor.RunAsync"/>.</exception>
    public async Task<QueueMessage<TMessage>?> NextAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var entries = await Instance.ReceiveQueueAsync(_names, 1, timeout, cancellationToken).ConfigureAwait(false);
        return entries.Count == 0 ? null : Wrap(entries[0]);
    }

    private protected virtual QueueMessage<TMessage> Wrap(Runtime.Queues.QueueEntry entry) => new(entry, MessageType);
}

/// <summary>The typed receiver of one <see cref="QueueAttribute{TMessage, TCompletion}"/> queue: its messages complete with a response.</summary>
/// <typeparam name="TMessage">The message type.</typeparam>
/// <typeparam name="TCompletion">The response a waiting sender gets.</typeparam>
public sealed class ActorQueue<TMessage, TCompletion> : ActorQueue<TMessage>
{
    private readonly JsonTypeInfo<TCompletion> _completionType;

    /// <summary>Used by generated code.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public ActorQueue(Actor actor, string name, JsonTypeInfo<TMessage> messageType, JsonTypeInfo<TCompletion> completionType)
        : base(actor, name, messageType) =>
        _completionType = completionType ?? throw new ArgumentNullException(nameof(completionType));

    /// <summary>The queue's messages with their <c>Complete(response)</c>; see <see cref="ActorQueue{TMessage}.ReceiveAsync"/>.</summary>
    public new async IAsyncEnumerable<QueueMessage<TMessage, TCompletion>> ReceiveAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var message in base.ReceiveAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return (QueueMessage<TMessage, TCompletion>)message;
        }
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the next message; null when none came.</summary>
    public new async Task<QueueMessage<TMessage, TCompletion>?> NextAsync(TimeSpan timeout, CancellationToken cancellationToken = default) =>
        (QueueMessage<TMessage, TCompletion>?)await base.NextAsync(timeout, cancellationToken).ConfigureAwait(false);

    private protected override QueueMessage<TMessage> Wrap(Runtime.Queues.QueueEntry entry) => new QueueMessage<TMessage, TCompletion>(entry, MessageType, _completionType);
}
