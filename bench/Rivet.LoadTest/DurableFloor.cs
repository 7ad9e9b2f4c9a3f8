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
/// next put, which covers all of them. No turn, no state, no serialization: only the engine's KV round trip.
/// </summary>
internal sealed class DurableFloor
{
    private static readonly byte[] s_key = "floor/state"u8.ToArray();

    private readonly Dictionary<string, Batch> _actors = new();
    private readonly LoadStats _stats;

    public DurableFloor(LoadStats stats, bool acknowledges)
    {
        _stats = stats;
        Acknowledges = acknowledges;
    }

    /// <summary>Whether the floor's sockets are hibernatable and acknowledge each client message after its answer.</summary>
    public bool Acknowledges { get; }

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
            if (batch.Writing)
            {
                return;
            }
            batch.Writing = true;
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
            lock (_actors)
            {
                var batch = _actors[actorId];
                if (batch.Waiting.Count == 0)
                {
                    batch.Writing = false;
                    return;
                }
                covered = batch.Waiting;
                batch.Waiting = new List<Action>();
            }
            BitConverter.TryWriteBytes(value, ++version);
            var started = Stopwatch.GetTimestamp();
            try
            {
                if (await envoy.KvAsync(actorId, new KvPutRequest { Keys = [s_key], Values = [value] }, CancellationToken.None) is KvErrorResponse error)
                {
                    Console.Error.WriteLine($"floor-durable: the engine refused a put for actor {actorId} ({error.Message}); its {covered.Count} answers are dropped");
                    continue;
                }
            }
            catch (Exception e)
            {
                // Any failure (a timeout, the envoy stopping): its answers are dropped (their clients time out and
                // report it), and the loop goes on, so no later answer waits for a put that will never come.
                Console.Error.WriteLine($"floor-durable: a put for actor {actorId} failed ({e.Message}); its {covered.Count} answers are dropped");
                continue;
            }
            _stats.Put(Stopwatch.GetElapsedTime(started), covered.Count);
            foreach (var answer in covered)
            {
                answer();
            }
        }
    }

    private sealed class Batch
    {
        public List<Action> Waiting = new();
        public bool Writing;
    }
}
