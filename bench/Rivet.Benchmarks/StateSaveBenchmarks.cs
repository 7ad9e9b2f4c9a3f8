using System;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Rivet.Hosting;
using Rivet.Runtime;
using Rivet.Storage;

namespace Rivet.Benchmarks;

/// <summary>
/// One action through <see cref="ActorInstance.InvokeAsync"/> (turn, dispatch, state serialization and compare,
/// save): an action that changes the state, so it is persisted to an <see cref="InMemoryActorStorage"/>, against one
/// that does not (no write).
/// </summary>
[Config(typeof(BenchConfig))]
public class StateSaveBenchmarks
{
    private static readonly byte[] s_one = Encoding.UTF8.GetBytes("[1]");
    private static readonly byte[] s_none = Encoding.UTF8.GetBytes("[]");
    private RivetHost _host = null!;
    private ActorInstance _instance = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        var storage = new InMemoryActorStorage();
        _host = await RivetHost.StartAsync(new RivetHostOptions { Storage = storage, Registry = new ActorRegistry().Add<BenchCounter>(), ReadEnvironment = false });
        _instance = await ActorInstance.StartAsync(BenchDefinitions.Of<BenchCounter>(), "bench-actor", "k", ReadOnlyMemory<byte>.Empty,
            storage.ForActor("bench-actor"), NullLoggerFactory.Instance, _host.Client, Rivet.Runtime.Lifecycle.DetachedHostControl.Instance, CancellationToken.None);
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _instance.DisposeAsync();
        await _host.DisposeAsync();
    }

    [Benchmark(Baseline = true)]
    public Task<byte[]> Unchanged_NoWrite() => _instance.InvokeAsync("getCount", s_none, CancellationToken.None);

    [Benchmark]
    public Task<byte[]> Changed_Persisted() => _instance.InvokeAsync("increment", s_one, CancellationToken.None);
}
