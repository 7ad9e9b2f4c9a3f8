using System;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Database;

namespace Rivet.Sdk.Tests.Database;

public sealed class SqlStatementTests
{
    private enum Mood { Calm = 3 }

    [Fact]
    public void Interpolated_values_become_parameters_in_order_and_never_text()
    {
        var name = "x'); drop table t; --";
        SqlStatement sql = $"insert into t(a, b, c, d, e) values ({name}, {42}, {true}, {Mood.Calm}, {(string?)null})";

        Assert.Equal("insert into t(a, b, c, d, e) values (?, ?, ?, ?, ?)", sql.Text);
        Assert.Equal<object?>([name, 42L, 1L, 3L, null], sql.Parameters);
        Assert.DoesNotContain("drop", sql.ToString());
    }

    [Fact]
    public void A_fragment_is_spliced_with_its_own_parameters()
    {
        SqlStatement where = $"author = {"ada"} and id > {7}";
        SqlStatement sql = $"select * from msgs where {where} limit {10}";

        Assert.Equal("select * from msgs where author = ? and id > ? limit ?", sql.Text);
        Assert.Equal<object?>(["ada", 7L, 10L], sql.Parameters);
    }

    [Fact]
    public void Raw_takes_question_mark_parameters_and_a_value_sqlite_cannot_store_is_refused_by_position()
    {
        var raw = SqlStatement.Raw("select ? + ?", 1, 2.5);
        Assert.Equal<object?>([1L, 2.5], raw.Parameters);

        var error = Assert.Throws<ArgumentException>(() => SqlStatement.Raw("select ?, ?", 1, new Uri("http://x")));
        Assert.Contains("parameter 1", error.Message);
        Assert.Contains("System.Uri", error.Message);
        Assert.Throws<ArgumentException>(() => SqlStatement.Raw("select ?", ulong.MaxValue));
    }

    [Fact]
    public async Task Values_round_trip_through_the_embedded_database_with_their_types()
    {
        await using var backend = new EmbeddedSqlBackend("Data Source=:memory:", fileBacked: false, delete: null);
        var db = new ActorDatabase(backend);
        await db.ExecuteAsync("create table v(i integer, r real, t text, b blob, g text, d text, m numeric, n integer)");
        var guid = Guid.NewGuid();
        var when = new DateTimeOffset(2026, 12, 7, 4, 30, 0, TimeSpan.FromHours(2));
        var insert = await db.ExecuteAsync($"insert into v values ({long.MinValue}, {0.1}, {"héllo"}, {new byte[] { 0, 255 }}, {guid}, {when}, {123.456m}, {(int?)null})");
        Assert.Equal(1, insert.Changes);
        Assert.Equal(1, insert.LastInsertRowId);

        var row = (await db.ExecuteAsync("select * from v")).Rows[0];
        Assert.Equal(long.MinValue, row.Get<long>("i"));
        Assert.Equal(0.1, row.Get<double>("r"));
        Assert.Equal("héllo", row.Get<string>("t"));
        Assert.Equal(new byte[] { 0, 255 }, row.Get<byte[]>("b"));
        Assert.Equal(guid, row.Get<Guid>("g"));
        Assert.Equal(when, row.Get<DateTimeOffset>("d"));
        Assert.Null(row.Get<int?>("n"));
        Assert.True(row.IsNull("n"));
        var nullInto = Assert.Throws<InvalidCastException>(() => row.Get<int>("n"));
        Assert.Contains("'n'", nullInto.Message);
        var unknown = Assert.Throws<ArgumentException>(() => row.Get<int>("nope"));
        Assert.Contains("nope", unknown.Message);
    }

    [Fact]
    public async Task A_cancelled_or_failing_transaction_is_rolled_back_and_the_database_stays_usable()
    {
        await using var backend = new EmbeddedSqlBackend("Data Source=:memory:", fileBacked: false, delete: null);
        var db = new ActorDatabase(backend);
        await db.ExecuteAsync("create table t(x integer primary key)");
        using var cancel = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => db.TransactionAsync(async ct =>
        {
            await db.ExecuteAsync($"insert into t values ({1})", ct);
            await cancel.CancelAsync();
            ct.ThrowIfCancellationRequested();
        }, cancel.Token));
        var duplicate = await Assert.ThrowsAsync<SqlException>(() => db.TransactionAsync(async ct =>
        {
            await db.ExecuteAsync($"insert into t values ({2})", ct);
            await db.ExecuteAsync($"insert into t values ({2})", ct);
        }));
        Assert.Equal("sql.constraint", duplicate.Id);
        Assert.Equal(0, await db.ScalarAsync<long>("select count(*) from t"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => db.TransactionAsync(_ => db.TransactionAsync(_ => Task.CompletedTask)));
        var several = await Assert.ThrowsAsync<SqlException>(() => db.ExecuteAsync("select 1; select 2"));
        Assert.Equal("sql.invalid_statement", several.Id);
        Assert.Equal(3, (await db.ExecuteBatchAsync(["insert into t values (1)", "insert into t values (2)", "insert into t values (3)"])).Count);
        Assert.Equal(3, await db.ScalarAsync<long>("select count(*) from t"));
    }

    [Fact]
    public async Task Migrations_must_be_numbered_from_one_and_a_failing_one_changes_nothing()
    {
        await using var backend = new EmbeddedSqlBackend("Data Source=:memory:", fileBacked: false, delete: null);
        var db = new ActorDatabase(backend);
        var bad = await Assert.ThrowsAsync<ArgumentException>(() => db.MigrateAsync([new SqlMigration(2, "create table a(x)")]));
        Assert.Contains("version 2", bad.Message);

        var failing = await Assert.ThrowsAsync<SqlException>(() => db.MigrateAsync(
            [new SqlMigration(1, "create table a(x)"), new SqlMigration(2, "create table b(x)", "create table a(x)")]));
        Assert.Equal("sql.invalid_statement", failing.Id);
        Assert.Equal(1, await db.ScalarAsync<long>("select max(version) from _rivet_migrations"));
        Assert.Equal(0, await db.ScalarAsync<long>("select count(*) from sqlite_master where name = 'b'"));

        Assert.Equal(1, await db.MigrateAsync([new SqlMigration(1, "create table a(x)"), new SqlMigration(2, "create table b(x)")]));
        Assert.Equal(0, await db.MigrateAsync([new SqlMigration(1, "create table a(x)"), new SqlMigration(2, "create table b(x)")]));
    }
}
