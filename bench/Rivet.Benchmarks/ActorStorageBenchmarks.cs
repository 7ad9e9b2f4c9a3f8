using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;
using Microsoft.Extensions.Logging.Abstractions;
using Rivet.Engine;
using Rivet.Hosting;
using Rivet.Hosting.Runner;
using Rivet.Runtime;
using Rivet.Storage;

namespace Rivet.Benchmarks;

/// <summary>
/// Where should actor state live? One actor runs <see cref="Ops"/> storage operations per call, inside its turn, on
/// the embedded host (SQLite file, <c>synchronous=FULL</c>) and on a runner of a real engine (one engine, side by
/// side): a 1 KiB state record written as the runtime writes state today (one KV put), the same record written as a
/// row through the actor's database (remote SQL on the engine), and a one-row insert. <c>CallOnly</c> is the call
/// without storage; the per-operation figures are the call's time divided by <see cref="Ops"/>.
/// </summary>
/// <remarks>
/// In process (ShortRun, in-process toolchain): building a separate benchmark executable takes longer than
/// BenchmarkDotNet's build timeout on a loaded machine, and the engine runs in its own process anyway.
/// </remarks>
[Config(typeof(InProcessConfig))]
public class ActorStorageBenchmarks
{
    private const int Ops = 50;
    private RivetEngineProcess? _engine;
    private RivetRunner? _runner;
    private RivetHost? _host;
    private string? _directory;
    private RivetClient _client = null!;

    [Params("embedded", "engine")]
    public string Host { get; set; } = "embedded";

    [GlobalSetup]
    public async Task Setup()
    {
        var registry = new ActorRegistry().Add<StorageBench>();
        if (Host == "engine")
        {
            _engine = await RivetEngineProcess.StartAsync();
            var pool = "bench-storage";
            _runner = await RivetRunner.StartAsync(new RunnerOptions { Endpoint = _engine.Endpoint, PoolName = pool }, registry, NullLoggerFactory.Instance, client: null, default);
            _client = RivetClient.Create(new RivetClientOptions { Endpoint = _engine.Endpoint, PoolName = pool });
        }
        else
        {
            _directory = Path.Combine(Path.GetTempPath(), "rivet-bench-" + Guid.NewGuid().ToString("N")[..8]);
            _host = await RivetHost.StartAsync(new RivetHostOptions { Storage = new SqliteActorStorage(Path.Combine(_directory, "actors.db")), Registry = registry, ReadEnvironment = false });
            _client = _host.Client;
        }
        await _client.StorageBench.GetOrCreate("bench").Run("none", 1); // placed, migrated and warm
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _client.DisposeAsync();
        if (_runner is not null)
        {
            await _runner.DisposeAsync();
        }
        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }
        if (_host is not null)
        {
            await _host.DisposeAsync();
            Directory.Delete(_directory!, recursive: true);
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Ops)]
    public Task<double> CallOnly() => _client.StorageBench.Get("bench").Run("none", Ops);

    [Benchmark(OperationsPerInvoke = Ops)]
    public Task<double> StateSave_KvPut() => _client.StorageBench.Get("bench").Run("kv", Ops);

    [Benchmark(OperationsPerInvoke = Ops)]
    public Task<double> StateSave_Sql() => _client.StorageBench.Get("bench").Run("sql-state", Ops);

    [Benchmark(OperationsPerInvoke = Ops)]
    public Task<double> InsertRow_Sql() => _client.StorageBench.Get("bench").Run("sql-insert", Ops);
}

/// <summary><see cref="BenchConfig"/> run in the benchmark's own process.</summary>
public sealed class InProcessConfig : BenchmarkDotNet.Configs.ManualConfig
{
    public InProcessConfig()
    {
        AddJob(Job.ShortRun.WithToolchain(BenchmarkDotNet.Toolchains.InProcess.Emit.InProcessEmitToolchain.Instance));
        AddDiagnoser(BenchmarkDotNet.Diagnosers.MemoryDiagnoser.Default);
    }
}

/// <summary>The actor of <see cref="ActorStorageBenchmarks"/>.</summary>
[Actor]
public partial class StorageBench : Actor
{
    private static readonly byte[] s_state = new byte[1024];
    private static readonly byte[] s_key = [9, 9];
    private static long s_version;

    protected override async ValueTask OnMigrateAsync(CancellationToken cancellationToken) => await Db.MigrateAsync(
    [
        new SqlMigration(1, "create table bench_state(id integer primary key, value blob not null)", "create table bench_rows(id integer primary key, text text not null)"),
    ], cancellationToken);

    /// <summary>Runs <paramref name="count"/> operations of one kind; returns their mean time in microseconds (for a sanity check of the benchmark).</summary>
    [Action]
    public async Task<double> Run(string kind, int count)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            // A new value every time, as a state save writes: SQLite skips the write (and its fsync) of an unchanged row.
            BitConverter.TryWriteBytes(s_state, ++s_version);
            switch (kind)
            {
                case "kv":
                    await Instance!.Kv.PutAsync([new KvEntry(s_key, s_state)]);
                    break;
                case "sql-state":
                    await Db.ExecuteAsync($"insert or replace into bench_state(id, value) values (1, {s_state})");
                    break;
                case "sql-insert":
                    await Db.ExecuteAsync($"insert into bench_rows(text) values ({"row " + i})");
                    break;
            }
        }
        return clock.Elapsed.TotalMicroseconds / count;
    }
}
