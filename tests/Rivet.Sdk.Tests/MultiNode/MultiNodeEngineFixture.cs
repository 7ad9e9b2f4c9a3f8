using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Rivet.Engine;
using Rivet.Sdk.Tests.Engine;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Rivet.Sdk.Tests.MultiNode;

/// <summary>
/// A real multi-node Rivet Engine 2.3.19 on loopback, as docs/deployment.md describes it: a private Postgres cluster
/// (the engine's database) and a private NATS server (its pubsub), both from Debian packages the fixture installs
/// when missing, and two engine nodes of one datacenter over them (node A first: it creates the schema). Every port
/// is a free loopback port; only the processes started here are ever signalled. On disposal the node logs are kept
/// under <see cref="EngineFixture.LogArchiveDirectory"/>.
/// </summary>
public sealed class MultiNodeEngineFixture : IAsyncLifetime
{
    private readonly IMessageSink _sink;
    private PostgresServer? _postgres;
    private NatsServer? _nats;
    private readonly List<RivetEngineProcess> _nodes = new();

    public MultiNodeEngineFixture(IMessageSink sink)
    {
        _sink = sink;
    }

    /// <summary>Node A (started first).</summary>
    public RivetEngineProcess NodeA => _nodes[0];

    /// <summary>Node B.</summary>
    public RivetEngineProcess NodeB => _nodes[1];

    /// <summary>How long the fixture took to start (packages present), for the docs' figures.</summary>
    public TimeSpan StartDuration { get; private set; }

    /// <summary>
    /// The engine config of one node over <paramref name="postgresUrl"/> and <paramref name="natsAddress"/>: the
    /// generated single-node config (guard, api_peer, metrics on loopback, telemetry off, topology of datacenter
    /// <c>default</c> with this node's URLs) with <c>file_system</c> replaced by the top-level <c>postgres.url</c> and
    /// <c>nats.addresses</c>.
    /// </summary>
    public static RivetEngineProcessOptions NodeOptions(string postgresUrl, string natsAddress) => new()
    {
        StartupTimeout = TimeSpan.FromSeconds(120),
        LogLevel = Environment.GetEnvironmentVariable("RIVET_TEST_ENGINE_LOG") ?? "info",
        ConfigureConfig = config =>
        {
            config.Remove("file_system");
            config["postgres"] = new JsonObject { ["url"] = postgresUrl };
            config["nats"] = new JsonObject { ["addresses"] = new JsonArray(natsAddress) };
        },
    };

    public async Task InitializeAsync()
    {
        var started = Stopwatch.StartNew();
        try
        {
            _postgres = await PostgresServer.StartAsync();
            _nats = await NatsServer.StartAsync();
            // One after the other: the first node creates the database schema and the default namespace.
            _nodes.Add(await RivetEngineProcess.StartAsync(NodeOptions(_postgres.Url, _nats.Address)));
            _nodes.Add(await RivetEngineProcess.StartAsync(NodeOptions(_postgres.Url, _nats.Address)));
        }
        catch
        {
            await DisposeAsync(); // what did start must not outlive the failed fixture
            throw;
        }
        StartDuration = started.Elapsed;
        Report($"Multi-node engine up in {StartDuration.TotalSeconds:0.0} s: node A {NodeA.Endpoint}, node B {NodeB.Endpoint}, postgres {_postgres.Url}, nats {_nats.Address}.");
    }

    /// <summary>Kills a node with SIGKILL (no goodbye to the cluster); returns once the process is gone.</summary>
    public static async Task KillAsync(RivetEngineProcess node)
    {
        if (node.ProcessId is { } pid)
        {
            using var process = Process.GetProcessById(pid);
            process.Kill(); // SIGKILL on Unix
            await process.WaitForExitAsync();
        }
        await node.StopAsync(); // reaps the handle; the node's files stay for a restart
    }

    /// <summary>Starts a stopped or killed node again (same ports, same config) unless it is running.</summary>
    public static async Task EnsureRunningAsync(RivetEngineProcess node)
    {
        if (!node.IsRunning)
        {
            await node.RestartAsync();
        }
    }

    /// <summary>
    /// The node holding the database leader lease now (engine 2.3.19's Postgres driver: one node commits for all, the
    /// others send their commits to it over NATS), read from the node logs of their current runs; null while no
    /// running node holds it (after the holder was killed, until its lease expires and another node takes it).
    /// </summary>
    public RivetEngineProcess? LeaseHolder()
    {
        foreach (var node in _nodes)
        {
            if (node.IsRunning && HoldsLease(node))
            {
                return node;
            }
        }
        return null;
    }

    /// <summary>
    /// Makes <paramref name="node"/> the lease holder: while another node holds it, that node is restarted gracefully
    /// (SIGTERM hands the lease over at once). Waits for a holder first when there is none.
    /// </summary>
    public async Task MakeLeaseHolderAsync(RivetEngineProcess node)
    {
        var deadline = Stopwatch.StartNew();
        while (LeaseHolder() != node)
        {
            if (deadline.Elapsed > LeaseWait)
            {
                throw new TimeoutException($"Node {node.Endpoint} did not take the database lease within {LeaseWait.TotalSeconds:0} s (holder: {LeaseHolder()?.Endpoint.ToString() ?? "none"}).");
            }
            if (LeaseHolder() is { } other)
            {
                await other.StopAsync();
                await other.RestartAsync();
            }
            await Task.Delay(100); // a condition poll: the lease shows in the node logs
        }
    }

    private static readonly TimeSpan LeaseWait = TimeSpan.FromSeconds(60);

    private static bool HoldsLease(RivetEngineProcess node)
    {
        string text;
        try
        {
            using var stream = new System.IO.FileStream(node.LogPath, System.IO.FileMode.Open, System.IO.FileAccess.Read, System.IO.FileShare.ReadWrite | System.IO.FileShare.Delete);
            using var reader = new System.IO.StreamReader(stream);
            text = reader.ReadToEnd();
        }
        catch (System.IO.IOException)
        {
            return false;
        }
        var run = text.LastIndexOf("rivet-sdk: starting", StringComparison.Ordinal);
        var current = run < 0 ? text : text[run..];
        var acquired = current.LastIndexOf("acquired udb postgres leader lease", StringComparison.Ordinal);
        return acquired >= 0 && current.LastIndexOf("released udb postgres leader lease", StringComparison.Ordinal) < acquired;
    }

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.StopAsync();
            Report($"engine node log kept at {EngineFixture.ArchiveLog(node.LogPath)}");
            await node.DisposeAsync();
        }
        if (_nats is not null)
        {
            await _nats.DisposeAsync();
        }
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }

    private void Report(string message)
    {
        Console.WriteLine(message);
        _sink.OnMessage(new DiagnosticMessage(message));
    }
}
