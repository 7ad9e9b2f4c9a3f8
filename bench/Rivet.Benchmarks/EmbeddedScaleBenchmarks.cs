using System;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Rivet.Hosting;
using Rivet.Runtime;
using Rivet.Storage;

namespace Rivet.Benchmarks;

/// <summary>
/// The embedded default with 10,000 actors (<see cref="InMemoryActorStorage"/>, generated typed client): calls
/// round-robin over 10,000 running actors, sequential and from 16 callers, and the cold start of 10,000 new actors
/// (first call of each: start, initial state, first save). Every benchmark makes one call per actor, so Mean is the
/// time of one call (calls/s = 1 s / Mean).
/// </summary>
[Config(typeof(BenchConfig))]
public class EmbeddedScaleBenchmarks
{
    private const int ActorCount = 10_000;
    private const int Callers = 16;

    private RivetHost _host = null!;
    private BenchCounterHandle[] _actors = [];
    private RivetHost? _coldHost;
    private BenchCounterHandle[] _coldActors = [];

    [GlobalSetup(Targets = [nameof(Actors10000_RoundRobin_Sequential), nameof(Actors10000_RoundRobin_16Concurrent)])]
    public async Task Setup()
    {
        _host = await BenchHosts.StartInMemoryAsync();
        _actors = Handles(_host, "warm");
        foreach (var actor in _actors)
        {
            await actor.Increment(0);
        }
    }

    [GlobalCleanup(Targets = [nameof(Actors10000_RoundRobin_Sequential), nameof(Actors10000_RoundRobin_16Concurrent)])]
    public async Task Cleanup() => await _host.DisposeAsync();

    /// <summary>A fresh host (empty storage) before every cold-start iteration, so each one really starts 10,000 actors.</summary>
    [IterationSetup(Target = nameof(Actors10000_ColdStart_Sequential))]
    public void ColdSetup()
    {
        _coldHost = BenchHosts.StartInMemoryAsync().GetAwaiter().GetResult();
        _coldActors = Handles(_coldHost, "cold");
    }

    [IterationCleanup(Target = nameof(Actors10000_ColdStart_Sequential))]
    public void ColdCleanup() => _coldHost?.DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>One caller, 10,000 running actors in turn (one call each).</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = ActorCount)]
    public async Task Actors10000_RoundRobin_Sequential()
    {
        foreach (var actor in _actors)
        {
            await actor.Increment(1);
        }
    }

    /// <summary>16 callers on the thread pool, 10,000 running actors in turn.</summary>
    [Benchmark(OperationsPerInvoke = ActorCount)]
    public Task Actors10000_RoundRobin_16Concurrent()
    {
        var callers = new Task[Callers];
        for (var c = 0; c < Callers; c++)
        {
            var first = c;
            callers[c] = Task.Run(async () =>
            {
                for (var i = first; i < ActorCount; i += Callers)
                {
                    await _actors[i].Increment(1);
                }
            });
        }
        return Task.WhenAll(callers);
    }

    /// <summary>One caller, the first call of each of 10,000 new actors: creation, start and first save included.</summary>
    [Benchmark(OperationsPerInvoke = ActorCount)]
    public async Task Actors10000_ColdStart_Sequential()
    {
        foreach (var actor in _coldActors)
        {
            await actor.Increment(1);
        }
    }

    private static BenchCounterHandle[] Handles(RivetHost host, string prefix)
    {
        var handles = new BenchCounterHandle[ActorCount];
        for (var i = 0; i < ActorCount; i++)
        {
            handles[i] = host.Client.BenchCounter.GetOrCreate(prefix + "-" + i);
        }
        return handles;
    }
}
