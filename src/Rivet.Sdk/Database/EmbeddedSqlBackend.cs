using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Rivet.Database;

/// <summary>Where an embedded host keeps each actor's database (a storage that has databases implements it).</summary>
internal interface IActorDatabaseStorage
{
    /// <summary>Opens the database of <paramref name="actorId"/>, creating it if needed.</summary>
    ISqlBackend OpenDatabase(string actorId);
}

/// <summary>
/// An actor's database in a local SQLite connection (the embedded host). Statements go through SQLite's own API, so
/// parameters bind by position exactly as on the engine, and results carry the same columns, changes and rowid.
/// </summary>
internal sealed class EmbeddedSqlBackend : ISqlBackend
{
    private readonly SqliteConnection _connection;
    private readonly Func<ValueTask>? _delete;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _closed;

    /// <param name="connectionString">The actor's database.</param>
    /// <param name="fileBacked">Whether it is a file: then WAL and <c>synchronous=FULL</c> (on disk before a call returns).</param>
    /// <param name="delete">Deletes the database once the connection is closed (the actor was destroyed).</param>
    public EmbeddedSqlBackend(string connectionString, bool fileBacked, Func<ValueTask>? delete)
    {
        _connection = new SqliteConnection(connectionString);
        _delete = delete;
        _connection.Open();
        if (fileBacked)
        {
            Run("PRAGMA journal_mode=WAL", []);
            Run("PRAGMA synchronous=FULL", []);
        }
        Run("PRAGMA foreign_keys=ON", []);
    }

    public async Task<SqlResult> ExecuteAsync(SqlStatement statement, CancellationToken cancellationToken)
    {
        await EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return Run(statement.Text, statement.Parameters);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<IReadOnlyList<SqlResult>> ExecuteBatchAsync(IReadOnlyList<SqlStatement> statements, CancellationToken cancellationToken)
    {
        await EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Run("BEGIN IMMEDIATE", []);
            try
            {
                var results = new SqlResult[statements.Count];
                for (var i = 0; i < results.Length; i++)
                {
                    results[i] = Run(statements[i].Text, statements[i].Parameters);
                }
                Run("COMMIT", []);
                return results;
            }
            catch
            {
                Run("ROLLBACK", []);
                throw;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DeleteAsync(CancellationToken cancellationToken)
    {
        await DisposeAsync().ConfigureAwait(false);
        if (_delete is not null)
        {
            await _delete().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!_closed)
            {
                _closed = true;
                await _connection.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task EnterAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (_closed)
        {
            _gate.Release();
            throw new SqlException(SqlException.ErrorCode, "The actor's database is closed: the actor stopped.");
        }
    }

    private SqlResult Run(string sql, IReadOnlyList<object?> parameters)
    {
        var db = _connection.Handle!;
        var rc = raw.sqlite3_prepare_v2(db, sql, out var stmt, out var tail);
        try
        {
            if (rc != raw.SQLITE_OK)
            {
                throw Error(db, sql);
            }
            if (!string.IsNullOrWhiteSpace(tail) && !tail.TrimStart().StartsWith("--", StringComparison.Ordinal))
            {
                throw new SqlException(SqlException.InvalidStatementCode, $"SQL statement \"{EnvoySqlBackend.Shorten(sql)}\" holds more than one statement: pass one statement per call (a batch or a migration takes several).");
            }
            if (stmt.IsInvalid)
            {
                return new SqlResult([], [], 0, raw.sqlite3_last_insert_rowid(db)); // only whitespace or a comment
            }
            var expected = raw.sqlite3_bind_parameter_count(stmt);
            if (expected != parameters.Count)
            {
                throw new SqlException(SqlException.InvalidStatementCode, $"SQL statement \"{EnvoySqlBackend.Shorten(sql)}\" has {expected} parameters but {parameters.Count} values were given.");
            }
            for (var i = 0; i < parameters.Count; i++)
            {
                var index = i + 1;
                _ = parameters[i] switch
                {
                    null => raw.sqlite3_bind_null(stmt, index),
                    long l => raw.sqlite3_bind_int64(stmt, index, l),
                    double d => raw.sqlite3_bind_double(stmt, index, d),
                    string s => raw.sqlite3_bind_text(stmt, index, s),
                    byte[] b => raw.sqlite3_bind_blob(stmt, index, b),
                    var other => throw new ArgumentException($"SQL parameter {i} has unsupported type {other.GetType().Name}."),
                };
            }
            var columnCount = raw.sqlite3_column_count(stmt);
            var names = new string[columnCount];
            for (var c = 0; c < columnCount; c++)
            {
                names[c] = raw.sqlite3_column_name(stmt, c).utf8_to_string();
            }
            var columns = new SqlColumns(names);
            var rows = new List<SqlRow>();
            while (true)
            {
                rc = raw.sqlite3_step(stmt);
                if (rc == raw.SQLITE_DONE)
                {
                    break;
                }
                if (rc != raw.SQLITE_ROW)
                {
                    throw Error(db, sql);
                }
                var values = new object?[columnCount];
                for (var c = 0; c < columnCount; c++)
                {
                    values[c] = raw.sqlite3_column_type(stmt, c) switch
                    {
                        raw.SQLITE_INTEGER => raw.sqlite3_column_int64(stmt, c),
                        raw.SQLITE_FLOAT => raw.sqlite3_column_double(stmt, c),
                        raw.SQLITE_TEXT => raw.sqlite3_column_text(stmt, c).utf8_to_string(),
                        raw.SQLITE_BLOB => raw.sqlite3_column_blob(stmt, c).ToArray(),
                        _ => null,
                    };
                }
                rows.Add(new SqlRow(columns, values));
            }
            return new SqlResult(names, rows, raw.sqlite3_changes(db), raw.sqlite3_last_insert_rowid(db));
        }
        finally
        {
            stmt?.Dispose();
        }
    }

    private static SqlException Error(sqlite3 db, string sql)
    {
        var message = raw.sqlite3_errmsg(db).utf8_to_string();
        return new SqlException(SqlException.CodeFor(message), $"SQL statement \"{EnvoySqlBackend.Shorten(sql)}\" failed: {message}.");
    }
}
