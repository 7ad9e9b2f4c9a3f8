using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace Rivet.Runtime;

// Group commit of the actor's record. A turn that changed the state (or schedule) stages the new record and leaves
// the turn before the KV write; one writer at a time writes the latest staged record, and every action whose
// changes it covers gets its answer once that write is durable. Actions that run while a write is in flight build
// on the not-yet-durable state and share the next write. When a write fails, every action not yet durable fails and
// the state and schedule go back to the last durable record, inside a turn, before any other action runs.
internal sealed partial class ActorInstance
{
    private readonly Lock _persistGate = new();

    // Last durable record (what a failed write rolls back to).
    private byte[] _durableState = [];
    private IReadOnlyList<ScheduledEvent> _durableSchedule = [];
    private long _durableVersion;

    // Remembered idempotency keys: the current list (saved with the next staged record) and the last durable one.
    private System.Collections.Immutable.ImmutableList<IdempotencyEntry> _idempotency = [];
    private System.Collections.Immutable.ImmutableList<IdempotencyEntry> _durableIdempotency = [];
    private bool _idempotencyChanged;

    // Latest staged record, not yet handed to the writer.
    private long _stagedVersion;
    private PersistedActorState? _pendingRecord;
    private bool _pendingScheduleChanged;
    private string _pendingAction = "";

    // The waiters of the staged record not yet written, and the completion of the latest staged version.
    private TaskCompletionSource? _nextBatch;
    private Task _latestDurable = Task.CompletedTask;
    private bool _writing;
    private Exception? _writeFailure;

    /// <summary>
    /// Stages the turn's changes (state and schedule) when it made any and returns the task that completes when
    /// they are durable. A turn that changed nothing gets the completion of the latest staged record (it may have
    /// observed state that is not durable yet). Must run in the turn.
    /// </summary>
    // deferred: an action of an actor with a StateSaveInterval, whose caller does not wait for the write (see
    // ActorInstance.ThrottledSave); the returned task is then already complete.
    private Task StageIfChanged(string action, CancellationToken cancellationToken, bool deferred = false)
    {
        var scheduleChanged = Schedule.HasChanges;
        if (!Actor.HasState && !scheduleChanged && !_idempotencyChanged)
        {
            return deferred ? Task.CompletedTask : PendingDurability();
        }
        byte[] state = _savedState;
        var stateChanged = false;
        if (Actor.HasState)
        {
            ReadOnlyMemory<byte> serialized;
            try
            {
                serialized = SerializeState();
            }
            catch (Exception ex)
            {
                RestoreSavedState();
                throw Translate(ex, action, cancellationToken, actionTokenFired: false);
            }
            stateChanged = !serialized.Span.SequenceEqual(_savedState);
            if (!scheduleChanged && !_idempotencyChanged && !stateChanged)
            {
                return deferred ? Task.CompletedTask : PendingDurability();
            }
            state = serialized.ToArray();
            // The state's CBOR from the same object, before OnStateChange may touch it (the save below takes it).
            ActorStateStore.PreEncode(state, Definition, Actor);
        }
        var record = new PersistedActorState
        {
            HasInitialized = true,
            Input = _input,
            State = state,
            ScheduledEvents = Schedule.Current,
            Idempotency = _idempotency,
        };
        // The turn's changes are now the base of later turns (an action that throws goes back to here).
        _savedState = state;
        if (stateChanged)
        {
            NotifyStateChange();
        }
        _idempotencyChanged = false;
        Schedule.Commit();
        long version;
        StagedWrite? now = null;
        lock (_persistGate)
        {
            version = ++_stagedVersion;
            // A record a deferred action staged and nobody writes yet (_nextBatch without _writing) goes with this one.
            if (_writing || _writeFailure is not null || deferred || _nextBatch is not null)
            {
                _pendingRecord = record;
                _pendingScheduleChanged |= scheduleChanged;
                _pendingAction = action;
                _nextBatch ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _latestDurable = _nextBatch.Task;
                if (!deferred && !_writing && _writeFailure is null)
                {
                    now = TakePendingLocked();
                }
                else if (!deferred)
                {
                    return _latestDurable;
                }
            }
            else
            {
                _writing = true;
            }
        }
        if (deferred)
        {
            ScheduleThrottledWrite();
            return Task.CompletedTask;
        }
        if (now is { } pending)
        {
            _ = WriteLoopAsync(Save(pending.Record), pending);
            return pending.Batch.Task;
        }
        return StartWrite(record, version, scheduleChanged, action);
    }

    /// <summary>The completion of the latest staged record (already completed when everything staged is durable).</summary>
    private Task PendingDurability()
    {
        StagedWrite write;
        lock (_persistGate)
        {
            if (_durableVersion == _stagedVersion)
            {
                return Task.CompletedTask;
            }
            if (_writing || _writeFailure is not null || _pendingRecord is null || _nextBatch is null)
            {
                return _latestDurable;
            }
            // Staged by deferred (throttled) actions and waiting for their timer: whoever waits writes it now.
            write = TakePendingLocked();
        }
        _ = WriteLoopAsync(Save(write.Record), write);
        return write.Batch.Task;
    }

    /// <summary>Starts writing <paramref name="record"/>; a write the storage completes at once needs no waiter.</summary>
    private Task StartWrite(PersistedActorState record, long version, bool scheduleChanged, string action)
    {
        var put = Save(record);
        if (put.IsCompletedSuccessfully)
        {
            put.GetAwaiter().GetResult();
            if (!OnDurable(record, version, scheduleChanged, out var next))
            {
                return Task.CompletedTask;
            }
            // Cannot happen from a turn (nothing else stages while it runs), but stays correct if it does.
            var batch = next!.Value.Batch;
            _ = WriteLoopAsync(Save(next.Value.Record), next.Value);
            return batch.Task;
        }
        var waiters = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_persistGate)
        {
            if (_stagedVersion == version)
            {
                _latestDurable = waiters.Task;
            }
        }
        _ = WriteLoopAsync(put, new StagedWrite(record, version, scheduleChanged, action, waiters));
        return waiters.Task;
    }

    private ValueTask Save(PersistedActorState record)
    {
        try
        {
            // Not cancellable: once actions ran, their effects must be kept or rolled back whole.
            return SaveWithIndexes(record);
        }
        catch (Exception ex)
        {
            return ValueTask.FromException(ex);
        }
    }

    /// <summary>The single writer: finishes <paramref name="put"/>, then writes whatever was staged meanwhile.</summary>
    private async Task WriteLoopAsync(ValueTask put, StagedWrite write)
    {
        while (true)
        {
            try
            {
                await put.ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                OnWriteFailed(write, ex);
                return;
            }
            var more = OnDurable(write.Record, write.Version, write.ScheduleChanged, out var next);
            write.Batch.TrySetResult();
            if (!more)
            {
                return;
            }
            write = next!.Value;
            put = Save(write.Record);
        }
    }

    /// <summary>Records a durable write; true (with the next write) when more was staged meanwhile.</summary>
    private bool OnDurable(PersistedActorState record, long version, bool scheduleChanged, out StagedWrite? next)
    {
        next = null;
        lock (_persistGate)
        {
            _durableVersion = version;
            _durableState = (byte[])MemoryMarshalArray(record.State);
            _durableSchedule = record.ScheduledEvents;
            _durableIdempotency = record.Idempotency;
            if (_stagedVersion != version && _writeFailure is null && _pendingRecord is not null && _nextBatch is not null)
            {
                next = new StagedWrite(_pendingRecord.Value, _stagedVersion, _pendingScheduleChanged, _pendingAction, _nextBatch);
                _pendingRecord = null;
                _pendingScheduleChanged = false;
                _nextBatch = null;
            }
            else
            {
                _writing = false;
            }
        }
        if (scheduleChanged)
        {
            OnScheduleSaved();
        }
        return next is not null;
    }

    private static byte[] MemoryMarshalArray(ReadOnlyMemory<byte> memory) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(memory, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : memory.ToArray();

    /// <summary>A write failed: its waiters fail now; the rollback (and the failure of later waiters) happens in a turn.</summary>
    private void OnWriteFailed(StagedWrite write, Exception ex)
    {
        LogSaveFailed(_logger, ex, Definition.Name, Key, ActorId, write.Action);
        TaskCompletionSource? staged;
        lock (_persistGate)
        {
            _writeFailure = ex;
            _writing = false;
            staged = _nextBatch;
            _nextBatch = null;
            _pendingRecord = null;
        }
        // Actions staged on top of the lost write are not durable either; they fail now, not after the rollback
        // (a turn waiting for its own save must not wait for the turn it holds).
        write.Batch.TrySetException(ex);
        staged?.TrySetException(ex);
        _ = RecoverInTurnAsync();
    }

    private async Task RecoverInTurnAsync()
    {
        try
        {
            await EnterTurnAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogRecoveryFailed(_logger, ex, Definition.Name, Key, ActorId);
            return;
        }
        try
        {
            RecoverIfWriteFailed();
        }
        finally
        {
            ExitTurn();
        }
    }

    /// <summary>
    /// In a turn, after a failed write: fails the actions staged after it and puts the state and schedule back to
    /// the last durable record. Every turn calls this first, so no action runs on discarded changes.
    /// </summary>
    private void RecoverIfWriteFailed()
    {
        if (Volatile.Read(ref _writeFailure) is null)
        {
            return;
        }
        Exception failure;
        TaskCompletionSource? staged;
        byte[] durableState;
        IReadOnlyList<ScheduledEvent> durableSchedule;
        System.Collections.Immutable.ImmutableList<IdempotencyEntry> durableIdempotency;
        lock (_persistGate)
        {
            if (_writeFailure is not { } ex)
            {
                return;
            }
            failure = ex;
            durableState = _durableState;
            durableSchedule = _durableSchedule;
            durableIdempotency = _durableIdempotency;
            staged = _nextBatch;
            _nextBatch = null;
            _pendingRecord = null;
            _pendingScheduleChanged = false;
            _stagedVersion = _durableVersion;
            _latestDurable = Task.CompletedTask;
            _writeFailure = null;
        }
        staged?.TrySetException(failure);
        _savedState = durableState;
        _idempotency = durableIdempotency;
        _idempotencyChanged = false;
        Schedule.Restore(durableSchedule);
        try
        {
            if (Actor.HasState)
            {
                Actor.ReadState(Definition, durableState);
            }
        }
        catch (Exception ex)
        {
            // The record was written by this actor; reading it back cannot fail short of a bug. Logged, not thrown:
            // this runs while a turn is being entered.
            LogRollbackFailed(_logger, ex, Definition.Name, Key, ActorId);
        }
        OnScheduleSaved();
    }

    /// <summary>Saves the turn's changes and waits, in the turn, until they (and anything staged before) are durable.</summary>
    private async Task PersistIfChangedAsync(string action, CancellationToken cancellationToken)
    {
        var durable = StageIfChanged(action, cancellationToken);
        if (durable.IsCompletedSuccessfully)
        {
            return;
        }
        // Staged after a write failed: only a turn can fail it (by rolling back), and this turn is ours.
        RecoverIfWriteFailed();
        try
        {
            await durable.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            RecoverIfWriteFailed();
            throw SaveFailed(action, ex);
        }
    }

    /// <summary>Waits, outside the turn, until the action's changes are durable.</summary>
    private async Task AwaitDurableAsync(Task durable, string action)
    {
        try
        {
            await durable.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            throw SaveFailed(action, ex);
        }
    }

    /// <summary>Waits (in the turn) for everything staged to be durable; a failure is rolled back, not thrown.</summary>
    private async Task FlushQuietlyAsync()
    {
        RecoverIfWriteFailed();
        try
        {
            await PendingDurability().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Logged by the writer; the state goes back to the last durable record.
        }
        RecoverIfWriteFailed();
    }

    private RivetException SaveFailed(string action, Exception ex) =>
        new(RivetErrors.ActorGroup, RivetErrors.InternalError,
            $"The state of actor '{Definition.Name}' {Key} could not be saved after action '{action}'; the action's changes were discarded.", innerException: ex)
        { ActorId = ActorId };

    /// <summary>A staged record handed to the writer, with the waiters it completes.</summary>
    private readonly record struct StagedWrite(PersistedActorState Record, long Version, bool ScheduleChanged, string Action, TaskCompletionSource Batch);

    [LoggerMessage(EventId = 8, Level = LogLevel.Critical, Message = "Restoring the last durable state of actor {Name} {Key} ({ActorId}) after a failed save threw")]
    private static partial void LogRollbackFailed(ILogger logger, Exception exception, string name, ActorKey key, string actorId);

    [LoggerMessage(EventId = 7, Level = LogLevel.Error, Message = "Rolling back actor {Name} {Key} ({ActorId}) after a failed save could not enter its turn")]
    private static partial void LogRecoveryFailed(ILogger logger, Exception exception, string name, ActorKey key, string actorId);
}
