using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Hosting.Runner;
using Rivet.Protocol.Envoy;

namespace Rivet.Database;

/// <summary>
/// Statements run by the engine on the actor's database (envoy v8 remote SQL). Requests carry the actor's generation:
/// the engine refuses a generation that no longer owns the actor, so a stopped or moved actor cannot write.
/// </summary>
internal sealed class EnvoySqlBackend(EnvoyClient envoy, string namespaceId, string actorId, uint generation) : ISqlBackend
{
    public async Task<SqlResult> ExecuteAsync(SqlStatement statement, CancellationToken cancellationToken)
    {
        var request = new SqliteExecuteRequest
        {
            NamespaceId = namespaceId,
            ActorId = actorId,
            Generation = generation,
            Sql = statement.Text,
            Params = ToParams(statement.Parameters),
        };
        var response = await CallAsync(() => envoy.SqlExecuteAsync(request, cancellationToken), cancellationToken).ConfigureAwait(false);
        return response switch
        {
            SqliteExecuteOk ok => ToResult(ok.Result),
            SqliteErrorResponse error => throw ToException(error, statement.Text),
            _ => throw new SqlException(SqlException.ErrorCode, $"The engine answered a SQL request with an unexpected {response.GetType().Name}."),
        };
    }

    public async Task<IReadOnlyList<SqlResult>> ExecuteBatchAsync(IReadOnlyList<SqlStatement> statements, CancellationToken cancellationToken)
    {
        var items = new SqliteBatchStatement[statements.Count];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = new SqliteBatchStatement { Sql = statements[i].Text, Params = ToParams(statements[i].Parameters) };
        }
        var request = new SqliteExecuteBatchRequest { NamespaceId = namespaceId, ActorId = actorId, Generation = generation, Statements = items };
        var response = await CallAsync(() => envoy.SqlExecuteBatchAsync(request, cancellationToken), cancellationToken).ConfigureAwait(false);
        switch (response)
        {
            case SqliteExecuteBatchOk ok:
                var results = new SqlResult[ok.Results.Count];
                for (var i = 0; i < results.Length; i++)
                {
                    results[i] = ToResult(ok.Results[i]);
                }
                return results;
            case SqliteErrorResponse error:
                throw ToException(error, null);
            default:
                throw new SqlException(SqlException.ErrorCode, $"The engine answered a SQL batch with an unexpected {response.GetType().Name}.");
        }
    }

    public ValueTask DisposeAsync() => default; // the database lives in the engine

    // A destroyed actor's id is never used again, so nothing can reach its database; the engine owns its lifetime.
    public ValueTask DeleteAsync(CancellationToken cancellationToken) => default;

    private async Task<T> CallAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            throw new SqlException(SqlException.TimeoutCode, ex.Message, ex);
        }
        catch (System.IO.IOException ex)
        {
            throw new SqlException(SqlException.ConnectionLostCode, ex.Message, ex);
        }
        catch (ObjectDisposedException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SqlException(SqlException.ConnectionLostCode, $"The runner stopped before the engine answered a SQL request for actor {actorId}.", ex);
        }
    }

    private SqlException ToException(SqliteErrorResponse error, string? sql)
    {
        // Engine 2.3.19 answers "actor does not exist" to a generation (or namespace) that does not own the actor.
        var code = error.Message.Contains("actor does not exist", StringComparison.OrdinalIgnoreCase)
            ? SqlException.FencedCode
            : SqlException.CodeFor(error.Message);
        var what = sql is null ? "A SQL batch" : $"SQL statement \"{Shorten(sql)}\"";
        return new SqlException(code, $"{what} failed for actor {actorId}: {error.Message} (engine error {error.Group}.{error.Code}).");
    }

    internal static string Shorten(string sql) => sql.Length <= 200 ? sql : sql[..200] + "…";

    private static IReadOnlyList<ISqliteBindParam>? ToParams(IReadOnlyList<object?> values)
    {
        if (values.Count == 0)
        {
            return null;
        }
        var result = new ISqliteBindParam[values.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = values[i] switch
            {
                null => SqliteValueNull.Instance,
                long l => new SqliteValueInteger { Value = l },
                double d => new SqliteValueFloat { Value = DoubleBytes(d) },
                string s => new SqliteValueText { Value = s },
                byte[] b => new SqliteValueBlob { Value = b },
                var other => throw new ArgumentException($"SQL parameter {i} has unsupported type {other.GetType().Name}."),
            };
        }
        return result;
    }

    private static byte[] DoubleBytes(double value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(bytes, value);
        return bytes;
    }

    private static SqlResult ToResult(SqliteExecuteResult result)
    {
        var columns = new SqlColumns(result.Columns);
        var rows = new SqlRow[result.Rows.Count];
        for (var r = 0; r < rows.Length; r++)
        {
            var source = result.Rows[r];
            var values = new object?[source.Count];
            for (var c = 0; c < values.Length; c++)
            {
                values[c] = source[c] switch
                {
                    SqliteValueInteger v => v.Value,
                    SqliteValueFloat v => BinaryPrimitives.ReadDoubleLittleEndian(v.Value),
                    SqliteValueText v => v.Value,
                    SqliteValueBlob v => v.Value,
                    _ => null,
                };
            }
            rows[r] = new SqlRow(columns, values);
        }
        return new SqlResult(result.Columns, rows, result.Changes, result.LastInsertRowId);
    }
}
