using System;
using System.Threading;

namespace Rivet.Runtime;

// The action timeout: one timer per actor instead of one per call (CancelAfter allocated a timer and took the timer
// queue's lock twice per action). An actor runs one action at a time, so each turn only records its token and
// deadline; the timer, armed once, checks the deadline when it fires and waits again for whatever is left (as the
// idle timer does), or stays off when no timed action runs.
internal sealed partial class ActorInstance
{
    private readonly Lock _actionTimeoutGate = new();
    private ITimer? _actionTimer;
    private bool _actionTimerArmed;
    private CancellationTokenSource? _timedAction;
    private long _actionDeadline;
    private long _armedDeadline;

    /// <summary>Cancels <paramref name="actionToken"/> once <paramref name="timeout"/> passed on the actor's clock,
    /// unless <see cref="EndActionTimeout"/> ran first. In the turn.</summary>
    private void StartActionTimeout(CancellationTokenSource actionToken, TimeSpan timeout)
    {
        var deadline = TurnClockNow() + TurnClockTicks(Clamp(timeout));
        lock (_actionTimeoutGate)
        {
            _timedAction = actionToken;
            _actionDeadline = deadline;
            if ((_actionTimerArmed && _armedDeadline <= deadline) || _stopped)
            {
                // Armed for an earlier deadline: it fires first and waits again for the rest.
                return;
            }
            _actionTimer ??= Time.CreateTimer(static state => ((ActorInstance)state!).OnActionTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _actionTimer.Change(Clamp(timeout), Timeout.InfiniteTimeSpan);
            _actionTimerArmed = true;
            _armedDeadline = deadline;
        }
    }

    /// <summary>The action ended: its token is no longer the timer's business. In the turn, before the token is disposed
    /// or reused; false when the timer already took it (and may be cancelling it now).</summary>
    private bool EndActionTimeout()
    {
        lock (_actionTimeoutGate)
        {
            var ours = _timedAction is not null;
            _timedAction = null;
            return ours;
        }
    }

    private void OnActionTimer()
    {
        CancellationTokenSource? expired = null;
        lock (_actionTimeoutGate)
        {
            _actionTimerArmed = false;
            if (_timedAction is null || _actionTimer is null)
            {
                return; // no action runs: the next one arms the timer again
            }
            var left = _actionDeadline - TurnClockNow();
            if (left <= 0)
            {
                expired = _timedAction;
                _timedAction = null;
            }
            else
            {
                _actionTimer.Change(Clamp(TurnClockDuration(left)), Timeout.InfiniteTimeSpan);
                _actionTimerArmed = true;
                _armedDeadline = _actionDeadline;
            }
        }
        try
        {
            // Outside the lock: cancellation runs the action's callbacks.
            expired?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The action ended (and disposed its token) between the check and the cancel: nothing to time out.
        }
    }

    /// <summary>The actor stopped: the timer goes (it would keep the stopped instance alive until it fired).</summary>
    private void StopActionTimer()
    {
        lock (_actionTimeoutGate)
        {
            _actionTimer?.Dispose();
            _actionTimer = null;
            _actionTimerArmed = false;
            _timedAction = null;
        }
    }
}
