using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace Rivet.Runtime;

// Background work the actor hands to the runtime (RivetKit's keepAwake / waitUntil): a stop waits for it, bounded by
// the sleep grace period; keep-awake work also holds off idle sleep while it runs.
internal sealed partial class ActorInstance
{
    private readonly HashSet<Task> _background = [];
    private int _keepAwake;

    /// <summary>Whether keep-awake work is running (idle sleep waits).</summary>
    private bool KeptAwake => Volatile.Read(ref _keepAwake) > 0;

    /// <summary>Tracks <paramref name="work"/> until it ends; with <paramref name="keepAwake"/> the actor does not idle to sleep meanwhile.</summary>
    public void Track(Task work, bool keepAwake, string kind)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (keepAwake)
        {
            Interlocked.Increment(ref _keepAwake);
        }
        MarkActivity();
        lock (_background)
        {
            _background.Add(work);
        }
        _ = work.ContinueWith(static (ended, state) =>
        {
            var (self, keepAwake, kind) = ((ActorInstance, bool, string))state!;
            lock (self._background)
            {
                self._background.Remove(ended);
            }
            if (keepAwake)
            {
                Interlocked.Decrement(ref self._keepAwake);
            }
            self.MarkActivity(); // the idle countdown starts when the work ends
            if (ended.Exception is { } error)
            {
                LogBackgroundFailed(self._logger, error.InnerException ?? error, kind, self.Definition.Name, self.Key, self.ActorId);
            }
        }, (this, keepAwake, kind), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>On stop: waits for the tracked work, up to the sleep grace period.</summary>
    private async Task WaitForBackgroundAsync()
    {
        Task[] pending;
        lock (_background)
        {
            pending = [.. _background];
        }
        if (pending.Length == 0)
        {
            return;
        }
        var grace = Actor.EffectiveSleepGracePeriod;
        try
        {
            await Task.WhenAll(pending).WaitAsync(grace < TimeSpan.Zero ? TimeSpan.Zero : grace).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            LogBackgroundOverran(_logger, Definition.Name, Key, ActorId, pending.Length, grace.TotalSeconds);
        }
        catch (Exception)
        {
            // Logged by the continuation.
        }
    }

    [LoggerMessage(EventId = 1453, Level = LogLevel.Error, Message = "{Kind} work of actor {Name} {Key} ({ActorId}) threw")]
    private static partial void LogBackgroundFailed(ILogger logger, Exception exception, string kind, string name, ActorKey key, string actorId);

    [LoggerMessage(EventId = 1454, Level = LogLevel.Warning, Message = "Background work of actor {Name} {Key} ({ActorId}) ({Count} tasks) did not end within its {Seconds} s sleep grace period after the stop; stopping anyway")]
    private static partial void LogBackgroundOverran(ILogger logger, string name, ActorKey key, string actorId, int count, double seconds);
}
