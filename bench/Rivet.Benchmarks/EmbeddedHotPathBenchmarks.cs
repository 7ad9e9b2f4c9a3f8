using System;
using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using Rivet.Hosting;
using Rivet.Runtime;
using Rivet.Storage;

namespace Rivet.Benchmarks;

/// <summary>
/// The embedded hot path (issue 17): one hot actor called through the generated typed client on an embedded
/// <see cref="RivetHost"/> with <see cref="InMemoryActorStorage"/>, sequentially, with a state save per call and
/// read-only; and the generated dispatch alone. Every typed-client benchmark makes <see cref="Calls"/> calls, so
/// Mean is one call (calls/s = 1 s / Mean). With <c>RIVET_BASELINE_SRC</c> set to the <c>src</c> folder of another
/// checkout (e.g. main's), the same benchmarks also run against that build as the baseline job, in the same run.
/// </summary>
[Config(typeof(BaselineConfig))]
public class EmbeddedHotPathBenchmarks
{
    /// <summary>The variable naming the baseline's <c>src</c> folder.</summary>
    public const string BaselineVariable = "RIVET_BASELINE_SRC";

    /// <summary>
    /// ShortRun with five measured iterations and MemoryDiagnoser; with <see cref="BaselineVariable"/> set, a second
    /// job ("baseline", the Ratio columns' 1.00) builds this project in its "Baseline" configuration against that
    /// source tree. The builds may take a while on a loaded machine (hence the long build timeout).
    /// </summary>
    public sealed class BaselineConfig : ManualConfig
    {
        public BaselineConfig()
        {
            var current = Job.ShortRun.WithIterationCount(5).WithId("current");
            if (Environment.GetEnvironmentVariable(BaselineVariable) is { Length: > 0 } src)
            {
                AddJob(Job.ShortRun.WithIterationCount(5).WithId("baseline").AsBaseline()
                    .WithCustomBuildConfiguration("Baseline")
                    .WithArguments([new MsBuildArgument("/p:RivetBaselineSrc=" + src), new MsBuildArgument("/p:Optimize=true")]));
            }
            AddJob(current);
            AddDiagnoser(MemoryDiagnoser.Default);
            // Two builds of the boilerplate on the shared machine take longer than BenchmarkDotNet's default 2 minutes.
            WithBuildTimeout(TimeSpan.FromMinutes(20));
        }
    }

    private const int Calls = 1024;
    private static readonly byte[] s_one = Encoding.UTF8.GetBytes("[1]");

    private RivetHost _host = null!;
    private BenchCounterHandle _hot = null!;
    private ActorDefinition _definition = null!;
    private BenchCounter _actor = null!;
    private readonly ArrayBufferWriter<byte> _buffer = new(256);
    private Utf8JsonWriter _writer = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        _host = await BenchHosts.StartInMemoryAsync();
        _hot = _host.Client.BenchCounter.GetOrCreate("hot");
        await _hot.Increment(0);
        _definition = BenchDefinitions.Of<BenchCounter>();
        _actor = (BenchCounter)_definition.CreateInstance();
        _actor.ReadState(_definition, "{\"count\":0}"u8);
        _writer = new Utf8JsonWriter(_buffer);
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _host.DisposeAsync();
    }

    /// <summary>Typed client, one actor, an action that changes the state: a save to storage before each answer.</summary>
    [Benchmark(OperationsPerInvoke = Calls)]
    public async Task TypedClient_Save()
    {
        for (var i = 0; i < Calls; i++)
        {
            await _hot.Increment(1);
        }
    }

    /// <summary>As <see cref="TypedClient_Save"/> with a read-only action: no write.</summary>
    [Benchmark(OperationsPerInvoke = Calls)]
    public async Task TypedClient_ReadOnly()
    {
        for (var i = 0; i < Calls; i++)
        {
            await _hot.GetCount();
        }
    }

    /// <summary>The generated dispatch alone: <c>increment</c>'s argument read, the call, its result written.</summary>
    [Benchmark]
    public int Dispatch_Increment()
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        var pending = _definition.DispatchAsync(_actor, "increment", s_one, _writer, CancellationToken.None);
        if (!pending.IsCompletedSuccessfully)
        {
            pending.AsTask().GetAwaiter().GetResult();
        }
        _writer.Flush();
        return _buffer.WrittenCount;
    }
}
