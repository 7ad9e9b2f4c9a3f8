using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Client;

namespace Rivet.LoadTest;

/// <summary>
/// Actions over HTTP through our .NET client (the same client for every target): <paramref name="callers"/> callers
/// each call <c>increment(1)</c> in a loop, one after another, on the given actors (round-robin), until the time or
/// the call budget runs out.
/// </summary>
internal static class HttpWorkload
{
    private static readonly ReadOnlyMemory<byte> s_args = "[1]"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> s_noArgs = "[]"u8.ToArray();

    /// <param name="actors">The actors to call, round-robin.</param>
    /// <param name="callers">Concurrent callers, each one call at a time.</param>
    /// <param name="warmup">Unmeasured calls first.</param>
    /// <param name="duration">The measured time.</param>
    /// <param name="maxCalls">The measured call budget.</param>
    /// <param name="cpu">Sampled around the measured time (the driver is this process).</param>
    /// <param name="readOnly">Call <c>getCount()</c> (no state change, so no save) instead of <c>increment(1)</c>.</param>
    public static async Task<Latencies> RunAsync(IReadOnlyList<ActorHandle> actors, int callers, TimeSpan warmup, TimeSpan duration, int maxCalls, CpuMeter cpu, bool readOnly = false)
    {
        var action = readOnly ? "getCount" : "increment";
        var args = readOnly ? s_noArgs : s_args;
        // Every actor exists and is awake before anything is measured. A few at a time: a burst of creations on a
        // loaded 2-core machine makes the engine time out resolving routes (pegboard.route_resolve_query_timeout).
        var ready = new List<ActorHandle>(actors.Count);
        var setupErrors = new List<string>();
        await Parallel.ForEachAsync(actors, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (actor, ct) =>
        {
            // An actor the engine does not place within 20 s is left out (the client would otherwise retry
            // pegboard.route_resolve_query_timeout for a minute); the report counts it.
            using var budget = CancellationTokenSource.CreateLinkedTokenSource(ct);
            budget.CancelAfter(TimeSpan.FromSeconds(20));
            try
            {
                await actor.InvokeRawAsync("increment", s_args, budget.Token);
                lock (ready)
                {
                    ready.Add(actor);
                }
            }
            catch (Exception e) when (e is RivetException or TimeoutException or OperationCanceledException)
            {
                lock (ready)
                {
                    setupErrors.Add($"creating {actor}: {e.Message}");
                }
            }
        });
        if (ready.Count == 0)
        {
            var failed = new Latencies();
            failed.AddError(setupErrors[0]);
            return failed;
        }
        actors = ready;
        if (warmup > TimeSpan.Zero)
        {
            await LoopAsync(actors, callers, warmup, int.MaxValue, null, action, args);
        }
        var result = new Latencies { SetupErrors = setupErrors.Count };
        var clock = Stopwatch.StartNew();
        cpu.Start();
        await LoopAsync(actors, callers, duration, maxCalls, result, action, args);
        result.Elapsed = clock.Elapsed;
        result.Cpu.Add(cpu.Stop()); // the driver is this process
        return result;
    }

    private static async Task LoopAsync(IReadOnlyList<ActorHandle> actors, int callers, TimeSpan duration, int maxCalls, Latencies? result, string action, ReadOnlyMemory<byte> args)
    {
        var started = 0;
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, callers).Select(caller => Task.Run(async () =>
        {
            var mine = new List<long>(4096);
            var next = caller;
            while (Stopwatch.GetTimestamp() < deadline && Interlocked.Increment(ref started) <= maxCalls)
            {
                var actor = actors[next++ % actors.Count];
                var t0 = Stopwatch.GetTimestamp();
                try
                {
                    await actor.InvokeRawAsync(action, args);
                    mine.Add(Stopwatch.GetTimestamp() - t0);
                }
                catch (Exception e) when (e is RivetException or TimeoutException)
                {
                    result?.AddError($"{e.GetType().Name}: {e.Message}");
                }
            }
            result?.AddRange(mine);
        }));
        await Task.WhenAll(workers);
    }
}
