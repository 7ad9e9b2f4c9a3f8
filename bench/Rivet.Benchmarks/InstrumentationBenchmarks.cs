using System;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Rivet.Hosting;
using Rivet.Runtime;
using Rivet.Storage;

namespace Rivet.Benchmarks;

/// <summary>
/// The cost of Rivet's traces and metrics on a hot action (embedded host, one actor, sequential calls): nobody
/// listening, against OpenTelemetry's SDK wired with <c>AddRivetInstrumentation()</c> for traces and metrics (every
/// span sampled and recorded; no exporter, so the exporter's own cost is not counted). Mean is one call.
/// </summary>
[Config(typeof(InProcessConfig))]
public class InstrumentationBenchmarks
{
    /// <summary>
    /// <see cref="BenchConfig"/>'s ShortRun and MemoryDiagnoser, run in this process: both rows of the comparison run
    /// back to back in one process, and no boilerplate project is built (which timed out on the loaded shared machine).
    /// </summary>
    public sealed class InProcessConfig : BenchmarkDotNet.Configs.ManualConfig
    {
        public InProcessConfig()
        {
            AddJob(Job.ShortRun.WithToolchain(BenchmarkDotNet.Toolchains.InProcess.Emit.InProcessEmitToolchain.Instance));
            AddDiagnoser(BenchmarkDotNet.Diagnosers.MemoryDiagnoser.Default);
        }
    }

    private const int Calls = 1024;

    private RivetHost _host = null!;
    private BenchCounterHandle _hot = null!;
    private TracerProvider? _tracing;
    private MeterProvider? _metrics;

    /// <summary>Who listens: nobody, or the OpenTelemetry SDK (traces and metrics).</summary>
    [Params("none", "opentelemetry")]
    public string Listener { get; set; } = "none";

    [GlobalSetup]
    public async Task Setup()
    {
        if (Listener == "opentelemetry")
        {
            _tracing = Sdk.CreateTracerProviderBuilder().AddRivetInstrumentation().SetSampler(new AlwaysOnSampler()).Build();
            _metrics = Sdk.CreateMeterProviderBuilder().AddRivetInstrumentation().Build();
        }
        _host = await BenchHosts.StartInMemoryAsync();
        _hot = _host.Client.BenchCounter.GetOrCreate("hot");
        await _hot.Increment(0);
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _host.DisposeAsync();
        _tracing?.Dispose();
        _metrics?.Dispose();
    }

    /// <summary>An action that changes (and so saves) the state: client span, server span, two durations, one save.</summary>
    [Benchmark(OperationsPerInvoke = Calls)]
    public async Task HotAction()
    {
        for (var i = 0; i < Calls; i++)
        {
            await _hot.Increment(1);
        }
    }

    /// <summary>A read-only action (no save).</summary>
    [Benchmark(OperationsPerInvoke = Calls)]
    public async Task HotAction_ReadOnly()
    {
        for (var i = 0; i < Calls; i++)
        {
            await _hot.GetCount();
        }
    }
}
