using System;
using System.Threading;
using System.Threading.Tasks;

namespace Rivet.Runtime;

// Answers before the next write. When a write becomes durable while more was staged meanwhile, the writer sends the
// next write only after the connection calls that waited for the first one have resumed and handed their answers to
// the transport (bounded by AnswersFirstBound). On the runner both go over the same envoy socket, and the engine
// handles a KV put it receives first before those answers; a durable actor in JavaScript (RivetKit, the load tool's
// durable floor) sends its answers synchronously before its next put. Nothing goes out earlier than before: an
// answer still waits for the write that covers it, only the next write waits a moment longer.
internal sealed partial class ActorInstance
{
    /// <summary>How long the writer waits at most for a durable batch's answers before it sends the next write.</summary>
    private static readonly TimeSpan s_answersFirstBound = TimeSpan.FromMilliseconds(2);

    /// <summary>A write batch's completion; its state counts the connection calls that will answer once it completes.</summary>
    private static TaskCompletionSource NewWriteBatch() => new(new AnswersOwed(), TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Waits, outside the turn, until a connection call's changes are durable, counted on the write batch until it
    /// resumes: the rest of the answer's path (return, encode, queue on the socket) runs on this thread right after.
    /// </summary>
    private async Task AwaitDurableAnsweringAsync(Task durable, string action)
    {
        var owed = durable.AsyncState as AnswersOwed;
        owed?.Add();
        try
        {
            await AwaitDurableAsync(durable, action).ConfigureAwait(false);
        }
        finally
        {
            owed?.Done();
        }
    }

    /// <summary>In the writer, after <paramref name="batch"/> completed and before the next write: its answers first.</summary>
    private static Task AnswersSentAsync(TaskCompletionSource batch) =>
        batch.Task.AsyncState is AnswersOwed owed && owed.Drained() is { IsCompleted: false } drained
            ? Task.WhenAny(drained, Task.Delay(s_answersFirstBound))
            : Task.CompletedTask;

    /// <summary>The connection calls waiting for one write batch, counted until each has resumed to answer.</summary>
    private sealed class AnswersOwed
    {
        private int _owed;
        private TaskCompletionSource? _drained;

        public void Add() => Interlocked.Increment(ref _owed);

        public void Done()
        {
            if (Interlocked.Decrement(ref _owed) == 0)
            {
                Volatile.Read(ref _drained)?.TrySetResult();
            }
        }

        /// <summary>Completes once every counted call resumed.</summary>
        public Task Drained()
        {
            if (Volatile.Read(ref _owed) <= 0)
            {
                return Task.CompletedTask;
            }
            Interlocked.CompareExchange(ref _drained, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), null);
            // Re-checked after publishing the signal: the last Done may have run before it was there.
            return Volatile.Read(ref _owed) <= 0 ? Task.CompletedTask : _drained!.Task;
        }
    }
}
