using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Sdk.Tests.Runtime;

namespace Rivet.Sdk.Tests.Behaviour;

public sealed class RoomState
{
    public int Count { get; set; }
    public List<string> Log { get; set; } = new();
}

public sealed record JoinParams(string Name, string? Token = null);

public sealed class MemberState
{
    public string Name { get; set; } = "";
    public int Calls { get; set; }
}

/// <summary>
/// One actor exercising what the behaviour suite checks on every host: hooks (logged in its state and in the
/// <see cref="Probe"/>), events, connection params and state, sleep, destroy, schedules and actor-to-actor calls.
/// </summary>
[Actor("room")]
public partial class Room : Actor<RoomState>, IConnectionParams<JoinParams>, IConnectionState<JoinParams, MemberState>
{
    // An ephemeral var: a new value on every start.
    private readonly string _incarnation = Guid.NewGuid().ToString("N");

    protected override TimeSpan SleepTimeout => Timeout.InfiniteTimeSpan;

    private string ProbeKey => Context.Key[0];

    protected override ValueTask OnCreateAsync(CancellationToken cancellationToken) => Hook("create");

    protected override ValueTask OnWakeAsync(CancellationToken cancellationToken) => Hook("wake");

    protected override ValueTask OnSleepAsync(CancellationToken cancellationToken) => Hook("sleep");

    protected override ValueTask OnDestroyAsync(CancellationToken cancellationToken) => Hook("destroy");

    protected override ValueTask OnConnectAsync(Connection connection, CancellationToken cancellationToken) =>
        Hook("connect:" + connection.GetState<MemberState>()!.Name);

    protected override ValueTask OnDisconnectAsync(Connection connection, CancellationToken cancellationToken) =>
        Hook("disconnect:" + connection.GetState<MemberState>()!.Name);

    public ValueTask OnBeforeConnectAsync(JoinParams? parameters, CancellationToken cancellationToken)
    {
        Probe.Record(ProbeKey, "before-connect:" + (parameters?.Name ?? "none"));
        return parameters?.Token == "bad"
            ? throw new UserError($"Token of {parameters.Name} rejected", "forbidden")
            : default;
    }

    public MemberState CreateConnectionState(JoinParams? parameters) => new() { Name = parameters?.Name ?? "anon" };

    private ValueTask Hook(string entry)
    {
        State.Log.Add(entry);
        Probe.Record(ProbeKey, entry);
        return default;
    }

    [Event] partial void NewCount(int count);

    [Event] partial void Marker(string tag);

    [Event] partial void Whisper(string from, string text);

    [Action]
    public int Increment(int amount)
    {
        State.Count += amount;
        NewCount(State.Count);
        Marker("after-increment-" + State.Count);
        return State.Count;
    }

    [Action] public void Mark(string tag) => Marker(tag);

    /// <summary>Sends an event to the named connection only.</summary>
    [Action]
    public bool WhisperTo(string name, string text)
    {
        var target = Connections.FirstOrDefault(c => c.GetState<MemberState>()!.Name == name);
        if (target is null)
        {
            return false;
        }
        Whisper(target, Caller?.GetState<MemberState>()?.Name ?? "http", text);
        return true;
    }

    [Action] public int GetCount() => State.Count;

    [Action] public List<string> GetLog() => State.Log;

    [Action] public string Incarnation() => _incarnation;

    [Action] public string? WhoAmI() => Caller?.GetState<MemberState>()?.Name;

    [Action] public List<string> Members() => Connections.Select(c => c.GetState<MemberState>()!.Name).OrderBy(n => n, StringComparer.Ordinal).ToList();

    [Action] public void GoToSleep() => Sleep();

    [Action] public void SelfDestruct() => Destroy();

    [Action]
    public string ScheduleTick(int delayMs, string tag) => Schedule.After(TimeSpan.FromMilliseconds(delayMs)).Tick(tag).Id;

    [Action]
    public void Tick(string tag)
    {
        State.Log.Add("tick:" + tag);
        Probe.Record(ProbeKey, "tick:" + tag);
    }

    [Action] public List<string> PendingTicks() => Context.Schedule.List().Select(e => e.Action).ToList();

    [Action] public bool CancelTick(string id) => Context.Schedule.Cancel(id);

    /// <summary>Actor-to-actor: calls a counter through the actor's own client.</summary>
    [Action]
    public async Task<int> CallCounter(string counterKey, int amount) =>
        await Context.Client.Counter.GetOrCreate(counterKey).Increment(amount);
}

/// <summary>What actors did, recorded in the test process (every host under test runs in it), so tests can wait for
/// hooks and scheduled calls without calling (and so waking) the actor.</summary>
public static class Probe
{
    private static readonly ConcurrentDictionary<string, ConcurrentQueue<string>> s_entries = new();

    public static void Record(string key, string entry) => s_entries.GetOrAdd(key, _ => new()).Enqueue(entry);

    public static IReadOnlyList<string> Entries(string key) => s_entries.TryGetValue(key, out var q) ? q.ToArray() : [];

    public static Task WaitForAsync(string key, string entry, TimeSpan? timeout = null) => WaitForAsync(key, entry, 1, timeout);

    /// <summary>Waits until the actor of <paramref name="key"/> recorded <paramref name="entry"/> at least <paramref name="count"/> times.</summary>
    public static async Task WaitForAsync(string key, string entry, int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (Entries(key).Count(e => e == entry) < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Actor [{key}] never recorded '{entry}' {count} time(s); it recorded: {string.Join(", ", Entries(key))}");
            }
            await Task.Delay(50);
        }
    }
}
