using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Sdk.Tests.Lifecycle;

namespace Rivet.Sdk.Tests.Cron;

public sealed class CronState
{
    public int Ticks { get; set; }
}

public sealed record CronView(string Name, string? Expression, string? TimeZone, long? IntervalMs, string Action, long NextMs);

/// <summary>Sets, lists and deletes its cron jobs through the generated typed <c>Cron</c>; journals every tick.</summary>
[Actor]
public partial class CronProbe : Actor<CronState>
{
    private string JournalKey => Context.Key.Parts[0];

    protected override ValueTask OnSleepAsync(CancellationToken cancellationToken)
    {
        Journal.Add(JournalKey, "sleep");
        return ValueTask.CompletedTask;
    }

    protected override ValueTask OnWakeAsync(CancellationToken cancellationToken)
    {
        Journal.Add(JournalKey, "wake");
        return ValueTask.CompletedTask;
    }

    [Action] public CronView StartEvery(string name, int intervalMs, int amount) => View(Cron.Every(name, TimeSpan.FromMilliseconds(intervalMs)).Tick(amount));

    [Action] public CronView StartCron(string name, string expression, string? timeZone) => View(Cron.Set(name, expression, timeZone).Tick(1));

    /// <summary>Sets a job with a bad expression or zone; answers the error's message (the action itself must not fail here).</summary>
    [Action]
    public string TryStartCron(string name, string expression, string? timeZone)
    {
        try
        {
            Cron.Set(name, expression, timeZone).Tick(1);
            return "";
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }

    [Action]
    public int Tick(int amount)
    {
        State.Ticks += amount;
        Journal.Add(JournalKey, "tick");
        return State.Ticks;
    }

    [Action] public void Marker() => Journal.Add(JournalKey, "marker");

    /// <summary>Deletes a job and schedules a one-shot marker: once the marker ran, a deleted job had every chance to run.</summary>
    [Action]
    public bool DeleteAndMark(string name, int markerDelayMs)
    {
        Schedule.After(TimeSpan.FromMilliseconds(markerDelayMs)).Marker();
        return Cron.Delete(name);
    }

    [Action] public CronView? GetJob(string name) => Cron.Get(name) is { } job ? View(job) : null;

    [Action] public List<CronView> ListJobs() => Cron.List().Select(View).ToList();

    [Action] public int HistoryCount(string name) => Cron.History(name).Count;

    [Action] public int GetTicks() => State.Ticks;

    [Action] public void GoToSleep() => Sleep();

    private static CronView View(CronJob job) =>
        new(job.Name, job.Expression, job.TimeZone, job.Interval is { } i ? (long)i.TotalMilliseconds : null, job.Action, job.NextRun.ToUnixTimeMilliseconds());
}
