using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Database;

namespace Rivet;

/// <summary>
/// The actor's own SQLite database (<c>Db</c> in an actor, RivetKit's <c>c.db</c>): on the engine hosts the engine
/// runs the statements on a database kept for this actor; embedded, a local SQLite file per actor. Every value in an
/// interpolated statement is a bound parameter:
/// <code>
/// await Db.ExecuteAsync($"insert into msgs(text) values ({text})");
/// var recent = await Db.QueryAsync&lt;Message&gt;($"select id, text from msgs order by id desc limit {count}");
/// </code>
/// Statements are meant to run inside the actor's turn (an action or hook), one at a time, like its state.
/// </summary>
public sealed class ActorDatabase
{
    private readonly ISqlBackend _backend;
    private bool _inTransaction;

    internal ActorDatabase(ISqlBackend backend) => _backend = backend;

    /// <summary>Runs one statement; the result carries its rows, <see cref="SqlResult.Changes"/> and <see cref="SqlResult.LastInsertRowId"/>.</summary>
    /// <exception cref="SqlException">The statement failed (the actor keeps running and nothing was changed), timed out, or its answer was lost.</exception>
    public Task<SqlResult> ExecuteAsync(SqlStatement sql, CancellationToken cancellationToken = default)
    {
        Check(sql);
        return _backend.ExecuteAsync(sql, cancellationToken);
    }

    /// <summary>Runs a query and reads each row with <paramref name="read"/>.</summary>
    /// <exception cref="SqlException">The query failed, timed out, or its answer was lost.</exception>
    public async Task<IReadOnlyList<T>> QueryAsync<T>(SqlStatement sql, Func<SqlRow, T> read, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(read);
        var result = await ExecuteAsync(sql, cancellationToken).ConfigureAwait(false);
        var items = new T[result.Rows.Count];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = read(result.Rows[i]);
        }
        return items;
    }

    /// <summary>Runs a query and reads each row as a <typeparamref name="T"/> (<see cref="ISqlRow{TSelf}.Read"/>; no reflection).</summary>
    /// <exception cref="SqlException">The query failed, timed out, or its answer was lost.</exception>
    public Task<IReadOnlyList<T>> QueryAsync<T>(SqlStatement sql, CancellationToken cancellationToken = default) where T : ISqlRow<T> =>
        QueryAsync(sql, T.Read, cancellationToken);

    /// <summary>The first column of the first row as <typeparamref name="T"/>, or <see langword="default"/> when the query returns no row.</summary>
    /// <exception cref="SqlException">The query failed, timed out, or its answer was lost.</exception>
    public async Task<T?> ScalarAsync<T>(SqlStatement sql, CancellationToken cancellationToken = default)
    {
        var result = await ExecuteAsync(sql, cancellationToken).ConfigureAwait(false);
        return result.Rows.Count == 0 || result.Rows[0].FieldCount == 0 ? default : result.Rows[0].Get<T>(0);
    }

    /// <summary>Runs statements in order, all or nothing: when one fails, none of them is kept.</summary>
    /// <exception cref="SqlException">A statement failed (nothing was changed), timed out, or the answer was lost.</exception>
    public async Task<IReadOnlyList<SqlResult>> ExecuteBatchAsync(IReadOnlyList<SqlStatement> statements, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(statements);
        foreach (var statement in statements)
        {
            Check(statement);
        }
        if (statements.Count == 0)
        {
            return [];
        }
        if (_inTransaction)
        {
            // Inside a transaction already (which one batch request cannot join): one statement at a time.
            var results = new SqlResult[statements.Count];
            for (var i = 0; i < results.Length; i++)
            {
                results[i] = await _backend.ExecuteAsync(statements[i], cancellationToken).ConfigureAwait(false);
            }
            return results;
        }
        return await _backend.ExecuteBatchAsync(statements, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <paramref name="body"/> in a transaction: committed when it completes, rolled back when it throws or is
    /// cancelled, so a failure leaves nothing half-written. Transactions do not nest.
    /// </summary>
    /// <exception cref="InvalidOperationException">A transaction is already open on this database.</exception>
    public async Task TransactionAsync(Func<CancellationToken, Task> body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        await TransactionAsync(async ct => { await body(ct).ConfigureAwait(false); return true; }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="body"/> in a transaction and returns its result (see <see cref="TransactionAsync(Func{CancellationToken, Task}, CancellationToken)"/>).</summary>
    /// <exception cref="InvalidOperationException">A transaction is already open on this database.</exception>
    public async Task<T> TransactionAsync<T>(Func<CancellationToken, Task<T>> body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (_inTransaction)
        {
            throw new InvalidOperationException("A transaction is already open on this actor's database; transactions do not nest.");
        }
        await _backend.ExecuteAsync("BEGIN IMMEDIATE", cancellationToken).ConfigureAwait(false);
        _inTransaction = true;
        try
        {
            var result = await body(cancellationToken).ConfigureAwait(false);
            await _backend.ExecuteAsync("COMMIT", cancellationToken).ConfigureAwait(false);
            return result;
        }
        catch
        {
            await RollbackAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            _inTransaction = false;
        }
    }

    /// <summary>
    /// Brings the schema up to date: applies, in order, each migration whose version is above the database's, each in
    /// its own transaction with its version (kept in table <c>_rivet_migrations</c>), so each runs once per database.
    /// Call it from <see cref="Actor.OnMigrateAsync"/>. Returns how many migrations ran.
    /// </summary>
    /// <exception cref="ArgumentException">Versions that do not strictly increase from 1.</exception>
    /// <exception cref="SqlException">A migration failed: it changed nothing, and the ones after it did not run.</exception>
    public async Task<int> MigrateAsync(IReadOnlyList<SqlMigration> migrations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(migrations);
        for (var i = 0; i < migrations.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(migrations[i], nameof(migrations));
            if (migrations[i].Version != i + 1)
            {
                throw new ArgumentException($"Migration versions must be 1, 2, 3, … in order: position {i} has version {migrations[i].Version}.", nameof(migrations));
            }
        }
        await ExecuteAsync("create table if not exists _rivet_migrations(version integer primary key, applied_at text not null)", cancellationToken).ConfigureAwait(false);
        var current = await ScalarAsync<long?>("select max(version) from _rivet_migrations", cancellationToken).ConfigureAwait(false) ?? 0;
        var applied = 0;
        foreach (var migration in migrations)
        {
            if (migration.Version <= current)
            {
                continue;
            }
            var statements = new List<SqlStatement>(migration.Statements);
            statements.Add($"insert into _rivet_migrations(version, applied_at) values ({migration.Version}, {DateTimeOffset.UtcNow})");
            await ExecuteBatchAsync(statements, cancellationToken).ConfigureAwait(false);
            applied++;
        }
        return applied;
    }

    /// <summary>The actor stopped: releases the connection (the data stays).</summary>
    internal ValueTask CloseAsync() => _backend.DisposeAsync();

    /// <summary>The actor was destroyed: deletes its database.</summary>
    internal ValueTask DeleteAsync(CancellationToken cancellationToken) => _backend.DeleteAsync(cancellationToken);

    private async Task RollbackAsync()
    {
        try
        {
            // Not the caller's token: a cancelled call must still close its transaction (the backend's own bound applies).
            await _backend.ExecuteAsync("ROLLBACK", CancellationToken.None).ConfigureAwait(false);
        }
        catch (SqlException)
        {
            // "no transaction is active": the failing statement ended it already.
        }
    }

    private static void Check(SqlStatement sql)
    {
        if (string.IsNullOrWhiteSpace(sql.Text))
        {
            throw new ArgumentException("The SQL statement is empty.", nameof(sql));
        }
    }
}

/// <summary>One schema version for <see cref="ActorDatabase.MigrateAsync"/>: its statements run in one transaction.</summary>
/// <param name="Version">1 for the first migration, then 2, 3, …; never change a migration once shipped, add the next.</param>
/// <param name="Statements">The statements, one SQL statement each.</param>
public sealed record SqlMigration(int Version, params SqlStatement[] Statements);
