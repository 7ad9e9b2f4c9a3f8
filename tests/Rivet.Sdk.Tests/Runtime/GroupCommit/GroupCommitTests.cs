using System;
using System.Linq;
using System.Threading.Tasks;
using Rivet.Hosting;
using Rivet.Sdk.Tests.ClientConnections;

namespace Rivet.Sdk.Tests.Runtime;

/// <summary>
/// Group commit of actor state: an action's caller hears back only once its changes are durable, actions that run
/// while a save is in flight share the next save, a failed save fails exactly the actions it did not make durable and
/// rolls the actor back, and stopping or sleeping waits for the pending save. Storage writes are held and released
/// (or failed) by the test through <see cref="GatedStorage"/>.
/// </summary>
public sealed class GroupCommitTests : IAsyncLifetime
{
    private readonly GatedStorage _storage = new();
    private RivetHost _host = null!;

    public async Task InitializeAsync() => _host = await RivetHost.StartAsync(new RivetHostOptions { Storage = _storage });

    public async Task DisposeAsync()
    {
        _storage.Hold = false;
        await _host.DisposeAsync();
    }

    private static string NewName(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N");

    /// <summary>The actor's total as a new host reads it from the storage (what is durable).</summary>
    private async Task<int> DurableTotalAsync(string key)
    {
        await using var reader = await RivetHost.StartAsync(new RivetHostOptions { Storage = _storage.Inner });
        return await reader.Client.Tally.Get(key).Read(NewName("reload"));
    }

    private static Task WaitUntilAsync(Func<bool> condition, string what) =>
        Poll.UntilAsync(condition, TimeSpan.FromSeconds(60), () => what);

    private async Task<TallyHandle> CreateAsync(string key, int total)
    {
        var tally = _host.Client.Tally.GetOrCreate(key);
        Assert.Equal(total, await tally.Add(NewName("setup"), total));
        return tally;
    }

    [Fact]
    public async Task Actions_that_run_during_a_save_share_the_next_save_and_all_become_durable()
    {
        var key = NewName("tally");
        var tally = await CreateAsync(key, 0);
        var probe = NewName("probe");
        _storage.Hold = true;

        var first = tally.Add(probe, 1);
        var firstWrite = await _storage.NextHeldAsync();
        var rest = Enumerable.Range(0, 49).Select(_ => Task.Run(() => tally.Add(probe, 1))).ToArray();
        await WaitUntilAsync(() => Tally.RanCount(probe) == 50, "all 50 actions ran");
        // Every action ran on top of the not-yet-durable state, and none has answered: nothing it did is durable.
        Assert.False(first.IsCompleted);
        Assert.All(rest, t => Assert.False(t.IsCompleted));

        firstWrite.Succeed();
        Assert.Equal(1, await first);
        var groupWrite = await _storage.NextHeldAsync();
        Assert.All(rest, t => Assert.False(t.IsCompleted));
        _storage.Hold = false;
        groupWrite.Succeed();

        var results = await Task.WhenAll(rest);
        Assert.Equal(Enumerable.Range(2, 49), results.Order());
        Assert.Equal(50, await DurableTotalAsync(key));
    }

    [Fact]
    public async Task Many_concurrent_increments_are_all_applied_and_durable()
    {
        var key = NewName("tally");
        var tally = await CreateAsync(key, 0);
        var writesBefore = _storage.Writes;

        var results = await Task.WhenAll(Enumerable.Range(0, 400).Select(_ => Task.Run(() => tally.Add("many", 1))));

        Assert.Equal(Enumerable.Range(1, 400), results.Order());
        Assert.Equal(400, await DurableTotalAsync(key));
        Assert.InRange(_storage.Writes - writesBefore, 1, 400);
    }

    [Fact]
    public async Task A_failed_save_fails_exactly_the_actions_it_did_not_make_durable_and_the_actor_rolls_back()
    {
        var key = NewName("tally");
        var tally = await CreateAsync(key, 5);
        var probe = NewName("probe");
        _storage.Hold = true;

        var durable = tally.Add(probe, 1);
        var firstWrite = await _storage.NextHeldAsync();
        var second = tally.Add(probe, 1);
        var third = tally.Add(probe, 1);
        await WaitUntilAsync(() => Tally.RanCount(probe) == 3, "three actions ran");
        firstWrite.Succeed();
        Assert.Equal(6, await durable);

        var groupWrite = await _storage.NextHeldAsync();
        var fourth = tally.Add(probe, 1); // runs on top of the write in flight
        await WaitUntilAsync(() => Tally.RanCount(probe) == 4, "the fourth action ran");
        groupWrite.Fail();

        foreach (var lost in new[] { second, third, fourth })
        {
            var error = await Assert.ThrowsAsync<RivetException>(() => lost);
            Assert.Equal("actor", error.Group);
            Assert.Equal("internal_error", error.Code);
            Assert.Contains("discarded", error.Message);
        }

        // Back to the last durable state, and the actor keeps working.
        _storage.Hold = false;
        Assert.Equal(6, await tally.Read(NewName("read")));
        Assert.Equal(8, await tally.Add(probe, 2));
        Assert.Equal(8, await DurableTotalAsync(key));
    }

    [Fact]
    public async Task A_read_only_action_that_saw_unsaved_state_waits_for_the_save_and_fails_with_it()
    {
        var key = NewName("tally");
        var tally = await CreateAsync(key, 10);
        _storage.Hold = true;

        // The save succeeds: the read answers after it, with the value it saw.
        var write = tally.Add(NewName("write"), 1);
        var held = await _storage.NextHeldAsync();
        var readProbe = NewName("read");
        var read = tally.Read(readProbe);
        await WaitUntilAsync(() => Tally.RanCount(readProbe) == 1, "the read ran");
        Assert.False(read.IsCompleted);
        held.Succeed();
        Assert.Equal(11, await write);
        Assert.Equal(11, await read);

        // Nothing pending: a read answers without any write.
        Assert.Equal(11, await tally.Read(NewName("read")));

        // The save fails: the read that saw the lost value fails too.
        var lostWrite = tally.Add(NewName("write"), 1);
        held = await _storage.NextHeldAsync();
        readProbe = NewName("read");
        var lostRead = tally.Read(readProbe);
        await WaitUntilAsync(() => Tally.RanCount(readProbe) == 1, "the second read ran");
        held.Fail();
        Assert.Equal("internal_error", (await Assert.ThrowsAsync<RivetException>(() => lostWrite)).Code);
        Assert.Equal("internal_error", (await Assert.ThrowsAsync<RivetException>(() => lostRead)).Code);

        _storage.Hold = false;
        Assert.Equal(11, await tally.Read(NewName("read")));
    }

    [Fact]
    public async Task Sleep_waits_for_the_pending_save_and_the_actor_wakes_with_it()
    {
        var key = NewName("tally");
        var tally = await CreateAsync(key, 1);
        _storage.Hold = true;

        var write = tally.Add(NewName("write"), 2);
        var held = await _storage.NextHeldAsync();
        var nap = tally.Nap(); // read-only: answers once the save it saw is durable, then the actor sleeps
        held.Succeed();
        _storage.Hold = false;
        Assert.Equal(3, await write);
        await nap;

        Assert.Equal(3, await DurableTotalAsync(key));
        Assert.Equal(3, await tally.Read(NewName("read"))); // woken from storage
    }

    [Fact]
    public async Task Stopping_the_host_waits_for_the_pending_save()
    {
        var key = NewName("tally");
        var tally = await CreateAsync(key, 1);
        _storage.Hold = true;

        var write = tally.Add(NewName("write"), 4);
        var held = await _storage.NextHeldAsync();
        var stop = _host.DisposeAsync().AsTask();
        Assert.False(stop.IsCompleted); // it cannot finish before the save it waits for
        held.Succeed();
        await stop;
        Assert.Equal(5, await write);
        Assert.Equal(5, await DurableTotalAsync(key));
    }
}
