using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Hosting.Runner;
using Rivet.Protocol.Envoy;

namespace Rivet.LoadTest;

/// <summary>
/// The durable part of target <c>floor-durable</c>: before an answer leaves, one KV put of the actor's "state" (a
/// 32-byte value, about our counter's record) must have been acknowledged by the engine. Group commit, the best any
/// durable-before-reply actor can do: at most one put in flight per actor; answers that arrive meanwhile wait for the
/// next put, which covers all of them. No turn, no state, no serialization: only the engine's KV round trip. With
/// <see cref="DurableWrite.SqlUpsert"/> (target <c>floor-durable-sql</c>) the same 32 bytes go through one remote SQL
/// statement instead (an upsert into a one-row table the actor creates when it starts): the engine answers it after
/// the statement's commit reached its storage, as it answers a put after the put's transaction.
/// </summary>
internal sealed class DurableFloor
{
    private static readonly byte[] s_key = "floor/state"u8.ToArray();
    private const string CreateTable = "CREATE TABLE IF NOT EXISTS floor_state (id INTEGER PRIMARY KEY, value BLOB NOT NULL)";
    private const string Upsert = "INSERT INTO floor_state (id, value) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET value = excluded.value";

    private readonly Dictionary<string, Batch> _actors = new();
    private readonly LoadStats _stats;

    private readonly DurableWrite _write;
    private readonly int _depth;

    /// <param name="depth">Writes in flight per actor: 1 is group commit as above; 2 (target <c>floor-durable-2</c>)
    /// starts the next write while one is still out, so the engine never waits for the runner between two writes.
    /// The engine runs one actor's KV requests one after the other, in the order they arrive (a per-actor task).</param>
    public DurableFloor(LoadStats stats, bool acknowledges, DurableWrite write = DurableWrite.KvPut, int depth = 1)
    {
        _stats = stats;
        Acknowledges = acknowledges;
        _write = write;
        _depth = depth;
    }

    /// <summary>Whether the floor's sockets are hibernatable and acknowledge each client message after its answer.</summary>
    public bool Acknowledges { get; }

    /// <summary>
    /// An actor (generation <paramref name="generation"/>) starts: remote SQL names the generation, and the SQL floor
    /// creates its table now, before the actor reports running, as an actor's migrations would.
    /// </summary>
    public async Task StartActorAsync(EnvoyClient envoy, string actorId, uint generation)
    {
        lock (_actors)
        {
            if (!_actors.TryGetValue(actorId, out var batch))
            {
                _actors[actorId] = batch = new Batch();
            }
            batch.Generation = generation;
        }
        if (_write == DurableWrite.SqlUpsert
            && await envoy.SqlExecuteAsync(Statement(envoy, actorId, generation, CreateTable, null), CancellationToken.None) is SqliteErrorResponse error)
        {
            Console.Error.WriteLine($"floor-durable-sql: the engine refused the table of actor {actorId} ({error.Group}.{error.Code}: {error.Message})");
        }
    }

    /// <summary>Runs <paramref name="answer"/> once a put that started after this call was acknowledged.</summary>
    public void Enqueue(EnvoyClient envoy, string actorId, Action answer)
    {
        lock (_actors)
        {
            if (!_actors.TryGetValue(actorId, out var batch))
            {
                _actors[actorId] = batch = new Batch();
            }
            batch.Waiting.Add(answer);
            if (batch.Writers >= _depth)
            {
                return;
            }
            batch.Writers++;
        }
        _ = Task.Run(() => WriteLoopAsync(envoy, actorId));
    }

    private async Task WriteLoopAsync(EnvoyClient envoy, string actorId)
    {
        var value = new byte[32];
        long version = 0;
        while (true)
        {
            List<Action> covered;
            uint generation;
            lock (_actors)
            {
                var batch = _actors[actorId];
                generation = batch.Generation;
                if (batch.Waiting.Count == 0)
                {
                    batch.Writers--;
                    return;
                }
                covered = batch.Waiting;
                batch.Waiting = new List<Action>();
            }
            BitConverter.TryWriteBytes(value, ++version);
            var started = Stopwatch.GetTimestamp();
            try
            {
                if (await WriteAsync(envoy, actorId, generation, value) is { } refused)
                {
                    Console.Error.WriteLine($"floor-durable: the engine refused a write for actor {actorId} ({refused}); its {covered.Count} answers are dropped");
                    continue;
                }
            }
            catch (Exception e)
            {
                // Any failure (a timeout, the envoy stopping): its answers are dropped (their clients time out and
                // report it), and the loop goes on, so no later answer waits for a write that will never come.
                Console.Error.WriteLine($"floor-durable: a write for actor {actorId} failed ({e.Message}); its {covered.Count} answers are dropped");
                continue;
            }
            _stats.Put(Stopwatch.GetElapsedTime(started), covered.Count);
            foreach (var answer in covered)
            {
                answer();
            }
        }
    }

    /// <summary>One durable write of the value; the engine's refusal, or null once it acknowledged the write.</summary>
    private async Task<string?> WriteAsync(EnvoyClient envoy, string actorId, uint generation, byte[] value)
    {
        if (_write == DurableWrite.KvPut)
        {
            return await envoy.KvAsync(actorId, new KvPutRequest { Keys = [s_key], Values = [value] }, CancellationToken.None) is KvErrorResponse kv
                ? kv.Message
                : null;
        }
        var response = await envoy.SqlExecuteAsync(Statement(envoy, actorId, generation, Upsert, [new SqliteValueBlob { Value = value }]), CancellationToken.None);
        return response is SqliteErrorResponse sql ? $"{sql.Group}.{sql.Code}: {sql.Message}" : null;
    }

    private static SqliteExecuteRequest Statement(EnvoyClient envoy, string actorId, uint generation, string sql, IReadOnlyList<ISqliteBindParam>? parameters) => new()
    {
        NamespaceId = envoy.Namespace,
        ActorId = actorId,
        Generation = generation,
        Sql = sql,
        Params = parameters,
    };

    private sealed class Batch
    {
        public List<Action> Waiting = new();
        public int Writers;
        public uint Generation;
    }
}

/// <summary>How the durable floor writes its 32 bytes before it answers.</summary>
internal enum DurableWrite
{
    /// <summary>One KV put (<c>floor-durable</c>, <c>floor-durable-ack</c>).</summary>
    KvPut,

    /// <summary>One remote SQL upsert into a one-row table (<c>floor-durable-sql</c>).</summary>
    SqlUpsert,
}
