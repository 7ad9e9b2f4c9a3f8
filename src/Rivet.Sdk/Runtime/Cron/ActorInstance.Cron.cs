using System;
using Microsoft.Extensions.Logging;
using Rivet.Runtime.Cron;

namespace Rivet.Runtime;

// Cron jobs on the schedule: a job's run is a schedule event whose id carries its recurrence (CronSpec); after the
// run (whether it threw or not) the event is put back at the job's next time, in the same turn and the same write.
internal sealed partial class ActorInstance
{
    private ActorContext Context => _context!;

    /// <summary>The job <paramref name="due"/> runs, or <see langword="null"/> for a one-shot event.</summary>
    private CronSpec? StartCronRun(ScheduledEvent due)
    {
        var spec = CronSpec.FromEventId(due.Id);
        var cron = Context.Cron;
        cron.Running = spec?.Name;
        cron.RunningChanged = false;
        return spec;
    }

    /// <summary>Records the run and re-arms the job at its next time, unless the run set or deleted its own job.</summary>
    private void EndCronRun(CronSpec? spec, ScheduledEvent due, Exception? error)
    {
        var cron = Context.Cron;
        var changed = cron.RunningChanged;
        cron.Running = null;
        if (spec is null)
        {
            return;
        }
        var now = Time.GetUtcNow();
        cron.Record(new CronRun(spec.Name, due.At, now, error is null, error?.Message));
        if (changed && error is null)
        {
            return;
        }
        // Missed runs are not caught up: the next run is the first one after now.
        var after = now > due.At ? now : due.At;
        if (spec.Next(after) is { } next)
        {
            Schedule.Put(due with { At = DateTimeOffset.FromUnixTimeMilliseconds(next.ToUnixTimeMilliseconds()) });
            LogCronRearmed(_logger, Definition.Name, Key, spec.Name, next);
        }
        else
        {
            LogCronEnded(_logger, Definition.Name, Key, spec.Name);
        }
    }

    [LoggerMessage(EventId = 1450, Level = LogLevel.Debug, Message = "Cron job {Job} of actor {Name} {Key} runs next at {Next:O}")]
    private static partial void LogCronRearmed(ILogger logger, string name, ActorKey key, string job, DateTimeOffset next);

    [LoggerMessage(EventId = 1451, Level = LogLevel.Information, Message = "Cron job {Job} of actor {Name} {Key} has no later run; it ends")]
    private static partial void LogCronEnded(ILogger logger, string name, ActorKey key, string job);
}
