using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Rivet.Diagnostics;
using Rivet.Runtime.Lifecycle;

namespace Rivet.Runtime;

// Turns, sleep, destroy and stop of a running actor. The idle timer and the schedule timer live in
// ActorInstance.Idle.cs and ActorInstance.Schedule.cs.
internal sealed partial class ActorInstance
{
    /// <summary>The code of the error a call gets when it reaches an actor that has stopped (the host retries it on a new start).</summary>
    public const string StoppedCode = "stopped";

    private const int NoRequest = 0;
    private const int SleepRequest = 1;
    private const int DestroyRequest = 2;

    private volatile bool _stopped;
    private volatile bool _active;
    private volatile bool _started;
    private int _pendingTurns;
    private int _afterTurn;
    private int _requested;

    /// <summary>Whether the error is the one a stopped actor answers with.</summary>
    public static bool IsStoppedError(RivetException error) => error.Group == RivetErrors.ActorGroup && error.Code == StoppedCode;

    /// <summary>Asks the host to put the actor to sleep after the current turn.</summary>
    public void RequestSleep() => RequestAfterTurn(SleepRequest);

    /// <summary>Asks the host to destroy the actor after the current turn.</summary>
    public void RequestDestroy() => RequestAfterTurn(DestroyRequest);

    private void RequestAfterTurn(int request)
    {
        // Destroy wins over sleep; either is sent once the running turn (if any) completes.
        int current;
        do
        {
            current = Volatile.Read(ref _afterTurn);
            if (current >= request)
            {
                break;
            }
        }
        while (Interlocked.CompareExchange(ref _afterTurn, request, current) != current);
        if (Volatile.Read(ref _pendingTurns) == 0)
        {
            FlushHostRequest();
        }
    }

    /// <summary>Sends the sleep or destroy asked for during the last turn (once each; a destroy may follow a sleep).</summary>
    private void FlushHostRequest()
    {
        if (!_active || Volatile.Read(ref _afterTurn) == NoRequest)
        {
            return;
        }
        var request = Interlocked.Exchange(ref _afterTurn, NoRequest);
        if (request == NoRequest || !RaiseRequested(request))
        {
            return;
        }
        try
        {
            if (request == DestroyRequest)
            {
                _host.RequestDestroy(this);
            }
            else
            {
                _host.RequestSleep(this);
            }
        }
        catch (Exception ex)
        {
            LogHostRequestFailed(_logger, ex, Definition.Name, Key, ActorId, request == DestroyRequest ? "destroy" : "sleep");
        }
    }

    /// <summary>Records that <paramref name="request"/> was sent; false when it (or a stronger one) already was.</summary>
    private bool RaiseRequested(int request)
    {
        int current;
        do
        {
            current = Volatile.Read(ref _requested);
            if (current >= request)
            {
                return false;
            }
        }
        while (Interlocked.CompareExchange(ref _requested, request, current) != current);
        return true;
    }

    /// <summary>Waits for the actor's turn; counts as activity (the idle timer does not fire while turns wait or run).</summary>
    private ValueTask EnterTurnAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _pendingTurns);
        // A free turn is taken at once, without an async method around the wait (the common case of a hot actor).
        if (!cancellationToken.IsCancellationRequested && _turn.Wait(0, CancellationToken.None))
        {
            // A failed save is rolled back before any other turn runs.
            RecoverIfWriteFailed();
            return default;
        }
        return WaitForTurnAsync(cancellationToken);
    }

    private async ValueTask WaitForTurnAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            LeaveTurnQueue();
            throw;
        }
        // A failed save is rolled back before any other turn runs.
        RecoverIfWriteFailed();
    }

    /// <summary>
    /// Ends a turn. When the turn closed connections (<see cref="Connection.Disconnect"/>), the turn passes to a
    /// task that runs their OnDisconnect hooks first: they run after the action and before any other turn, and the
    /// action's caller does not wait for them (nor does the action's state machine carry an await for them).
    /// </summary>
    private void ExitTurn()
    {
        if (_pendingDisconnects is { IsEmpty: false })
        {
            _ = LeaveConnectionTurnAsync();
            return;
        }
        _caller = null;
        _turn.Release();
        LeaveTurnQueue();
    }

    private void LeaveTurnQueue()
    {
        MarkActivity();
        if (Interlocked.Decrement(ref _pendingTurns) == 0)
        {
            FlushHostRequest();
        }
    }

    private void ThrowIfStopped()
    {
        if (_stopped)
        {
            throw new RivetException(RivetErrors.ActorGroup, StoppedCode, $"Actor '{Definition.Name}' {Key} ({ActorId}) has stopped.") { ActorId = ActorId };
        }
    }

    /// <summary>The actor is running: arms the idle and schedule timers, reports its alarm, sends a sleep/destroy asked for while starting.</summary>
    private void Activate()
    {
        _active = true;
        _started = true;
        StartIdleTimer();
        // A pending schedule is reported on every start (the host may have lost it). An empty one is not: running
        // or cancelling the last event already cleared the alarm, and a needless clear on every start slows the
        // engine down.
        ReportAlarm(force: Schedule.EarliestSaved is not null);
        ArmScheduleTimer();
        FlushHostRequest();
    }

    /// <summary>Stops the timers; nothing starts on its own any more.</summary>
    private void Deactivate()
    {
        _active = false;
        StopIdleTimer();
        StopScheduleTimer();
    }

    /// <summary>Stops the actor: waits for the running turn, runs OnSleep or OnDestroy, saves (or, for destroy, deletes) its storage.</summary>
    public async Task StopAsync(ActorStopReason reason, CancellationToken cancellationToken)
    {
        Deactivate();
        if (reason == ActorStopReason.Destroy)
        {
            Volatile.Write(ref _destroying, true); // before the stop token fires: raw sockets closed by it say why
        }
        if (!_stopping.IsCancellationRequested)
        {
            // Lets a long action that watches Context.Stopping end early.
            await _stopping.CancelAsync().ConfigureAwait(false);
        }
        await WaitForRunLoopAsync().ConfigureAwait(false);
        await WaitForBackgroundAsync().ConfigureAwait(false);
        await WaitForRawHandlersAsync().ConfigureAwait(false);
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_stopped)
            {
                return;
            }
            _stopped = true;
            StopActionTimer();
            RivetMetrics.Stopped(this, reason);
            RecoverIfWriteFailed();
            if (reason == ActorStopReason.Destroy)
            {
                // A save still in flight must not land after the delete.
                await FlushQuietlyAsync().ConfigureAwait(false);
                await RunStopHookAsync(Actor.RunOnDestroyAsync, "onDestroy", cancellationToken).ConfigureAwait(false);
                await CloseConnectionsForStopAsync(reason).ConfigureAwait(false);
                if (_started && _reportedAlarm is not null)
                {
                    _host.SetAlarm(this, null);
                }
                await Kv.DeleteAllAsync(cancellationToken).ConfigureAwait(false);
                if (_database is not null)
                {
                    await _database.DeleteAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            else
            {
                await RunStopHookAsync(Actor.RunOnSleepAsync, "onSleep", cancellationToken).ConfigureAwait(false);
                await CloseConnectionsForStopAsync(reason).ConfigureAwait(false);
                await PersistTurnAsync("onSleep", cancellationToken).ConfigureAwait(false);
                await PersistUnsavedIndexesAsync().ConfigureAwait(false);
            }
            LogStoppedFor(_logger, Definition.Name, Key, ActorId, reason);
        }
        finally
        {
            await CloseDatabaseAsync().ConfigureAwait(false);
            _turn.Release();
        }
    }

    private async Task RunStopHookAsync(Func<CancellationToken, ValueTask> hook, string name, CancellationToken cancellationToken)
    {
        try
        {
            await hook(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The actor stops anyway; what the hook changed is dropped, as for an action that throws.
            LogHookFailed(_logger, ex, Definition.Name, Key, ActorId, name);
            RestoreSavedState();
        }
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Debug, Message = "Actor {Name} {Key} ({ActorId}) stopped ({Reason})")]
    private static partial void LogStoppedFor(ILogger logger, string name, ActorKey key, string actorId, ActorStopReason reason);

    [LoggerMessage(EventId = 21, Level = LogLevel.Error, Message = "Hook {Hook} of actor {Name} {Key} ({ActorId}) threw; the actor stops anyway and the hook's changes are dropped")]
    private static partial void LogHookFailed(ILogger logger, Exception exception, string name, ActorKey key, string actorId, string hook);

    [LoggerMessage(EventId = 22, Level = LogLevel.Error, Message = "Asking the host to {Request} actor {Name} {Key} ({ActorId}) failed")]
    private static partial void LogHostRequestFailed(ILogger logger, Exception exception, string name, ActorKey key, string actorId, string request);
}
