using System;
using System.Threading;
using Microsoft.Extensions.Logging;

namespace Rivet.Runtime;

// Idle sleep: once no turn runs or waits and no connection is open for the actor's SleepTimeout, the actor asks its
// host to put it to sleep. The timer is not moved on every action: each turn only stamps the time, and the timer,
// when it fires, checks the stamp and waits again for whatever is left.
internal sealed partial class ActorInstance
{
    private static readonly TimeSpan s_maxTimerDelay = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private readonly Lock _idleGate = new();
    private ITimer? _idleTimer;
    private TimeSpan _sleepTimeout = Timeout.InfiniteTimeSpan;
    private long _lastActivity;

    /// <summary>Something happened on the actor (a turn, a connection change): the idle countdown starts again.</summary>
    public void MarkActivity() => Volatile.Write(ref _lastActivity, TurnClockNow());

    private void StartIdleTimer()
    {
        var timeout = Actor.EffectiveSleepTimeout;
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            return;
        }
        _sleepTimeout = timeout < TimeSpan.Zero ? TimeSpan.Zero : timeout;
        MarkActivity();
        lock (_idleGate)
        {
            if (_active)
            {
                _idleTimer = Time.CreateTimer(static state => ((ActorInstance)state!).OnIdleTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                _idleTimer.Change(Clamp(_sleepTimeout), Timeout.InfiniteTimeSpan);
            }
        }
    }

    private void StopIdleTimer()
    {
        lock (_idleGate)
        {
            _idleTimer?.Dispose();
            _idleTimer = null;
        }
    }

    private void OnIdleTimer()
    {
        if (!_active || Volatile.Read(ref _requested) != NoRequest)
        {
            return;
        }
        TimeSpan wait;
        // Hibernatable connections do not keep the actor awake (as in RivetKit): the gateway holds their sockets
        // while it sleeps, and their next message wakes it. Raw WebSockets do (Raw/ActorInstance.Raw.cs), unless they
        // are hibernatable (then neither they nor their connections count, unless their handler holds a client message
        // it is not done with), and so does work handed to KeepAwake.
        if (Volatile.Read(ref _pendingTurns) > 0 || ConnectionList.Count > _hibernatableCount + Volatile.Read(ref _hibernatableRawConnections)
            || RawSocketCount > 0 || KeptAwake || RawHandlerHoldsMessage)
        {
            wait = _sleepTimeout;
        }
        else
        {
            var idleFor = TurnClockDuration(TurnClockNow() - Volatile.Read(ref _lastActivity));
            if (idleFor >= _sleepTimeout)
            {
                LogIdleSleep(_logger, Definition.Name, Key, ActorId, _sleepTimeout.TotalSeconds);
                RequestSleep();
                return;
            }
            wait = _sleepTimeout - idleFor;
        }
        lock (_idleGate)
        {
            _idleTimer?.Change(Clamp(wait), Timeout.InfiniteTimeSpan);
        }
    }

    private static TimeSpan Clamp(TimeSpan delay) =>
        delay < TimeSpan.Zero ? TimeSpan.Zero : delay > s_maxTimerDelay ? s_maxTimerDelay : delay;

    [LoggerMessage(EventId = 23, Level = LogLevel.Debug, Message = "Actor {Name} {Key} ({ActorId}) was idle for {Seconds} s; asking its host to put it to sleep")]
    private static partial void LogIdleSleep(ILogger logger, string name, ActorKey key, string actorId, double seconds);
}
