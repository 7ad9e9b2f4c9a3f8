using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Rivet.Diagnostics;

namespace Rivet.Runtime;

// The schedule of a running actor: a local timer fires due events while it is awake, each in its own turn; the
// host is told the earliest pending time (its alarm) so it can wake the actor when it sleeps.
internal sealed partial class ActorInstance
{
    private static readonly TimeSpan s_saveRetryDelay = TimeSpan.FromSeconds(5);

    private readonly Lock _scheduleGate = new();
    private ITimer? _scheduleTimer;
    private DateTimeOffset? _reportedAlarm;
    private int _firing;

    /// <summary>The schedule was saved: re-arm the local timer and tell the host the new earliest time.</summary>
    private void OnScheduleSaved()
    {
        ReportAlarm(force: false);
        ArmScheduleTimer();
    }

    private void ReportAlarm(bool force)
    {
        if (!_started)
        {
            return; // the first report happens when the actor becomes active
        }
        var earliest = Schedule.EarliestSaved;
        lock (_scheduleGate)
        {
            if (!force && earliest == _reportedAlarm)
            {
                return;
            }
            _reportedAlarm = earliest;
        }
        try
        {
            _host.SetAlarm(this, earliest);
        }
        catch (Exception ex)
        {
            LogAlarmFailed(_logger, ex, Definition.Name, Key, ActorId);
        }
    }

    private void ArmScheduleTimer() => ArmScheduleTimer(null);

    private void ArmScheduleTimer(TimeSpan? delayOverride)
    {
        lock (_scheduleGate)
        {
            if (!_active)
            {
                return;
            }
            var delay = delayOverride ?? (Schedule.EarliestSaved is { } at ? at - Time.GetUtcNow() : (TimeSpan?)null);
            if (delay is null)
            {
                _scheduleTimer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                return;
            }
            _scheduleTimer ??= Time.CreateTimer(static state => _ = ((ActorInstance)state!).RunDueEventsAsync(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _scheduleTimer.Change(Clamp(delay.Value), Timeout.InfiniteTimeSpan);
        }
    }

    private void StopScheduleTimer()
    {
        lock (_scheduleGate)
        {
            _scheduleTimer?.Dispose();
            _scheduleTimer = null;
        }
    }

    /// <summary>Runs every due event, one turn each; an event that throws is logged and dropped, as in RivetKit.</summary>
    private async Task RunDueEventsAsync()
    {
        if (Interlocked.Exchange(ref _firing, 1) != 0)
        {
            return;
        }
        TimeSpan? retry = null;
        try
        {
            while (_active)
            {
                await EnterTurnAsync(CancellationToken.None).ConfigureAwait(false);
                try
                {
                    if (_stopped || Schedule.FirstDue(Time.GetUtcNow()) is not { } due)
                    {
                        break;
                    }
                    if (!await RunScheduledEventAsync(due).ConfigureAwait(false))
                    {
                        retry = s_saveRetryDelay;
                        break;
                    }
                }
                finally
                {
                    ExitTurn();
                }
            }
        }
        catch (Exception ex)
        {
            LogScheduleLoopFailed(_logger, ex, Definition.Name, Key, ActorId);
            retry = s_saveRetryDelay;
        }
        finally
        {
            Volatile.Write(ref _firing, 0);
        }
        ArmScheduleTimer(retry);
    }

    /// <summary>Runs one event in the current turn and saves; false when the save failed (the event stays pending).</summary>
    private async Task<bool> RunScheduledEventAsync(ScheduledEvent due)
    {
        // A scheduled run starts its own trace, linked to the span that scheduled it (never a child of whatever span
        // the timer's captured context happens to hold; cleared for this async method only).
        System.Diagnostics.Activity.Current = null;
        using var telemetry = InvocationTelemetry.Start(this, _logger, due.Action, RivetTracing.Invocation.Schedule,
            new InvocationOrigin(default, Link: due.ScheduledBy));
        telemetry?.Activity?.SetTag(RivetTracing.ScheduleEventIdKey, due.Id);
        Schedule.RollbackKeepingRemoval(due.Id);
        _resultBuffer.ResetWrittenCount();
        _resultWriter.Reset(_resultBuffer);
        var started = Time.GetUtcNow();
        var cron = StartCronRun(due);
        try
        {
            await Definition.DispatchAsync(Actor, due.Action, due.ArgumentsJson, _resultWriter, _stopping.Token).ConfigureAwait(false);
            _resultWriter.Flush();
            LogScheduledRan(_logger, Definition.Name, Key, ActorId, due.Action, due.Id, (started - due.At).TotalMilliseconds);
            EndCronRun(cron, due, error: null);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            Context.Cron.Running = null;
            // Interrupted by the actor stopping: not run, so it stays pending for the next start.
            RestoreSavedState();
            return true;
        }
        catch (Exception ex)
        {
            telemetry?.Fail(ex);
            LogScheduledFailed(_logger, ex, Definition.Name, Key, ActorId, due.Action, due.Id);
            RestoreSavedState();
            Schedule.RollbackKeepingRemoval(due.Id);
            EndCronRun(cron, due, ex);
        }
        try
        {
            await PersistTurnAsync(due.Action, CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        catch (RivetException)
        {
            return false; // logged by the save; state and schedule are back to the saved ones
        }
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Debug, Message = "Scheduled action {Action} ({EventId}) of actor {Name} {Key} ({ActorId}) ran {LateMs:0} ms after its time")]
    private static partial void LogScheduledRan(ILogger logger, string name, ActorKey key, string actorId, string action, string eventId, double lateMs);

    [LoggerMessage(EventId = 31, Level = LogLevel.Error, Message = "Scheduled action {Action} ({EventId}) of actor {Name} {Key} ({ActorId}) threw; it is dropped, not retried")]
    private static partial void LogScheduledFailed(ILogger logger, Exception exception, string name, ActorKey key, string actorId, string action, string eventId);

    [LoggerMessage(EventId = 32, Level = LogLevel.Error, Message = "Running the schedule of actor {Name} {Key} ({ActorId}) failed; retrying shortly")]
    private static partial void LogScheduleLoopFailed(ILogger logger, Exception exception, string name, ActorKey key, string actorId);

    [LoggerMessage(EventId = 33, Level = LogLevel.Warning, Message = "Reporting the next alarm of actor {Name} {Key} ({ActorId}) to its host failed")]
    private static partial void LogAlarmFailed(ILogger logger, Exception exception, string name, ActorKey key, string actorId);
}
