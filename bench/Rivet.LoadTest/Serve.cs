using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging.Abstractions;
using Rivet.Engine;
using Rivet.Hosting;
using Rivet.Hosting.Runner;

namespace Rivet.LoadTest;

/// <summary>
/// The child processes of a run: our runner with <see cref="LoadCounter"/>, or the floor envoy (durable or not). Each prints
/// <c>ready</c> once connected and stops when its standard input closes (the load tool closes it, or exits).
/// </summary>
internal static class Serve
{
    public static async Task<int> RunnerAsync(Uri endpoint, string pool)
    {
        UseDelayedAcksIfAsked();
        if (int.TryParse(Environment.GetEnvironmentVariable("RIVET_LOAD_SAVE_INTERVAL_MS"), out var ms) && ms > 0)
        {
            LoadCounter.SaveInterval = TimeSpan.FromMilliseconds(ms);
        }
        using var stats = LoadStats.ForRunner(pool);
        await using var host = await RivetHost.StartAsync(new RivetHostOptions
        {
            ReadEnvironment = false,
            Runner = new RunnerOptions { Endpoint = endpoint, PoolName = pool },
        });
        Console.WriteLine("ready");
        await WaitForStdinEndAsync();
        return 0;
    }

    /// <param name="durable">Target <c>floor-durable</c>: one KV put (group commit) before every answer.</param>
    /// <param name="acknowledges">Target <c>floor-durable-ack</c>: hibernatable sockets, each client message acknowledged.</param>
    /// <param name="write">How a durable floor writes: a KV put, or one remote SQL statement (target <c>floor-durable-sql</c>).</param>
    /// <param name="depth">Writes in flight per actor (target <c>floor-durable-2</c>: 2).</param>
    public static async Task<int> FloorAsync(Uri endpoint, string pool, bool durable, bool acknowledges = false, DurableWrite write = DurableWrite.KvPut, int depth = 1)
    {
        UseDelayedAcksIfAsked();
        using var stats = LoadStats.ForFloor(pool);
        using (var api = new EngineApiClient(endpoint))
        {
            await api.UpsertRunnerConfigAsync(pool, EngineRunnerConfig.ForEnvoys());
        }
        var floor = new FloorResponder(durable ? new DurableFloor(stats, acknowledges, write, depth) : null);
        var options = new RunnerOptions { Endpoint = endpoint, PoolName = pool };
        await using var envoy = new EnvoyClient(options, ["counter"], floor, NullLogger.Instance);
        floor.Attach(envoy);
        await envoy.StartAsync(CancellationToken.None);
        Console.WriteLine("ready");
        await WaitForStdinEndAsync();
        return 0;
    }

    /// <summary>Targets <c>*-delack</c>: the envoy socket acknowledges with the kernel's delayed ACKs (no TCP_QUICKACK), the before of that change.</summary>
    private static void UseDelayedAcksIfAsked()
    {
        if (Environment.GetEnvironmentVariable("RIVET_LOAD_DELAYED_ACK") == "1")
        {
            EnvoySocketConnection.QuickAck = false;
        }
    }

    private static Task WaitForStdinEndAsync() => Task.Run(() =>
    {
        while (Console.In.ReadLine() is not null)
        {
        }
    });
}
