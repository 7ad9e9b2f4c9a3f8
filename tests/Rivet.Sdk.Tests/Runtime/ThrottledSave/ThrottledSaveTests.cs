using System;
using System.Linq;
using System.Threading.Tasks;
using Rivet.Hosting;
using Rivet.Sdk.Tests.ClientConnections;

namespace Rivet.Sdk.Tests.Runtime;

/// <summary>A tally that saves at most once per hour (only sleep and stop write it, in practice).</summary>
[Actor]
public partial class HourlyTally : Actor<TallyState>
{
    protected override TimeSpan? StateSaveInterval => TimeSpan.FromHours(1);

    [Action] public int Add(int amount) => State.Total += amount;

    [Action] public int Read() => State.Total;

    [Action] public void Nap() => Sleep();
}

/// <summary>A tally that saves at most every 100 ms.</summary>
[Actor]
public partial class QuickTally : Actor<TallyState>
{
    protected override TimeSpan? StateSaveInterval => TimeSpan.FromMilliseconds(100);

    [Action] public int Add(int amount) => State.Total += amount;

    [Action] public int Read() => State.Total;
}

/// <summary>
/// Opt-in throttled saving (<c>Actor.StateSaveInterval</c>): answers do not wait for a write, the state is written
/// after the interval and at sleep, and the default (every other test actor) stays durable before the reply.
/// </summary>
public sealed class ThrottledSaveTests : IAsyncLifetime
{
    private readonly GatedStorage _storage = new();
    private RivetHost _host = null!;

    public async Task InitializeAsync() => _host = await RivetHost.StartAsync(new RivetHostOptions { Storage = _storage });

    public async Task DisposeAsync()
    {
        _storage.Hold = false;
        await _host.DisposeAsync();
    }

    private static string NewKey() => "t-" + Guid.NewGuid().ToString("N");

    private async Task<int> DurableTotalAsync(string key)
    {
        await using var reader = await RivetHost.StartAsync(new RivetHostOptions { Storage = _storage.Inner });
        return await reader.Client.HourlyTally.Get(key).Read();
    }

    [Fact]
    public async Task Actions_answer_without_a_write_and_the_sleep_writes_what_they_changed()
    {
        var key = NewKey();
        var tally = _host.Client.HourlyTally.GetOrCreate(key);
        Assert.Equal(0, await tally.Read());
        var writes = _storage.Writes;

        // Held writes would block any caller that waited for one: none does.
        _storage.Hold = true;
        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => tally.Add(1))).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(Enumerable.Range(1, 20), answers.Order());
        Assert.Equal(writes, _storage.Writes);
        _storage.Hold = false;
        Assert.Equal(0, await DurableTotalAsync(key)); // answered, not durable yet: what a crash now would lose

        await tally.Nap();
        await Poll.UntilAsync(async () => await DurableTotalAsync(key) == 20, TimeSpan.FromSeconds(30), () => "the sleep to write the total of 20");
        Assert.Equal(20, await DurableTotalAsync(key)); // the sleep wrote it, long before the hour
    }

    [Fact]
    public async Task The_interval_writes_the_changes_without_a_sleep()
    {
        var key = NewKey();
        var tally = _host.Client.QuickTally.GetOrCreate(key);
        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => tally.Add(1)));

        var total = 0;
        await Poll.UntilAsync(async () => (total = await StoredTotalAsync(key)) == 20, TimeSpan.FromSeconds(30),
            () => $"the 100 ms interval to write the total of 20 (stored {total})");
    }

    /// <summary>What is durable: a second host reads the storage.</summary>
    private async Task<int> StoredTotalAsync(string key)
    {
        await using var reader = await RivetHost.StartAsync(new RivetHostOptions { Storage = _storage.Inner });
        return await reader.Client.QuickTally.Get(key).Read();
    }
}
