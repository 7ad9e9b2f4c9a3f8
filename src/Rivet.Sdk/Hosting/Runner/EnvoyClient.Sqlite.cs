using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Rivet.Protocol.Envoy;

namespace Rivet.Hosting.Runner;

/// <summary>
/// Remote SQL (envoy v8 <c>SqliteExecuteRequest</c> / <c>SqliteExecuteBatchRequest</c>): the engine runs the statements
/// on the actor's database. Unlike KV requests these are never resent after a reconnect: a statement the engine may
/// already have run must not run twice, so a pending request fails when the socket drops and the caller decides.
/// </summary>
internal sealed partial class EnvoyClient
{
    private readonly ConcurrentDictionary<uint, TaskCompletionSource<IToEnvoy>> _pendingSql = new();
    private uint _nextSqlRequestId;

    /// <summary>The namespace the client joined, as remote SQL requests name it.</summary>
    public string Namespace => _options.Namespace;

    /// <summary>Runs one statement with its bound parameters; answers the engine's result or error response.</summary>
    /// <exception cref="TimeoutException">No answer within <see cref="RunnerOptions.KvTimeout"/>.</exception>
    /// <exception cref="System.IO.IOException">The connection to the engine dropped (or was down) before the answer came.</exception>
    public async Task<ISqliteExecuteResponse> SqlExecuteAsync(SqliteExecuteRequest request, CancellationToken cancellationToken)
    {
        var response = await SqlRequestAsync(id => new ToRivetSqliteExecuteRequest { RequestId = id, Data = request }, request.ActorId, cancellationToken).ConfigureAwait(false);
        return ((ToEnvoySqliteExecuteResponse)response).Data;
    }

    /// <summary>Runs statements as one batch; answers the engine's results or its error response.</summary>
    /// <exception cref="TimeoutException">No answer within <see cref="RunnerOptions.KvTimeout"/>.</exception>
    /// <exception cref="System.IO.IOException">The connection to the engine dropped (or was down) before the answer came.</exception>
    public async Task<ISqliteExecuteBatchResponse> SqlExecuteBatchAsync(SqliteExecuteBatchRequest request, CancellationToken cancellationToken)
    {
        var response = await SqlRequestAsync(id => new ToRivetSqliteExecuteBatchRequest { RequestId = id, Data = request }, request.ActorId, cancellationToken).ConfigureAwait(false);
        return ((ToEnvoySqliteExecuteBatchResponse)response).Data;
    }

    private async Task<IToEnvoy> SqlRequestAsync(Func<uint, IToRivet> build, string actorId, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextSqlRequestId);
        var completion = new TaskCompletionSource<IToEnvoy>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pendingSql[id] = completion;
        try
        {
            if (!IsConnected)
            {
                throw new System.IO.IOException($"No connection to the engine: the SQL request for actor {actorId} was not sent.");
            }
            await SendAsync(build(id)).ConfigureAwait(false);
            return await completion.Task.WaitAsync(_options.KvTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The engine did not answer a SQL request for actor {actorId} within {_options.KvTimeout.TotalSeconds:0.#} s (RunnerOptions.KvTimeout); the statement may or may not have run.");
        }
        finally
        {
            _pendingSql.TryRemove(id, out _);
        }
    }

    /// <summary>Hands a SQL response to its waiting request; false when the message is not a SQL response.</summary>
    private bool TryCompleteSql(IToEnvoy message)
    {
        uint? id = message switch
        {
            ToEnvoySqliteExecuteResponse r => r.RequestId,
            ToEnvoySqliteExecuteBatchResponse r => r.RequestId,
            ToEnvoySqliteExecResponse r => r.RequestId,
            _ => null,
        };
        if (id is not { } requestId)
        {
            return false;
        }
        if (_pendingSql.TryRemove(requestId, out var pending))
        {
            pending.TrySetResult(message);
        }
        else
        {
            LogLateSqlResponse(_logger, requestId);
        }
        return true;
    }

    /// <summary>The socket dropped: the pending statements' answers are lost with it (the engine may have run them).</summary>
    private void FailPendingSql(string reason)
    {
        foreach (var pair in _pendingSql)
        {
            if (_pendingSql.TryRemove(pair.Key, out var pending))
            {
                pending.TrySetException(new System.IO.IOException($"The connection to the engine dropped ({reason}) before it answered a SQL request; the statement may or may not have run."));
            }
        }
    }

    [LoggerMessage(EventId = 1300, Level = LogLevel.Debug, Message = "A SQL response for request {RequestId} came after its caller stopped waiting")]
    private static partial void LogLateSqlResponse(ILogger logger, uint requestId);
}
