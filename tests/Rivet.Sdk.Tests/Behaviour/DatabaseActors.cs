using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace Rivet.Sdk.Tests.Behaviour;

public sealed record Note(long Id, string Text) : ISqlRow<Note>
{
    public static Note Read(SqlRow row) => new(row.Get<long>("id"), row.Get<string>("text"));
}

/// <summary>An actor keeping its data in its own database: migrations, inserts, typed reads, transactions, SQL errors.</summary>
[Actor("notebook")]
public partial class Notebook : Actor
{
    protected override TimeSpan SleepTimeout => Timeout.InfiniteTimeSpan;

    protected override async ValueTask OnMigrateAsync(CancellationToken cancellationToken)
    {
        var applied = await Db.MigrateAsync(
        [
            new SqlMigration(1, "create table notes(id integer primary key, text text not null unique)"),
            new SqlMigration(2, "create table tags(note_id integer not null references notes(id), tag text not null)", "create index tags_by_note on tags(note_id)"),
        ], cancellationToken);
        Probe.Record(Context.Key[0], "migrated:" + applied);
    }

    [Action]
    public async Task<long> Add(string text)
    {
        var result = await Db.ExecuteAsync($"insert into notes(text) values ({text})");
        return result.LastInsertRowId ?? throw new InvalidOperationException("no rowid");
    }

    [Action]
    public async Task<string[]> List() =>
        (await Db.QueryAsync<Note>("select id, text from notes order by id")).Select(n => n.Text).ToArray();

    [Action]
    public async Task<long> Count() => await Db.ScalarAsync<long>("select count(*) from notes");

    /// <summary>Adds the texts in one transaction; throws after the inserts when <paramref name="failAtEnd"/>.</summary>
    [Action]
    public async Task AddAll(string[] texts, bool failAtEnd) => await Db.TransactionAsync(async ct =>
    {
        foreach (var text in texts)
        {
            await Db.ExecuteAsync($"insert into notes(text) values ({text})", ct);
        }
        if (failAtEnd)
        {
            throw new UserError("changed my mind", code: "rolled_back");
        }
    });

    /// <summary>Adds the texts as one batch (all or nothing: a duplicate fails them all).</summary>
    [Action]
    public async Task<long> AddBatch(string[] texts)
    {
        var results = await Db.ExecuteBatchAsync(texts.Select(t => (SqlStatement)$"insert into notes(text) values ({t})").ToArray());
        return results.Sum(r => r.Changes);
    }

    [Action]
    public async Task<int> Tables() => (int)await Db.ScalarAsync<long>("select count(*) from sqlite_master where type = 'table' and name = 'notes'");

    /// <summary>A statement that keeps the engine busy for a while (counts to five million).</summary>
    [Action]
    public async Task<long> SlowCount(CancellationToken cancellationToken) => await Db.ScalarAsync<long>(
        "with recursive c(x) as (select 1 union all select x + 1 from c where x < 5000000) select count(*) from c", cancellationToken);

    [Action]
    public async Task BadSql() => await Db.ExecuteAsync("select * from no_such_table");

    protected override ValueTask OnSleepAsync(CancellationToken cancellationToken)
    {
        Probe.Record(Context.Key[0], "sleep");
        return default;
    }

    [Action]
    public void GoToSleep() => Sleep();

    [Action]
    public void Remove() => Destroy();
}
