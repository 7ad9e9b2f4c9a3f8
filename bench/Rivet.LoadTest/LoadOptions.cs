using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Rivet.LoadTest;

/// <summary>The load tool's command line (see <see cref="Usage"/>).</summary>
internal sealed class LoadOptions
{
    public const string Usage = """
        Rivet.LoadTest: the same workloads against our .NET runner, the RivetKit TypeScript actor and the engine's
        floor (an envoy answering every request with a fixed body), on one local engine (loopback only).

          dotnet run -c Release --project bench/Rivet.LoadTest -- [options]

          --duration <s>       measured seconds per workload and target (default 3)
          --rounds <n>         the targets take turns in n slices of duration/n each (default 2)
          --warmup <s>         warm-up seconds per workload and target (default 0.5)
          --max-calls <n>      cap on calls per workload and target (default 200000)
          --concurrency <n>    callers/connections of the concurrent workloads (default 16)
          --actors <n>         actors of the many-actors workload (default 10; each target creates its own)
          --targets <list>     any of dotnet,dotnet-throttled,ts,floor,floor-durable,floor-durable-ack,floor-durable-sql,
                               floor-durable-2,dotnet-delack,floor-durable-delack (default dotnet,ts,floor;
                               dotnet-throttled is our runner with StateSaveInterval 1 s, RivetKit's default, instead of
                               a save per reply; floor-durable is the floor with one KV put before every answer, group
                               commit per actor: the bound of any actor that saves before it replies; floor-durable-ack
                               also acknowledges every client message on hibernatable sockets, as our runner must;
                               floor-durable-sql writes the same bytes with one remote SQL upsert instead of the KV put;
                               floor-durable-2 keeps two puts in flight per actor instead of one; dotnet-delack and
                               floor-durable-delack: dotnet and floor-durable with the kernel's delayed ACKs on the envoy
                               socket, i.e. without the SDK's TCP_QUICKACK)
          --workloads <list>   any of http-hot-1,http-hot-1-get,http-hot-n,http-many-n,ws-hot-1,ws-hot-n,ws-hot-64,ws-hot-256,wake
                               (default all but ws-hot-64 and ws-hot-256: 64 and 256 connections on one actor)
          --baseline <dll>     also run target dotnet-before: the runner of another build of this tool (e.g. main's
                               bench/Rivet.LoadTest/bin/Release/net10.0/Rivet.LoadTest.dll), side by side with ours
          --wake-samples <n>   samples of the wake-latency measurement per target (default 6)
          --engine-log <lvl>   the engine's RUST_LOG (default warn)
          --engine-config <json>  extra engine config merged over the generated one, e.g. '{"guard":{"tcp_nodelay":true}}'
          --no-before          skip dotnet-query in http-hot-1 (our runner through a client without the id cache: the before of that fix)
          --keep               keep the engine's data directory (config and log) after the run
        """;

    public static readonly string[] AllTargets = ["dotnet", "dotnet-throttled", "ts", "floor", "floor-durable", "floor-durable-ack", "floor-durable-sql", "floor-durable-2", "dotnet-delack", "floor-durable-delack"];

    private static readonly string[] s_defaultTargets = ["dotnet", "ts", "floor"];
    public static readonly string[] AllWorkloads = ["http-hot-1", "http-hot-1-get", "http-hot-n", "http-many-n", "ws-hot-1", "ws-hot-n", "ws-hot-64", "ws-hot-256", "wake"];

    private static readonly string[] s_defaultWorkloads = ["http-hot-1", "http-hot-1-get", "http-hot-n", "http-many-n", "ws-hot-1", "ws-hot-n", "wake"];

    public TimeSpan Duration { get; private set; } = TimeSpan.FromSeconds(3);
    public int Rounds { get; private set; } = 2;
    public TimeSpan Warmup { get; private set; } = TimeSpan.FromSeconds(0.5);
    public int MaxCalls { get; private set; } = 200_000;
    public int Concurrency { get; private set; } = 16;
    public int Actors { get; private set; } = 10;
    public IReadOnlyList<string> Targets { get; private set; } = s_defaultTargets;
    public IReadOnlyList<string> Workloads { get; private set; } = s_defaultWorkloads;
    public int WakeSamples { get; private set; } = 6;
    public string EngineLog { get; private set; } = "warn";
    public bool Keep { get; private set; }

    /// <summary>Another build of this tool whose runner runs as target <c>dotnet-before</c>.</summary>
    public string? Baseline { get; private set; }
    public bool Before { get; private set; } = true;
    public System.Text.Json.Nodes.JsonObject? EngineConfig { get; private set; }

    public static LoadOptions Parse(IReadOnlyList<string> args)
    {
        var o = new LoadOptions();
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--duration": o.Duration = TimeSpan.FromSeconds(Positive(Value(), "--duration")); break;
                case "--rounds": o.Rounds = (int)Positive(Value(), "--rounds"); break;
                case "--warmup": o.Warmup = TimeSpan.FromSeconds(double.Parse(Value(), CultureInfo.InvariantCulture)); break;
                case "--max-calls": o.MaxCalls = (int)Positive(Value(), "--max-calls"); break;
                case "--concurrency": o.Concurrency = (int)Positive(Value(), "--concurrency"); break;
                case "--actors": o.Actors = (int)Positive(Value(), "--actors"); break;
                case "--targets": o.Targets = List(Value(), AllTargets, "--targets"); break;
                case "--workloads": o.Workloads = List(Value(), AllWorkloads, "--workloads"); break;
                case "--wake-samples": o.WakeSamples = (int)Positive(Value(), "--wake-samples"); break;
                case "--engine-log": o.EngineLog = Value(); break;
                case "--keep": o.Keep = true; break;
                case "--baseline":
                    o.Baseline = System.IO.Path.GetFullPath(Value());
                    if (!System.IO.File.Exists(o.Baseline))
                    {
                        throw new ArgumentException($"--baseline: no file at '{o.Baseline}'.");
                    }
                    break;
                case "--no-before": o.Before = false; break;
                case "--engine-config": o.EngineConfig = System.Text.Json.Nodes.JsonNode.Parse(Value()) as System.Text.Json.Nodes.JsonObject ?? throw new ArgumentException("--engine-config must be a JSON object."); break;
                default: throw new ArgumentException($"Unknown option '{args[i]}'.");
            }
        }
        return o;
    }

    private static double Positive(string text, string name) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : throw new ArgumentException($"{name} must be a positive number, not '{text}'.");

    private static string[] List(string text, string[] allowed, string name)
    {
        var items = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = items.Except(allowed).ToArray();
        return unknown.Length == 0 && items.Length > 0 ? items
            : throw new ArgumentException($"{name}: unknown '{string.Join(",", unknown)}' (allowed: {string.Join(",", allowed)}).");
    }
}
