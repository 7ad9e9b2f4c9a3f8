using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Linq;
using Rivet.Runtime;
using Rivet.Runtime.Cron;

namespace Rivet;

/// <summary>
/// The actor's durable recurring jobs (RivetKit's <c>cron</c>): calls to its own actions on a cron expression (in a
/// time zone) or at a fixed interval. Each job's next run is an event of the actor's <see cref="ActorSchedule"/> that
/// re-arms itself after it runs, so jobs survive sleep and restart and wake a sleeping actor. Use the generated
/// typed <c>Cron</c> property to set jobs — <c>Cron.Every("cleanup", TimeSpan.FromMinutes(5)).Cleanup()</c>; this
/// class gets, lists, deletes and shows history.
/// </summary>
/// <remarks>
/// Jobs set or deleted inside an action are saved with the state when it completes, and dropped if it throws. A run
/// that throws is logged and the job still runs next time. Missed runs (the actor could not run on time) are not
/// caught up: the job runs once, then at its next time after now.
/// </remarks>
public sealed class ActorCron
{
    /// <summary>How many runs <see cref="History"/> keeps.</summary>
    public const int HistoryLimit = 100;

    private readonly ActorContext _context;
    private readonly Queue<CronRun> _history = new();

    internal ActorCron(ActorContext context) => _context = context;

    /// <summary>Sets (or replaces) a job that runs on a cron expression. Used by the generated typed cron.</summary>
    /// <exception cref="ArgumentException">The expression or time zone is invalid (the message names it), or the action is unknown.</exception>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public CronJob Set(string name, string expression, string? timeZone, string action, ActionArguments arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        return SetRaw(name, expression, timeZone, action, arguments.Complete());
    }

    /// <summary>Sets (or replaces) a job that runs at a fixed interval. Used by the generated typed cron.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public CronJob Every(string name, TimeSpan interval, string action, ActionArguments arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        return EveryRaw(name, interval, action, arguments.Complete());
    }

    /// <summary>Sets (or replaces) a job that calls <paramref name="action"/> on a cron expression, with raw JSON arguments.</summary>
    /// <param name="name">The job's name, unique per actor.</param>
    /// <param name="expression">A cron expression: 5 fields (minute hour day month weekday), or 6 with seconds first.</param>
    /// <param name="timeZone">The time zone id the expression is read in; <see langword="null"/> for UTC.</param>
    /// <param name="action">The action's wire name.</param>
    /// <param name="argumentsJson">The arguments as a UTF-8 JSON array.</param>
    /// <returns>The job, with its next run.</returns>
    public CronJob SetRaw(string name, string expression, string? timeZone, string action, ReadOnlyMemory<byte> argumentsJson) =>
        Put(CronSpec.ForExpression(name, expression, timeZone), action, argumentsJson);

    /// <summary>Sets (or replaces) a job that calls <paramref name="action"/> every <paramref name="interval"/>, with raw JSON arguments.</summary>
    /// <param name="name">The job's name, unique per actor.</param>
    /// <param name="interval">The time between runs (at least 1 ms); the first run is one interval from now.</param>
    /// <param name="action">The action's wire name.</param>
    /// <param name="argumentsJson">The arguments as a UTF-8 JSON array.</param>
    /// <returns>The job, with its next run.</returns>
    public CronJob EveryRaw(string name, TimeSpan interval, string action, ReadOnlyMemory<byte> argumentsJson) =>
        Put(CronSpec.ForInterval(name, interval), action, argumentsJson);

    /// <summary>The job named <paramref name="name"/>, or <see langword="null"/>.</summary>
    public CronJob? Get(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return List().FirstOrDefault(j => j.Name == name);
    }

    /// <summary>The jobs, soonest first.</summary>
    public IReadOnlyList<CronJob> List()
    {
        var jobs = new List<CronJob>();
        foreach (var scheduled in _context.Schedule.List())
        {
            if (CronSpec.FromEventId(scheduled.Id) is { } spec)
            {
                jobs.Add(ToJob(spec, scheduled));
            }
        }
        return jobs;
    }

    /// <summary>Deletes a job: it does not run again.</summary>
    /// <returns>Whether the job existed.</returns>
    public bool Delete(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var deleted = false;
        if (name == Running)
        {
            RunningChanged = deleted = true;
        }
        foreach (var scheduled in _context.Schedule.List())
        {
            if (CronSpec.IsJob(scheduled.Id, name))
            {
                deleted |= _context.Schedule.Cancel(scheduled.Id);
            }
        }
        return deleted;
    }

    /// <summary>The recent runs since the actor last woke (not saved: they are gone after a sleep), oldest first.</summary>
    /// <param name="name">Only this job's runs; <see langword="null"/> for all.</param>
    public IReadOnlyList<CronRun> History(string? name = null)
    {
        lock (_history)
        {
            return name is null ? [.. _history] : [.. _history.Where(r => r.Name == name)];
        }
    }

    /// <summary>The job whose run is in progress; setting or deleting it during its run stops it re-arming.</summary>
    internal string? Running { get; set; }

    /// <summary>Whether the running job was set or deleted by its own run.</summary>
    internal bool RunningChanged { get; set; }

    internal void Record(CronRun run)
    {
        lock (_history)
        {
            _history.Enqueue(run);
            while (_history.Count > HistoryLimit)
            {
                _history.Dequeue();
            }
        }
    }

    private CronJob Put(CronSpec spec, string action, ReadOnlyMemory<byte> argumentsJson)
    {
        ArgumentException.ThrowIfNullOrEmpty(action);
        var schedule = _context.Schedule;
        var arguments = schedule.Validate(action, argumentsJson);
        var now = _context.TimeProvider.GetUtcNow();
        var next = spec.Next(now) ?? throw new ArgumentException(
            $"Cron job '{spec.Name}' has a cron expression '{spec.Expression}' that never runs after {now:O}.", "expression");
        Delete(spec.Name); // a job of the same name with another recurrence has another id
        var scheduled = new ScheduledEvent(spec.EventId, DateTimeOffset.FromUnixTimeMilliseconds(next.ToUnixTimeMilliseconds()), action, arguments);
        schedule.Put(scheduled);
        return ToJob(spec, scheduled);
    }

    private static CronJob ToJob(CronSpec spec, ScheduledEvent scheduled) =>
        new(spec.Name, spec.Expression, spec.Interval is null ? spec.Zone!.Id : null, spec.Interval, scheduled.Action, scheduled.ArgumentsJson, scheduled.At);
}
