using System;
using System.Threading.Tasks;
using Rivet.Hosting;
using Rivet.Storage;

namespace Rivet.Sdk.Tests.Surface;

/// <summary>The smaller RivetKit surface on the embedded host.</summary>
public sealed class EmbeddedSurfaceTests : IAsyncLifetime
{
    private readonly InMemoryActorStorage _storage = new();
    private RivetHost _host = null!;

    private RivetClient Client => _host.Client;

    public async Task InitializeAsync() => _host = await RivetHost.StartAsync(new RivetHostOptions { Storage = _storage, ReadEnvironment = false });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private SurfaceProbeHandle NewActor() => Client.SurfaceProbe.GetOrCreate("surface-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Schedule_Get_finds_a_pending_call_by_id_and_null_once_it_is_cancelled_or_unknown()
    {
        var actor = NewActor();
        var id = await actor.ScheduleSet(5);
        Assert.Equal(new PendingView(id, "set", "[5]"), await actor.GetScheduled(id));
        Assert.Null(await actor.GetScheduled(Guid.NewGuid().ToString()));
    }

    [Fact]
    public async Task SaveStateAsync_keeps_what_was_saved_when_the_action_then_throws()
    {
        var actor = NewActor();
        var error = await Assert.ThrowsAsync<RivetException>(() => actor.SaveThenFail(42));
        Assert.Equal("save_then_fail", error.Code);
        Assert.Equal(42, await actor.GetCount());

        var scheduled = await Assert.ThrowsAsync<RivetException>(() => actor.ScheduleSaveThenFail());
        // The error's message is the id of the call scheduled before the save: it stayed.
        Assert.Equal("set", (await actor.GetScheduled(scheduled.Message))?.Action);
    }

    [Fact]
    public async Task OnStateChange_runs_after_each_turn_that_changed_the_state_and_only_then()
    {
        var actor = NewActor();
        Assert.Equal(0, await actor.StateChanges());
        await actor.Set(1);
        await actor.Set(2);
        await actor.Set(2); // the same value: no change
        Assert.Equal(2, await actor.GetCount());
        Assert.Equal(2, await actor.StateChanges());
    }

    [Fact]
    public async Task OnBeforeActionResponse_rewrites_the_result_callers_receive()
    {
        var actor = NewActor();
        Assert.Equal("redacted", await actor.Secret());
        await actor.Set(3);
        Assert.Equal(3, await actor.GetCount());
    }
}
