using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Rivet.Runtime;
using Rivet.Runtime.Lifecycle;

namespace Rivet.Hosting.Embedded;

// The embedded host's part in the actor lifecycle, which the engine plays for runners: sleep (stop, forget the
// instance; the next call starts a new one), destroy (stop, delete the record so the key is free), and alarms (the
// earliest scheduled time of each actor, stored in the directory and kept on a timer that wakes a sleeping actor).
internal sealed partial class EmbeddedActorSystem
{
    private static readonly TimeSpan s_maxTimerDelay = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private readonly ConcurrentDictionary<string, Task> _stops = new(StringComparer.Ordinal);
    private readonly Lock _alarmGate = new();
    private readonly Dictionary<string, Alarm> _alarms = new(StringComparer.Ordinal);
    private Task _alarmWrites = Task.CompletedTask;
    private bool _alarmsStopped;

    /// <summary>Re-arms the alarms stored by earlier hosts: sleeping actors with a schedule wake when it is due.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var (actorId, at) in await _directory.ListAlarmsAsync(cancellationToken).ConfigureAwait(false))
        {
            lock (_alarmGate)
            {
                if (!_alarms.ContainsKey(actorId))
                {
                    ArmAlarmLocked(actorId, at);
                }
            }
        }
    }

    void IActorHostControl.RequestSleep(ActorInstance actor) => BeginStop(actor, ActorStopReason.Sleep);

    void IActorHostControl.RequestDestroy(ActorInstance actor) => BeginStop(actor, ActorStopReason.Destroy);

    void IActorHostControl.SetAlarm(ActorInstance actor, DateTimeOffset? at)
    {
        lock (_alarmGate)
        {
            if (_alarmsStopped)
            {
                // The host is shutting down: still store it, the next host re-arms it.
                _alarms.Remove(actor.ActorId, out var old);
                old?.Timer?.Dispose();
                if (at is { } time)
                {
                    _alarms[actor.ActorId] = new Alarm(time, null);
                }
            }
            else if (at is { } time)
            {
                ArmAlarmLocked(actor.ActorId, time);
            }
            else if (_alarms.Remove(actor.ActorId, out var cleared))
            {
                cleared.Timer?.Dispose();
            }
            // Writes run one after another; each stores the latest value, so the last one wins.
            _alarmWrites = _alarmWrites.ContinueWith(_ => WriteAlarmAsync(actor.ActorId), CancellationToken.None,
                TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
        }
    }

    private void BeginStop(ActorInstance actor, ActorStopReason reason)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return; // disposal stops every actor
        }
        // Before it leaves the running set: handles that cached it look the actor up again from now on.
        actor.MarkLeaving();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Registered before the instance leaves the running set: a call that misses it waits for this stop.
        var previous = _stops.TryGetValue(actor.ActorId, out var pending) ? pending : Task.CompletedTask;
        _stops[actor.ActorId] = done.Task;
        // Also while the start is still running (even inside the Lazy's factory, when the start completes
        // synchronously): Sleep() or Destroy() in OnCreate/OnWake asks before it completes, and a stopped instance
        // must not stay in the running set. Only one start per id runs at a time, so that entry is this actor's.
        if (_running.TryGetValue(actor.ActorId, out var lazy)
            && (!lazy.IsValueCreated || !lazy.Value.IsCompleted || (lazy.Value.IsCompletedSuccessfully && lazy.Value.Result == actor)))
        {
            _running.TryRemove(new(actor.ActorId, lazy));
        }
        _ = Task.Run(async () =>
        {
            try
            {
                await previous.ConfigureAwait(false);
                await actor.StopAsync(reason, CancellationToken.None).ConfigureAwait(false);
                if (reason == ActorStopReason.Destroy)
                {
                    if (await _directory.FindByIdAsync(actor.ActorId, CancellationToken.None).ConfigureAwait(false) is { } record)
                    {
                        await _directory.DeleteAsync(record, CancellationToken.None).ConfigureAwait(false);
                    }
                    ForgetAlarm(actor.ActorId);
                    CloseHibernatingSockets(actor.ActorId);
                }
                LogActorStopped(_logger, actor.Definition.Name, actor.ActorId, reason);
            }
            catch (Exception ex)
            {
                LogStopFailed(_logger, ex, actor.Definition.Name, actor.ActorId, reason);
            }
            finally
            {
                _stops.TryRemove(new(actor.ActorId, done.Task));
                done.TrySetResult();
            }
            if (reason != ActorStopReason.Destroy)
            {
                // An event that came due while it was going to sleep wakes it again right away.
                RearmAlarm(actor.ActorId);
            }
        });
    }

    private async Task WaitForStopAsync(string actorId)
    {
        while (_stops.TryGetValue(actorId, out var stop))
        {
            await stop.ConfigureAwait(false);
        }
    }

    private async Task WaitForAllStopsAsync()
    {
        while (!_stops.IsEmpty)
        {
            await Task.WhenAll(_stops.Values.ToArray()).ConfigureAwait(false);
        }
    }

    private void ArmAlarmLocked(string actorId, DateTimeOffset at)
    {
        if (_alarms.TryGetValue(actorId, out var existing))
        {
            existing.Timer?.Dispose();
        }
        var timer = Time.CreateTimer(static state =>
        {
            var (system, id) = ((EmbeddedActorSystem, string))state!;
            _ = system.OnAlarmAsync(id);
        }, (this, actorId), Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _alarms[actorId] = new Alarm(at, timer);
        timer.Change(Delay(at), Timeout.InfiniteTimeSpan);
    }

    private void RearmAlarm(string actorId)
    {
        lock (_alarmGate)
        {
            if (!_alarmsStopped && _alarms.TryGetValue(actorId, out var alarm))
            {
                ArmAlarmLocked(actorId, alarm.At);
            }
        }
    }

    private void ForgetAlarm(string actorId)
    {
        lock (_alarmGate)
        {
            if (_alarms.Remove(actorId, out var alarm))
            {
                alarm.Timer?.Dispose();
            }
        }
    }

    private TimeSpan Delay(DateTimeOffset at)
    {
        var delay = at - Time.GetUtcNow();
        return delay < TimeSpan.Zero ? TimeSpan.Zero : delay > s_maxTimerDelay ? s_maxTimerDelay : delay;
    }

    /// <summary>An alarm is due: start the actor if it sleeps (its start runs the due events); a running actor fires them itself.</summary>
    private async Task OnAlarmAsync(string actorId)
    {
        Interlocked.Increment(ref _alarmWakes);
        try
        {
            lock (_alarmGate)
            {
                if (_alarmsStopped || !_alarms.TryGetValue(actorId, out var alarm))
                {
                    return;
                }
                if (alarm.At > Time.GetUtcNow())
                {
                    alarm.Timer?.Change(Delay(alarm.At), Timeout.InfiniteTimeSpan); // beyond the longest timer: wait again
                    return;
                }
            }
            if (Volatile.Read(ref _disposed) != 0 || TryGetRunning(actorId, out _))
            {
                return;
            }
            if (await _directory.FindByIdAsync(actorId, CancellationToken.None).ConfigureAwait(false) is not { } record)
            {
                ForgetAlarm(actorId);
                return;
            }
            LogAlarmWake(_logger, record.Name, actorId);
            await StartOrJoinAsync(record, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogAlarmWakeFailed(_logger, ex, actorId);
        }
        finally
        {
            Interlocked.Decrement(ref _alarmWakes);
        }
    }

    private async Task WriteAlarmAsync(string actorId)
    {
        DateTimeOffset? at;
        lock (_alarmGate)
        {
            at = _alarms.TryGetValue(actorId, out var alarm) ? alarm.At : null;
        }
        try
        {
            await _directory.SetAlarmAsync(actorId, at, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogAlarmWriteFailed(_logger, ex, actorId);
        }
    }

    private void StopAlarmTimers()
    {
        lock (_alarmGate)
        {
            _alarmsStopped = true;
            foreach (var alarm in _alarms.Values)
            {
                alarm.Timer?.Dispose();
            }
        }
    }

    private Task FlushAlarmWritesAsync()
    {
        lock (_alarmGate)
        {
            return _alarmWrites;
        }
    }

    private sealed record Alarm(DateTimeOffset At, ITimer? Timer);

    [LoggerMessage(EventId = 400, Level = LogLevel.Debug, Message = "Actor {Name} ({ActorId}) stopped ({Reason})")]
    private static partial void LogActorStopped(ILogger logger, string name, string actorId, ActorStopReason reason);

    [LoggerMessage(EventId = 401, Level = LogLevel.Error, Message = "Stopping actor {Name} ({ActorId}) for {Reason} failed")]
    private static partial void LogStopFailed(ILogger logger, Exception exception, string name, string actorId, ActorStopReason reason);

    [LoggerMessage(EventId = 402, Level = LogLevel.Debug, Message = "Alarm of sleeping actor {Name} ({ActorId}) is due; waking it")]
    private static partial void LogAlarmWake(ILogger logger, string name, string actorId);

    [LoggerMessage(EventId = 403, Level = LogLevel.Error, Message = "Waking actor {ActorId} for its alarm failed")]
    private static partial void LogAlarmWakeFailed(ILogger logger, Exception exception, string actorId);

    [LoggerMessage(EventId = 404, Level = LogLevel.Error, Message = "Storing the alarm of actor {ActorId} failed")]
    private static partial void LogAlarmWriteFailed(ILogger logger, Exception exception, string actorId);
}
