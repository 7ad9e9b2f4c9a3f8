using System;
using System.IO;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Rivet.Hosting;
using Rivet.Runtime;
using Rivet.Storage;

namespace Rivet.Benchmarks;

/// <summary>
/// The embedded host on its default SQLite storage, <c>synchronous=FULL</c> (durable before the caller's ack, the
/// default) side by side with <c>NORMAL</c> (a power loss may drop the newest acknowledged saves): one caller, and 16
/// concurrent callers (whose saves share writes: group commit). Mean is the time of one call.
/// <c>dotnet run -c Release --project bench/Rivet.Benchmarks -- --filter '*SqliteDurability*'</c>
/// </summary>
[Config(typeof(BenchConfig))]
public class SqliteDurabilityBenchmarks
{
    private const int Calls = 256;
    private const int Callers = 16;

    private string _directory = "";
    private RivetHost _host = null!;
    private BenchCounterHandle _hot = null!;
    private BenchCounterHandle[] _many = [];

    /// <summary>Whether each commit is synced to disk before the call returns (<c>synchronous=FULL</c>).</summary>
    [Params(true, false)]
    public bool DurableBeforeAck { get; set; }

    [GlobalSetup]
    public async Task Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "rivet-bench-" + Guid.NewGuid().ToString("N"));
        _host = await RivetHost.StartAsync(new RivetHostOptions
        {
            Storage = new SqliteActorStorage(Path.Combine(_directory, "actors.db"), DurableBeforeAck),
            Registry = new ActorRegistry().Add<BenchCounter>(),
            ReadEnvironment = false,
        });
        _hot = _host.Client.BenchCounter.GetOrCreate("hot");
        await _hot.Increment(0);
        _many = new BenchCounterHandle[Callers];
        for (var i = 0; i < Callers; i++)
        {
            _many[i] = _host.Client.BenchCounter.GetOrCreate("actor-" + i);
            await _many[i].Increment(0);
        }
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _host.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>One caller, one actor, a state-changing action: one synced write per call.</summary>
    [Benchmark(OperationsPerInvoke = Calls)]
    public async Task HotActor_Sequential()
    {
        for (var i = 0; i < Calls; i++)
        {
            await _hot.Increment(1);
        }
    }

    /// <summary>16 callers, each on its own actor, at once.</summary>
    [Benchmark(OperationsPerInvoke = Calls)]
    public async Task SixteenActors_Concurrent()
    {
        var callers = new Task[Callers];
        for (var c = 0; c < Callers; c++)
        {
            var handle = _many[c];
            callers[c] = Task.Run(async () =>
            {
                for (var i = 0; i < Calls / Callers; i++)
                {
                    await handle.Increment(1);
                }
            });
        }
        await Task.WhenAll(callers);
    }
}
