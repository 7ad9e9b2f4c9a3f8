namespace Rivet;

/// <summary>What a sender that waited for its message gets (RivetKit's <c>HttpQueueSendResponse</c>).</summary>
/// <typeparam name="TCompletion">The queue's completion type.</typeparam>
/// <param name="Status">Whether the actor completed the message within the wait, or the wait ended first.</param>
/// <param name="Response">The actor's response; default when it timed out or completed without one.</param>
public readonly record struct QueueSendResult<TCompletion>(QueueSendStatus Status, TCompletion? Response)
{
    /// <summary>Whether the actor completed the message within the wait.</summary>
    public bool Completed => Status == QueueSendStatus.Completed;
}

/// <summary>How a wait for a queue message ended.</summary>
public enum QueueSendStatus
{
    /// <summary>The actor completed the message (RivetKit's <c>"completed"</c>).</summary>
    Completed,

    /// <summary>
    /// The wait ended first (RivetKit's <c>"timedOut"</c>): the timeout passed, or the actor stopped (slept, restarted)
    /// before completing it. The message is still queued and will be handled; only the wait ended.
    /// </summary>
    TimedOut,
}
