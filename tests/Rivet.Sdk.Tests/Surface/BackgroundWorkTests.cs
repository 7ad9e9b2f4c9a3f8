using System;
using System.Linq;
using System.Threading.Tasks;
using Rivet.Hosting;
using Rivet.Sdk.Tests.Lifecycle;
using Rivet.Storage;

namespace Rivet.Sdk.Tests.Surface;

/// <summary>KeepAwake and WaitUntil on the embedded host.</summary>
public sealed class BackgroundWorkTests : IAsyncLifetime
{
    private readonly InMemoryActorStorage _storage = new();
    private RivetHost _host = null!;

    public async Task InitializeAsync() => _host = await RivetHost.StartAsync(new RivetHostOptions { Storage = _storage, ReadEnvironment = false });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task KeepAwake_work_holds_off_idle_sleep_until_it_ends()
    {
        var key = "bg-" + Guid.NewGuid().ToString("N");
        // 800 ms of work, a 100 ms sleep timeout: without KeepAwake the actor would sleep long before the work ends.
        await _host.Client.BackgroundProbe.GetOrCreate(key).StartKeptAwake(800);
        var journal = await Journal.WaitForAsync(key, "sleep");
        Assert.Equal(["kept-awake-done", "sleep"], journal);
    }

    [Fact]
    public async Task A_stop_waits_for_WaitUntil_work_before_OnSleep()
    {
        var key = "bg-" + Guid.NewGuid().ToString("N");
        var actor = _host.Client.BackgroundProbe.GetOrCreate(key);
        await actor.StartWaitedFor(500);
        await actor.GoToSleep();
        var journal = await Journal.WaitForAsync(key, "sleep");
        Assert.Equal(["waited-for-done", "sleep"], journal.Take(2));
    }
}
