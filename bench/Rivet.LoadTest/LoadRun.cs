using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Client;
using Rivet.Client.Engine;
using Rivet.Engine;

namespace Rivet.LoadTest;

/// <summary>
/// One run: a private engine with raised gateway limits, the three targets, every workload against every target
/// (targets interleaved per workload, so they see the same machine state), then the table and the ratios.
/// </summary>
internal static class LoadRun
{
    /// <summary>
    /// The engine's gateway limits per client address (defaults: about 1,200 requests a minute, 32 in flight per
    /// actor) would cap and 429 every workload here; all load comes from 127.0.0.1, so they are raised far out of reach.
    /// </summary>
    public static JsonObject RaisedGatewayLimits() => new()
    {
        ["guard"] = new JsonObject
        {
            ["rate_limit"] = new JsonObject { ["requests"] = 100_000_000, ["period_ms"] = 1_000 },
            ["max_in_flight"] = 1_000_000,
        },
    };

    public static async Task<int> RunAsync(LoadOptions options)
    {
        Interrupt.Install();
        var runId = DateTime.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture);
        Console.WriteLine($"Rivet.LoadTest: {Environment.ProcessorCount} cores, .NET {Environment.Version}, {options.Duration.TotalSeconds:0.#} s per workload and target (warm-up {options.Warmup.TotalSeconds:0.#} s), at most {options.MaxCalls} calls");
        await using var engine = await RivetEngineProcess.StartAsync(new RivetEngineProcessOptions
        {
            LogLevel = options.EngineLog,
            KeepDataDirectory = options.Keep,
            ExtraConfig = RaisedGatewayLimits(),
            ConfigureConfig = config =>
            {
                if (options.EngineConfig is { } extra)
                {
                    Merge(config, extra);
                }
            },
        });
        if (engine.ProcessId is { } enginePid)
        {
            Interrupt.Track(System.Diagnostics.Process.GetProcessById(enginePid));
        }
        if (!options.Keep)
        {
            Interrupt.TrackDirectory(engine.DataDirectory);
        }
        Console.WriteLine($"engine {RivetEngineProcess.PinnedVersion} at {engine.Endpoint} (config {engine.ConfigPath}): guard.rate_limit and guard.max_in_flight raised"
            + (options.EngineConfig is null ? "" : $", plus {options.EngineConfig.ToJsonString()}"));

        var targets = new List<Target>();
        try
        {
            var names = options.Targets.ToList();
            if (options.Baseline is not null)
            {
                names.Insert(names.Contains("dotnet") ? names.IndexOf("dotnet") + 1 : 0, "dotnet-before");
            }
            foreach (var name in names)
            {
                targets.Add(await Target.StartAsync(name, engine.Endpoint, CancellationToken.None, options.Baseline));
                Console.WriteLine($"target {name} ready (pool {targets[^1].Pool}, pid {targets[^1].ProcessId})");
            }
            var clients = targets.ToDictionary(t => t.Name, t => RivetClient.Create(new RivetClientOptions
            {
                Endpoint = engine.Endpoint,
                PoolName = t.Pool,
                Encoding = RivetEncoding.Json,
            }));
            var labels = targets.Select(t => (Label: t.Name, Target: t)).ToList();
            if (clients.ContainsKey("dotnet") && options.Before)
            {
                // Before/after of the client's id cache, side by side: the same runner, called through a client that
                // takes the gateway's query route (name + key, resolved by the engine) on every call.
                var before = RivetClient.Create(new RivetClientOptions { Endpoint = engine.Endpoint, PoolName = "load-dotnet", Encoding = RivetEncoding.Json });
                ((EngineActorTransport)before.Transport).CacheQueryRoutes = false;
                clients["dotnet-query"] = before;
                labels.Insert(1, ("dotnet-query", targets.First(t => t.Name == "dotnet")));
            }
            using var api = new EngineApiClient(engine.Endpoint);
            var results = new List<(string Workload, string Target, Latencies Result)>();
            foreach (var workload in options.Workloads)
            {
                // The targets take turns in short slices, starting with a different one each round, so that drift in
                // the machine's load (it is shared) spreads over all of them instead of favouring one.
                var runs = labels.Where(l => !(workload == "wake" && l.Target.Name.StartsWith("floor", StringComparison.Ordinal)) && !(l.Label == "dotnet-query" && workload != "http-hot-1")).ToList();
                var merged = runs.ToDictionary(l => l.Label, _ => new Latencies());
                var workloadClock = System.Diagnostics.Stopwatch.StartNew();
                for (var round = 0; round < options.Rounds; round++)
                {
                    for (var i = 0; i < runs.Count; i++)
                    {
                        var (label, target) = runs[(i + round) % runs.Count];
                        var slice = await RunOneAsync(workload, target, clients[label], api, engine.Endpoint, options, round,
                            label == "dotnet-query" ? runId + "q" : runId, new CpuProbe(target.ProcessId, engine.ProcessId));
                        merged[label].Merge(slice);
                    }
                }
                if (workload.StartsWith("http-hot", StringComparison.Ordinal))
                {
                    await CheckPlacementAsync(runs, clients, api, runId);
                }
                Console.WriteLine($"{workload}: {workloadClock.Elapsed.TotalSeconds:0} s in all (setup, warm-up and measurement of every target)");
                foreach (var (label, _) in runs)
                {
                    var result = merged[label];
                    results.Add((workload, label, result));
                    Console.WriteLine($"{workload,-14} {label,-13} {result.Count} calls, {result.Throughput:0} /s, p50 {result.PercentileMs(50):0.00} ms, p99 {result.PercentileMs(99):0.00} ms"
                        + (result.Errors > 0 ? $", {result.Errors} errors (first: {result.FirstError})" : "")
                        + (result.SetupErrors > 0 ? $", {result.SetupErrors} actors could not be created" : "")
                        + (result.TargetCpu > TimeSpan.Zero && result.Count > 0 ? $", CPU ms per call: target {result.TargetCpu.TotalMilliseconds / result.Count:0.000}, engine {result.EngineCpu.TotalMilliseconds / result.Count:0.000}" : ""));
                }
            }
            foreach (var client in clients.Values)
            {
                await client.DisposeAsync();
            }
            Report.Print(results, options);
            return 0;
        }
        finally
        {
            foreach (var target in targets)
            {
                await target.DisposeAsync();
            }
        }
    }

    /// <summary>Fails the run if a target's hot actor is not on that target's pool (the comparison would be void).</summary>
    private static async Task CheckPlacementAsync(List<(string Label, Target Target)> runs, Dictionary<string, RivetClient> clients, EngineApiClient api, string runId)
    {
        foreach (var (label, target) in runs)
        {
            var key = $"hot-{(label == "dotnet-query" ? runId + "q" : runId)}-{target.Pool}";
            var id = await clients[label].GetOrCreate("counter", ActorKey.Create([key])).ResolveAsync();
            var actor = await api.GetActorAsync(id);
            if (actor?.RunnerNameSelector != target.Pool)
            {
                throw new InvalidOperationException($"The hot actor of {label} ({id}) runs on pool '{actor?.RunnerNameSelector}', not '{target.Pool}'.");
            }
        }
    }

    private static void Merge(JsonObject target, JsonObject extra)
    {
        foreach (var (key, value) in extra)
        {
            if (value is JsonObject child && target[key] is JsonObject existing)
            {
                Merge(existing, child);
            }
            else
            {
                target[key] = value?.DeepClone();
            }
        }
    }

    private static Task<Latencies> RunOneAsync(string workload, Target target, RivetClient client, EngineApiClient api, Uri endpoint, LoadOptions o, int round, string runId, CpuProbe cpu)
    {
        // Keys are namespace-wide: a key used on one pool would route every target to the actor that pool created
        // first. Each target gets its own keys.
        runId = $"{runId}-{target.Pool}";
        var hotKey = $"hot-{runId}";
        var warmup = round == 0 ? o.Warmup : TimeSpan.Zero;
        var duration = o.Duration / o.Rounds;
        var maxCalls = Math.Max(1, o.MaxCalls / o.Rounds);
        ActorHandle Hot() => client.GetOrCreate("counter", ActorKey.Create([hotKey]));
        return workload switch
        {
            "http-hot-1" => HttpWorkload.RunAsync([Hot()], 1, warmup, duration, maxCalls),
            "http-hot-1-get" => HttpWorkload.RunAsync([Hot()], 1, warmup, duration, maxCalls, readOnly: true),
            "http-hot-n" => HttpWorkload.RunAsync([Hot()], o.Concurrency, warmup, duration, maxCalls),
            "http-many-n" => HttpWorkload.RunAsync(
                Enumerable.Range(0, o.Actors).Select(i => client.GetOrCreate("counter", ActorKey.Create([$"many-{runId}-{i}"]))).ToArray(),
                o.Concurrency, warmup, duration, maxCalls),
            "ws-hot-1" => WsWorkload.RunAsync(endpoint, target.Pool, hotKey, 1, duration, maxCalls, cpu),
            "ws-hot-n" => WsWorkload.RunAsync(endpoint, target.Pool, hotKey, o.Concurrency, duration, maxCalls, cpu),
            "ws-hot-64" => WsWorkload.RunAsync(endpoint, target.Pool, hotKey, 64, duration, maxCalls, cpu),
            "ws-hot-256" => WsWorkload.RunAsync(endpoint, target.Pool, hotKey, 256, duration, maxCalls, cpu),
            "wake" => WakeWorkload.RunAsync(client, api, $"{runId}-{round}", (o.WakeSamples + o.Rounds - 1) / o.Rounds),
            _ => throw new ArgumentOutOfRangeException(nameof(workload), workload, "unknown workload"),
        };
    }
}
