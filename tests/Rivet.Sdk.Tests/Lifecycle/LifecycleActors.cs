using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Sdk.Tests.Runtime;

namespace Rivet.Sdk.Tests.Lifecycle;

/// <summary>
/// What the lifecycle test actors did, per actor key, with the time: lets a test watch hooks and scheduled actions
/// of an actor that nobody calls (a call would wake it). Hosts run in the test process, so a static is enough.
/// </summary>
internal static class Journal
{
    private static readonly ConcurrentDictionary<string, ConcurrentQueue<(DateTimeOffset At, string Entry)>> s_entries = new(StringComparer.Ordinal);

    public static void Add(string key, string entry) => s_entries.GetOrAdd(key, _ => new()).Enqueue((DateTimeOffset.UtcNow, entry));

    public static IReadOnlyList<string> Of(string key) => s_entries.TryGetValue(key, out var entries) ? entries.Select(e => e.Entry).ToArray() : [];

    /// <summary>When <paramref name="entry"/> was last written for the key.</summary>
    public static DateTimeOffset TimeOf(string key, string entry) => s_entries[key].Last(e => e.Entry == entry).At;

    /// <summary>Waits until the journal of <paramref name="key"/> has <paramref name="count"/> entries equal to <paramref name="entry"/>.</summary>
    public static async Task<IReadOnlyList<string>> WaitForAsync(string key, string entry, int count = 1, double timeoutSeconds = 60)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(timeoutSeconds);
        while (true)
        {
            var entries = Of(key);
            if (entries.Count(e => e == entry) >= count)
            {
                return entries;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Actor [{key}] did not log '{entry}' x{count} within {timeoutSeconds} s; its journal: {string.Join(", ", entries)}");
            }
            await Task.Delay(25);
        }
    }
}

public sealed class LifeState
{
    public int Count { get; set; }
}

public sealed record VarsView(string InstanceId, int CallsSinceWake);

public sealed record ScheduledView(string Id, long AtMs, string Action, string Arguments);

/// <summary>Logs every hook; sleeps only when asked (<see cref="GoToSleep"/>, the engine, or its host stopping).</summary>
[Actor]
public partial class LifecycleProbe : Actor<LifeState>
{
    // Ephemeral: a new object (new id, counter at 0) on every start.
    private readonly string _instanceId = Guid.NewGuid().ToString("N");
    private int _callsSinceWake;

    private string JournalKey => Context.Key.Parts[0];

    protected override TimeSpan SleepTimeout => Timeout.InfiniteTimeSpan;

    protected override ValueTask OnCreateAsync(CancellationToken cancellationToken) => Log("create");

    protected override ValueTask OnWakeAsync(CancellationToken cancellationToken) => Log("wake");

    protected override ValueTask OnSleepAsync(CancellationToken cancellationToken) => Log("sleep");

    protected override ValueTask OnDestroyAsync(CancellationToken cancellationToken) => Log("destroy");

    private ValueTask Log(string entry)
    {
        Journal.Add(JournalKey, entry);
        return default;
    }

    [Action]
    public int Increment(int amount)
    {
        State.Count += amount;
        Journal.Add(JournalKey, "increment:" + amount);
        return State.Count;
    }

    [Action] public int GetCount() => State.Count;

    [Action] public VarsView Vars() => new(_instanceId, ++_callsSinceWake);

    [Action] public void GoToSleep() => Sleep();

    [Action] public void SelfDestruct() => Destroy();

    [Action] public ScheduledView ScheduleIncrement(int delayMs, int amount) => View(AddIncrement(delayMs, amount));

    /// <summary>Schedules, then sleeps in the same turn: the schedule can only run after a wake.</summary>
    [Action]
    public ScheduledView ScheduleAndSleep(int delayMs, int amount)
    {
        var scheduled = AddIncrement(delayMs, amount);
        Sleep();
        return View(scheduled);
    }

    /// <summary>Schedules, then fails: the event must be dropped with the action's other changes.</summary>
    [Action]
    public void ScheduleThenFail(int delayMs, int amount)
    {
        AddIncrement(delayMs, amount);
        State.Count = -1;
        throw new UserError("scheduled, then failed", "schedule_then_fail");
    }

    [Action] public List<ScheduledView> ListSchedule() => Context.Schedule.List().Select(View).ToList();

    [Action] public bool CancelScheduled(string id) => Context.Schedule.Cancel(id);

    /// <summary>Calls another actor through <see cref="ActorContext.Client"/>.</summary>
    [Action] public Task<int> CallCounter(string key, int amount) => Context.Client.Counter.GetOrCreate(key).Increment(amount);

    private ScheduledEvent AddIncrement(int delayMs, int amount) =>
        Context.Schedule.AddRaw(Context.TimeProvider.GetUtcNow().AddMilliseconds(delayMs), "increment", Encoding.UTF8.GetBytes($"[{amount}]"));

    private static ScheduledView View(ScheduledEvent e) =>
        new(e.Id, e.At.ToUnixTimeMilliseconds(), e.Action, Encoding.UTF8.GetString(e.ArgumentsJson.Span));
}

/// <summary>Goes to sleep after a short idle time.</summary>
[Actor]
public partial class DrowsyProbe : Actor<LifeState>
{
    private string JournalKey => Context.Key.Parts[0];

    protected override TimeSpan SleepTimeout => TimeSpan.FromMilliseconds(300);

    protected override ValueTask OnWakeAsync(CancellationToken cancellationToken)
    {
        Journal.Add(JournalKey, "wake");
        return default;
    }

    protected override ValueTask OnSleepAsync(CancellationToken cancellationToken)
    {
        Journal.Add(JournalKey, "sleep");
        return default;
    }

    [Action] public int Increment(int amount) => State.Count += amount;

    [Action] public int GetCount() => State.Count;
}

/// <summary>Schedules its first tick from OnCreate; destroys itself from OnWake when created with input "vanish".</summary>
[Actor]
public partial class EagerProbe : Actor<LifeState, string>
{
    private string JournalKey => Context.Key.Parts[0];

    protected override ValueTask OnCreateAsync(CancellationToken cancellationToken)
    {
        Schedule.After(TimeSpan.FromMilliseconds(50)).Tick("from-create");
        return default;
    }

    protected override ValueTask OnWakeAsync(CancellationToken cancellationToken)
    {
        if (Input == "vanish")
        {
            Destroy();
        }
        return default;
    }

    protected override ValueTask OnDestroyAsync(CancellationToken cancellationToken)
    {
        Journal.Add(JournalKey, "destroy");
        return default;
    }

    [Action]
    public void Tick(string tag)
    {
        State.Count++;
        Journal.Add(JournalKey, "tick:" + tag);
    }

    [Action] public int GetCount() => State.Count;
}
