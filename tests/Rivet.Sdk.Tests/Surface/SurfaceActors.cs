using System;
using System.Threading;
using System.Threading.Tasks;

namespace Rivet.Sdk.Tests.Surface;

public sealed class SurfaceState
{
    public int Count { get; set; }
}

public sealed record PendingView(string Id, string Action, string Arguments);

/// <summary>The smaller RivetKit surface: schedule get-by-id and save-state-now.</summary>
[Actor]
public partial class SurfaceProbe : Actor<SurfaceState>
{
    [Action] public string ScheduleSet(int value) => Schedule.After(TimeSpan.FromMinutes(10)).Set(value).Id;

    [Action]
    public PendingView? GetScheduled(string id) =>
        Schedule.Get(id) is { } e ? new PendingView(e.Id, e.Action, System.Text.Encoding.UTF8.GetString(e.ArgumentsJson.Span)) : null;

    [Action] public void Set(int value) => State.Count = value;

    [Action] public int GetCount() => State.Count;

    private int _stateChanges;

    protected override void OnStateChange() => _stateChanges++;

    [Action] public int StateChanges() => _stateChanges;

    [Action] public string Secret() => "the secret";

    /// <summary>Redacts the result of <c>secret</c>; other results pass unchanged.</summary>
    protected override ReadOnlyMemory<byte> OnBeforeActionResponse(string action, ReadOnlyMemory<byte> outputJson) =>
        action == "secret" ? "\"redacted\""u8.ToArray() : outputJson;

    /// <summary>Sets, saves now, changes again, then throws: the saved value stays, the later change is undone.</summary>
    [Action]
    public async Task SaveThenFail(int saved, CancellationToken cancellationToken)
    {
        State.Count = saved;
        await SaveStateAsync(cancellationToken);
        State.Count = saved + 1000;
        throw new UserError("failed after saving", "save_then_fail");
    }

    /// <summary>Sets, schedules, saves now, then throws: the state and the scheduled call stay.</summary>
    [Action]
    public async Task<string> ScheduleSaveThenFail(CancellationToken cancellationToken)
    {
        var id = Schedule.After(TimeSpan.FromMinutes(10)).Set(7).Id;
        await SaveStateAsync(cancellationToken);
        throw new UserError(id, "save_then_fail");
    }
}
