using System.Threading;
using System.Threading.Tasks;
using Rivet.Runtime;
using Rivet.Storage;
using Rivet.Testing;

namespace Rivet.Sdk.Testing.Tests.TestHost;

/// <summary>An actor keeping rows in its own database (<c>Db</c>), as a new user's app does.</summary>
[Actor("notebook")]
public partial class Notebook : Actor
{
    protected override async ValueTask OnMigrateAsync(CancellationToken cancellationToken) =>
        await Db.MigrateAsync([new SqlMigration(1, "create table notes(id integer primary key, text text not null)")], cancellationToken);

    [Action]
    public async Task<long> Add(string text) => (await Db.ExecuteAsync($"insert into notes(text) values ({text})")).LastInsertRowId ?? 0;

    [Action]
    public async Task<long> Count() => await Db.ScalarAsync<long>($"select count(*) from notes");
}

/// <summary>The test host gives actors their database, on its default storage and on one passed in, across a restart.</summary>
public sealed class DatabaseOnTestHostTests
{
    [Fact]
    public async Task An_actor_with_a_database_runs_on_the_test_host_and_keeps_its_rows_across_a_restart()
    {
        await using var host = await RivetTestHost.StartAsync(new RivetTestHostOptions { Registry = new ActorRegistry().Add<Notebook>() });
        var notebook = host.Client.Notebook.GetOrCreate("n1");
        Assert.Equal(1, await notebook.Add("first"));
        Assert.Equal(2, await notebook.Add("second"));

        await host.SleepAsync<Notebook>("n1");
        await host.RestartAsync();
        Assert.Equal(2, await notebook.Count());
    }

    [Fact]
    public async Task A_storage_passed_in_keeps_its_databases()
    {
        await using var storage = new InMemoryActorStorage();
        await using var host = await RivetTestHost.StartAsync(new RivetTestHostOptions { Registry = new ActorRegistry().Add<Notebook>(), Storage = storage });
        Assert.Equal(1, await host.Client.Notebook.GetOrCreate("n2").Add("only"));
    }
}
