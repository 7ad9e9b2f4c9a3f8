using System;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Hosting;
using Rivet.Sdk.Tests.Runtime;
using Rivet.Storage;

namespace Rivet.Sdk.Tests.Actors;

/// <summary>
/// A client declared as an interface for the C# <see cref="Counter"/> actor, as one would be for a RivetKit
/// TypeScript actor: only the wire names and JSON shapes connect the two.
/// </summary>
[ActorClient("counter")]
public interface IRemoteCounter
{
    Task<int> Increment(int amount = 1);

    ValueTask<int> GetCount(CancellationToken cancellationToken = default);

    [Action("slowIncrement")]
    Task<int> IncrementSlowly(int delayMs, CancellationToken cancellationToken = default);

    [Action("noSuchAction")]
    Task Missing();
}

/// <summary>A client for the C# <see cref="Ledger"/> actor, with its creation input.</summary>
[ActorClient("ledger", InputType = typeof(LedgerInput))]
public interface IRemoteLedger
{
    Task<int> Apply(Entry entry);

    Task<LedgerState> Snapshot();

    Task<string?> Owner();
}

/// <summary>Interface clients compiled by the real project, calling C# actors through the embedded host.</summary>
public sealed class GeneratedActorClientTests : IAsyncLifetime
{
    private RivetHost _host = null!;

    private RivetClient Client => _host.Client;

    public async Task InitializeAsync() => _host = await RivetHost.StartAsync(new RivetHostOptions { Storage = new InMemoryActorStorage() });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static string NewKey() => "k-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task An_interface_client_and_the_actors_own_client_call_the_same_actor()
    {
        var key = NewKey();
        IRemoteCounter remote = Client.RemoteCounter.GetOrCreate(key);

        Assert.Equal(5, await remote.Increment(5));
        Assert.Equal(6, await remote.Increment());
        Assert.Equal(8, await Client.Counter.Get(key).Increment(2));
        Assert.Equal(8, await remote.GetCount());
        Assert.Equal(9, await Client.RemoteCounter.Get(key).IncrementSlowly(1));
        Assert.Equal(9, await Client.Counter.Get(key).GetCount());
        Assert.Equal(await Client.Counter.Get(key).ResolveAsync(), await Client.RemoteCounter.Get(key).ResolveAsync());
    }

    [Fact]
    public async Task Create_and_GetForId_reach_the_created_actor()
    {
        var created = await Client.RemoteCounter.Create(NewKey());
        Assert.Equal(3, await created.Increment(3));
        var id = await created.ResolveAsync();
        Assert.Equal(3, await Client.RemoteCounter.GetForId(id).GetCount());
        Assert.Equal(3, await Client.Counter.GetForId(id).GetCount());
    }

    [Fact]
    public async Task An_unknown_wire_name_fails_with_the_actors_error()
    {
        var error = await Assert.ThrowsAsync<RivetException>(() => Client.RemoteCounter.GetOrCreate(NewKey()).Missing());
        Assert.Equal(RivetErrors.ActionNotFound, error.Code);
    }

    [Fact]
    public async Task The_input_type_records_and_user_errors_cross_between_the_two_client_kinds()
    {
        var key = NewKey();
        var ledger = Client.RemoteLedger.GetOrCreate(key, new LedgerInput("ada", 10));
        Assert.Equal(15, await ledger.Apply(new Entry(EntryKind.Deposit, 5, "salary")));
        Assert.Equal("ada", await ledger.Owner());

        var error = await Assert.ThrowsAsync<RivetException>(() => ledger.Apply(new Entry(EntryKind.Withdrawal, 100)));
        Assert.Equal("user", error.Group);
        Assert.Equal("insufficient_funds", error.Code);

        var snapshot = await Client.Ledger.Get(key).Snapshot();
        Assert.Equal(15, snapshot.Balance);
        Assert.Equal(new[] { "Deposit:5" }, snapshot.History);
        Assert.Equal((await ledger.Snapshot()).History, snapshot.History);

        var created = await Client.RemoteLedger.Create(NewKey(), new LedgerInput("bo", 1));
        Assert.Equal("bo", await created.Owner());
    }
}
