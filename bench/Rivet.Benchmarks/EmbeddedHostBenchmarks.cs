using System;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Rivet.Hosting;
using Rivet.Runtime;
using Rivet.Storage;

namespace Rivet.Benchmarks;

/// <summary>
/// Calls through the generated typed client on an embedded <see cref="RivetHost"/> with
/// <see cref="InMemoryActorStorage"/>: one hot actor (sequential, and 16 concurrent callers) and 1,000 actors
/// round-robin. (The running-actor fast path was measured against a frozen copy of the old embedded system; see
/// docs/performance.md.) Every benchmark makes <see cref="Calls"/> calls, so Mean is the time of one call (calls/s = 1 s / Mean).
/// </summary>
[Config(typeof(BenchConfig))]
public class EmbeddedHostBenchmarks
{
    private const int Calls = 1024;
    private const int Callers = 16;
    private const int ActorCount = 1000;

    private RivetHost _host = null!;
    private BenchCounterHandle _hot = null!;
    private BenchCounterHandle _hotById = null!;
    private BenchCounterHandle[] _many = [];

    [GlobalSetup]
    public async Task Setup()
    {
        _host = await BenchHosts.StartInMemoryAsync();
        _hot = _host.Client.BenchCounter.GetOrCreate("hot");
        _hotById = _host.Client.BenchCounter.GetForId(await _hot.ResolveAsync());
        await _hot.Increment(0);
        _many = new BenchCounterHandle[ActorCount];
        for (var i = 0; i < ActorCount; i++)
        {
            _many[i] = _host.Client.BenchCounter.GetOrCreate("actor-" + i);
            await _many[i].Increment(0);
        }
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _host.DisposeAsync();
    }

    /// <summary>One caller, one actor, an action that changes (and so saves) the state. Handle by key.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Calls)]
    public async Task HotActor_Sequential()
    {
        for (var i = 0; i < Calls; i++)
        {
            await _hot.Increment(1);
        }
    }

    /// <summary>As <see cref="HotActor_Sequential"/> with a read-only action: no state write.</summary>
    [Benchmark(OperationsPerInvoke = Calls)]
    public async Task HotActor_Sequential_ReadOnly()
    {
        for (var i = 0; i < Calls; i++)
        {
            await _hot.GetCount();
        }
    }

    /// <summary>As <see cref="HotActor_Sequential"/> through a handle by actor id (the host's by-id fast path).</summary>
    [Benchmark(OperationsPerInvoke = Calls)]
    public async Task HotActor_Sequential_ById()
    {
        for (var i = 0; i < Calls; i++)
        {
            await _hotById.Increment(1);
        }
    }

    /// <summary>16 callers on the thread pool share one actor (its turn serializes them).</summary>
    [Benchmark(OperationsPerInvoke = Calls)]
    public Task HotActor_16Concurrent() => Concurrently(_ => _hot);

    /// <summary>One caller, 1,000 actors in turn.</summary>
    [Benchmark(OperationsPerInvoke = Calls)]
    public async Task Actors1000_RoundRobin_Sequential()
    {
        for (var i = 0; i < Calls; i++)
        {
            await _many[i % ActorCount].Increment(1);
        }
    }

    /// <summary>16 callers on the thread pool, 1,000 actors in turn.</summary>
    [Benchmark(OperationsPerInvoke = Calls)]
    public Task Actors1000_RoundRobin_16Concurrent() => Concurrently(i => _many[i % ActorCount]);

    private static Task Concurrently(Func<int, BenchCounterHandle> target)
    {
        var callers = new Task[Callers];
        for (var c = 0; c < Callers; c++)
        {
            var first = c;
            callers[c] = Task.Run(async () =>
            {
                for (var i = first; i < Calls; i += Callers)
                {
                    await target(i).Increment(1);
                }
            });
        }
        return Task.WhenAll(callers);
    }
}
