using System;
using System.Threading;
using System.Threading.Tasks;

namespace Rivet.Sdk.Testing.Tests.TestHost;

/// <summary>An actor whose actions wait on its clock, with a short action timeout and a counted lifecycle.</summary>
[Actor("clockwork")]
public partial class Clockwork : Actor<ClockworkState>
{
    protected override TimeSpan ActionTimeout => TimeSpan.FromSeconds(10);

    protected override TimeSpan SleepTimeout => TimeSpan.FromMinutes(5);

    protected override ValueTask OnWakeAsync(CancellationToken cancellationToken)
    {
        State.Wakes++;
        return default;
    }

    protected override ValueTask OnSleepAsync(CancellationToken cancellationToken)
    {
        State.Sleeps++;
        return default;
    }

    /// <summary>Adds <paramref name="amount"/>, then waits <paramref name="seconds"/> on the actor's clock.</summary>
    [Action]
    public async Task<int> AddThenWait(int amount, int seconds, CancellationToken cancellationToken)
    {
        State.Value += amount;
        await Task.Delay(TimeSpan.FromSeconds(seconds), Context.TimeProvider, cancellationToken);
        return State.Value;
    }

    [Action]
    public int Add(int amount) => State.Value += amount;

    [Action]
    public long NowUnixSeconds() => Context.TimeProvider.GetUtcNow().ToUnixTimeSeconds();

    [Action]
    public string AddAt(int amount, long unixSeconds) => Schedule.At(DateTimeOffset.FromUnixTimeSeconds(unixSeconds)).Add(amount).Id;

    [Action]
    public void GoToSleep() => Sleep();

    [Event]
    partial void Ticked(int value);

    [Action]
    public void Tick() => Ticked(State.Value);
}

public sealed class ClockworkState
{
    public int Value { get; set; }

    public int Wakes { get; set; }

    public int Sleeps { get; set; }
}
