using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;

namespace Rivet.Storage;

/// <summary>
/// Actor storage in one local SQLite file: the embedded default. Each actor's keys live in one table, ordered
/// bytewise; every KV call is one transaction. Safe against process crashes (WAL journal) and, with
/// <c>synchronous=FULL</c>, against power loss: a write is on disk (fsync of the WAL) before its call returns, so a
/// caller never gets the result of an action whose state a power cut could still drop.
/// </summary>
/// <remarks>One process at a time should own a database file.</remarks>
public sealed partial class SqliteActorStorage : IActorStorage
{
    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _disposed;

    /// <summary>Opens (creating if needed) the database at <paramref name="path"/>.</summary>
    public SqliteActorStorage(string path)
        : this(path, durableBeforeAck: true)
    {
    }

    /// <summary>
    /// Opens the database; <paramref name="durableBeforeAck"/> <see langword="false"/> runs <c>synchronous=NORMAL</c>
    /// (a power loss may drop the newest commits). Internal: only the benchmark compares the two.
    /// </summary>
    internal SqliteActorStorage(string path, bool durableBeforeAck)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = System.IO.Path.GetFullPath(path);
        var directory = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        try
        {
            _connection.Open();
            Execute("PRAGMA journal_mode=WAL;");
            // FULL syncs the WAL on every commit: durability before the caller's ack (NORMAL syncs only at checkpoints).
            Execute(durableBeforeAck ? "PRAGMA synchronous=FULL;" : "PRAGMA synchronous=NORMAL;");
            Execute("CREATE TABLE IF NOT EXISTS actor_kv (actor_id TEXT NOT NULL, key BLOB NOT NULL, value BLOB NOT NULL, PRIMARY KEY (actor_id, key)) WITHOUT ROWID;");
        }
        catch (SqliteException ex)
        {
            _connection.Dispose();
            throw new IOException($"Could not open the Rivet actor database '{Path}': {ex.Message}", ex);
        }
    }

    /// <summary>The full path of the database file.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public IActorKv ForActor(string actorId)
    {
        ArgumentException.ThrowIfNullOrEmpty(actorId);
        return new ActorKv(this, actorId);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!_disposed)
            {
                _disposed = true;
                await _connection.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private async ValueTask<T> RunAsync<T>(Func<SqliteConnection, T> work, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return work(_connection);
        }
        finally
        {
            _gate.Release();
        }
    }

    private sealed class ActorKv(SqliteActorStorage owner, string actorId) : IActorKv
    {
        public ValueTask<byte[]?[]> GetAsync(IReadOnlyList<byte[]> keys, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(keys);
            return owner.RunAsync(connection =>
            {
                var result = new byte[]?[keys.Count];
                using var command = connection.CreateCommand();
                command.CommandText = "SELECT value FROM actor_kv WHERE actor_id = $actor AND key = $key;";
                command.Parameters.AddWithValue("$actor", actorId);
                var key = command.Parameters.Add("$key", SqliteType.Blob);
                for (var i = 0; i < keys.Count; i++)
                {
                    key.Value = keys[i];
                    result[i] = command.ExecuteScalar() as byte[];
                }
                return result;
            }, cancellationToken);
        }

        public async ValueTask PutAsync(IReadOnlyList<KvEntry> entries, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(entries);
            await owner.RunAsync(connection =>
            {
                using var transaction = connection.BeginTransaction();
                using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "INSERT INTO actor_kv (actor_id, key, value) VALUES ($actor, $key, $value) ON CONFLICT (actor_id, key) DO UPDATE SET value = excluded.value;";
                command.Parameters.AddWithValue("$actor", actorId);
                var key = command.Parameters.Add("$key", SqliteType.Blob);
                var value = command.Parameters.Add("$value", SqliteType.Blob);
                foreach (var entry in entries)
                {
                    key.Value = entry.Key;
                    value.Value = entry.Value;
                    command.ExecuteNonQuery();
                }
                transaction.Commit();
                return true;
            }, cancellationToken).ConfigureAwait(false);
        }

        public async ValueTask DeleteAsync(IReadOnlyList<byte[]> keys, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(keys);
            await owner.RunAsync(connection =>
            {
                using var transaction = connection.BeginTransaction();
                using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "DELETE FROM actor_kv WHERE actor_id = $actor AND key = $key;";
                command.Parameters.AddWithValue("$actor", actorId);
                var key = command.Parameters.Add("$key", SqliteType.Blob);
                foreach (var k in keys)
                {
                    key.Value = k;
                    command.ExecuteNonQuery();
                }
                transaction.Commit();
                return true;
            }, cancellationToken).ConfigureAwait(false);
        }

        public ValueTask<IReadOnlyList<KvEntry>> ListPrefixAsync(byte[] prefix, int? limit = null, bool reverse = false, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(prefix);
            if (limit is < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(limit), limit, "The limit must not be negative.");
            }
            return owner.RunAsync<IReadOnlyList<KvEntry>>(connection =>
            {
                var end = KeyComparer.PrefixEnd(prefix);
                using var command = connection.CreateCommand();
                command.CommandText =
                    "SELECT key, value FROM actor_kv WHERE actor_id = $actor AND key >= $start" +
                    (end is null ? "" : " AND key < $end") +
                    (reverse ? " ORDER BY key DESC" : " ORDER BY key ASC") +
                    (limit is null ? ";" : " LIMIT $limit;");
                command.Parameters.AddWithValue("$actor", actorId);
                command.Parameters.Add("$start", SqliteType.Blob).Value = prefix;
                if (end is not null)
                {
                    command.Parameters.Add("$end", SqliteType.Blob).Value = end;
                }
                if (limit is { } max)
                {
                    command.Parameters.AddWithValue("$limit", max);
                }
                var entries = new List<KvEntry>();
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    entries.Add(new KvEntry((byte[])reader.GetValue(0), (byte[])reader.GetValue(1)));
                }
                return entries;
            }, cancellationToken);
        }

        public async ValueTask DeleteAllAsync(CancellationToken cancellationToken = default)
        {
            await owner.RunAsync(connection =>
            {
                using var command = connection.CreateCommand();
                command.CommandText = "DELETE FROM actor_kv WHERE actor_id = $actor;";
                command.Parameters.AddWithValue("$actor", actorId);
                command.ExecuteNonQuery();
                return true;
            }, cancellationToken).ConfigureAwait(false);
        }
    }
}
