using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Rivet.Database;

/// <summary>Where an actor's statements run: the engine (runner, serverless) or a local SQLite file (embedded).</summary>
internal interface ISqlBackend : IAsyncDisposable
{
    /// <summary>Runs one statement.</summary>
    /// <exception cref="SqlException">The statement failed, timed out, or its answer was lost.</exception>
    Task<SqlResult> ExecuteAsync(SqlStatement statement, CancellationToken cancellationToken);

    /// <summary>Runs statements in order in one transaction of their own: all or nothing (the engine does this itself for a batch request).</summary>
    /// <exception cref="SqlException">A statement failed, timed out, or the answer was lost.</exception>
    Task<IReadOnlyList<SqlResult>> ExecuteBatchAsync(IReadOnlyList<SqlStatement> statements, CancellationToken cancellationToken);

    /// <summary>The actor was destroyed: deletes its database, where the host keeps it.</summary>
    ValueTask DeleteAsync(CancellationToken cancellationToken);
}
