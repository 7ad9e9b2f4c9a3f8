using System;
using System.Collections.Concurrent;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using Rivet.Database;

namespace Rivet.Storage;

public sealed partial class InMemoryActorStorage : IActorDatabaseStorage
{
    private readonly string _databasePrefix = "rivet-" + Guid.NewGuid().ToString("N") + "-";

    // An in-memory SQLite database lives while a connection to it is open: one kept per actor, so its data survives
    // the actor's sleep and a restart of a host sharing this storage, like the KV data.
    private readonly ConcurrentDictionary<string, SqliteConnection> _databases = new(StringComparer.Ordinal);

    ISqlBackend IActorDatabaseStorage.OpenDatabase(string actorId)
    {
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = _databasePrefix + actorId,
            Mode = SqliteOpenMode.Memory,
            Cache = SqliteCacheMode.Shared,
        }.ToString();
        _databases.GetOrAdd(actorId, _ =>
        {
            var keeper = new SqliteConnection(connectionString);
            keeper.Open();
            return keeper;
        });
        return new EmbeddedSqlBackend(connectionString, fileBacked: false, delete: async () =>
        {
            if (_databases.TryRemove(actorId, out var keeper))
            {
                await keeper.DisposeAsync().ConfigureAwait(false);
            }
        });
    }
}
