using System;
using System.Threading.Tasks;

namespace Rivet.Runtime;

// Throttled saving (Actor.StateSaveInterval, RivetKit's stateSaveInterval), opt-in. An action of such an actor stages
// its record like any other (so a later action that throws still rolls back to it), but its caller does not wait for
// the write: the staged record waits for a timer, at most one interval, and then goes through the single writer of
// group commit. Hooks, stops, idempotent calls and connection-state changes stage without deferring, which writes
// whatever deferred actions staged before them in the same put and waits for it.
internal sealed partial class ActorInstance
{
    private bool _throttledWriteScheduled;

    /// <summary>Starts the interval timer unless one runs; when it fires, the staged record is written.</summary>
    private void ScheduleThrottledWrite()
    {
        lock (_persistGate)
        {
            if (_throttledWriteScheduled)
            {
                return;
            }
            _throttledWriteScheduled = true;
        }
        _ = WriteAfterIntervalAsync(Actor.EffectiveStateSaveInterval ?? TimeSpan.Zero);
    }

    private async Task WriteAfterIntervalAsync(TimeSpan interval)
    {
        await Task.Delay(interval).ConfigureAwait(false);
        StagedWrite? write;
        lock (_persistGate)
        {
            _throttledWriteScheduled = false;
            // Being written already, or the writer picks it up when its write ends (OnDurable), or a failed write's
            // rollback drops it.
            write = _writing || _writeFailure is not null || _pendingRecord is null ? null : TakePendingLocked();
        }
        if (write is { } pending)
        {
            _ = WriteLoopAsync(Save(pending.Record), pending);
        }
    }

    /// <summary>Hands the staged record to the writer (under <see cref="_persistGate"/>, when nothing is being written).</summary>
    private StagedWrite TakePendingLocked()
    {
        var write = new StagedWrite(_pendingRecord!.Value, _stagedVersion, _pendingScheduleChanged, _pendingAction, _nextBatch!);
        _pendingRecord = null;
        _pendingScheduleChanged = false;
        _nextBatch = null;
        _writing = true;
        return write;
    }
}
