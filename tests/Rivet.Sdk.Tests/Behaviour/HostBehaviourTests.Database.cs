using System;
using System.Linq;
using System.Threading.Tasks;
using Rivet.Sdk.Tests.Behaviour;

namespace Rivet.Sdk.Tests.Serverless;

// Issue 13: every actor's own SQLite database (Db), the same on the embedded, runner and serverless hosts.
public abstract partial class HostBehaviourTests
{
    [Fact]
    public async Task Database_rows_survive_sleep_and_a_host_restart_and_each_migration_runs_once()
    {
        var key = NewKey();
        var notebook = Client.Notebook.GetOrCreate(key);
        Assert.Equal(1, await notebook.Add("first"));
        Assert.Equal(2, await notebook.Add("second"));
        Assert.Equal(["migrated:2"], Probe.Entries(key));

        await notebook.GoToSleep();
        await Probe.WaitForAsync(key, "sleep", Patience);
        Assert.Equal(["first", "second"], await CallUntilOkAsync(() => notebook.List()));

        await RestartAsync();
        Assert.Equal(["first", "second"], await CallUntilOkAsync(() => Client.Notebook.Get(key).List()));
        Assert.Equal(3, await Client.Notebook.Get(key).Add("third"));
        // Started three times; both migrations ran on the first start only.
        Assert.Equal(["migrated:2", "migrated:0", "migrated:0"], Probe.Entries(key).Where(e => e.StartsWith("migrated:", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Two_actors_never_see_each_others_tables()
    {
        var a = Client.Notebook.GetOrCreate(NewKey());
        var b = Client.Notebook.GetOrCreate(NewKey());
        await a.Add("only in a");
        Assert.Equal(0, await b.Count());
        await b.Add("only in b");
        Assert.Equal(["only in a"], await a.List());
        Assert.Equal(["only in b"], await b.List());
    }

    [Fact]
    public async Task A_sql_error_reaches_the_caller_as_a_typed_error_and_the_actor_keeps_running()
    {
        var notebook = Client.Notebook.GetOrCreate(NewKey());
        var invalid = await Assert.ThrowsAsync<RivetException>(() => notebook.BadSql());
        Assert.Equal("sql.invalid_statement", invalid.Id);
        Assert.Contains("no_such_table", invalid.Message.Replace(' ', '_'));

        await notebook.Add("unique");
        var duplicate = await Assert.ThrowsAsync<RivetException>(() => notebook.Add("unique"));
        Assert.Equal("sql.constraint", duplicate.Id);
        Assert.Equal(["unique"], await notebook.List());
    }

    [Fact]
    public async Task A_failed_transaction_or_batch_leaves_nothing_written()
    {
        var notebook = Client.Notebook.GetOrCreate(NewKey());
        var rolledBack = await Assert.ThrowsAsync<RivetException>(() => notebook.AddAll(["t1", "t2"], failAtEnd: true));
        Assert.Equal("user.rolled_back", rolledBack.Id);
        Assert.Equal(0, await notebook.Count());

        var duplicate = await Assert.ThrowsAsync<RivetException>(() => notebook.AddBatch(["b1", "b2", "b1"]));
        Assert.Equal("sql.constraint", duplicate.Id);
        Assert.Equal(0, await notebook.Count());

        await notebook.AddAll(["t1", "t2"], failAtEnd: false);
        Assert.Equal(2, await notebook.AddBatch(["b1", "b2"]));
        Assert.Equal(["t1", "t2", "b1", "b2"], await notebook.List());
    }

    [Fact]
    public async Task Interpolated_values_are_bound_never_spliced_into_the_sql()
    {
        var notebook = Client.Notebook.GetOrCreate(NewKey());
        const string hostile = "x'); drop table notes; --";
        await notebook.Add(hostile);
        await notebook.Add("O'Brien ? $1 :name");
        Assert.Equal([hostile, "O'Brien ? $1 :name"], await notebook.List());
        Assert.Equal(1, await notebook.Tables());
    }
}
