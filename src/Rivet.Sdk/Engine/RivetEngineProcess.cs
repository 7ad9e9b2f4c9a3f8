using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

namespace Rivet.Engine;

/// <summary>
/// A real Rivet Engine running as a child process on loopback, for development and tests:
/// <code>
/// await using var engine = await RivetEngineProcess.StartAsync(new RivetEngineProcessOptions());
/// // engine.Endpoint is e.g. http://127.0.0.1:41234/
/// </code>
/// It writes a config that binds guard, api-peer and metrics to free 127.0.0.1 ports with telemetry off and the
/// database in a private data directory, starts <c>rivet-engine --config &lt;file&gt; start</c>, and returns once
/// <c>GET /health</c> answers <c>ok</c>. Disposing stops it (SIGTERM, then kill after a grace period) and deletes the
/// temporary data directory.
/// </summary>
public sealed class RivetEngineProcess : IAsyncDisposable
{
    /// <summary>The engine version the SDK is built and tested against.</summary>
    public const string PinnedVersion = "2.3.19";

    /// <summary>The command that installs the pinned engine into <c>tools/engine/node_modules</c>.</summary>
    public const string InstallCommand = "npm ci --ignore-scripts --no-audit --no-fund --prefix tools/engine";

    /// <summary>The environment variable naming the engine binary.</summary>
    public const string BinaryEnvironmentVariable = "RIVET_ENGINE_BINARY";

    private const int LogTailLines = 60;

    private readonly RivetEngineProcessOptions _options;
    private readonly bool _ownsDataDirectory;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly object _logLock = new();
    private StreamWriter? _log;
    private Process? _process;
    private Task _pumps = Task.CompletedTask;
    private EventHandler? _exitHandler;
    private bool _disposed;

    private RivetEngineProcess(RivetEngineProcessOptions options, string binaryPath, string dataDirectory, bool ownsDataDirectory)
    {
        _options = options;
        BinaryPath = binaryPath;
        DataDirectory = dataDirectory;
        _ownsDataDirectory = ownsDataDirectory;
        ConfigPath = Path.Combine(dataDirectory, "config.json");
        LogPath = Path.Combine(dataDirectory, "engine.log");
        Endpoint = new Uri("http://127.0.0.1/");
    }

    /// <summary>The engine's public endpoint (guard): REST API, gateway and envoy WebSocket, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Endpoint { get; private set; }

    /// <summary>The guard port (the port of <see cref="Endpoint"/>).</summary>
    public int GuardPort { get; private set; }

    /// <summary>The internal api-peer port.</summary>
    public int ApiPeerPort { get; private set; }

    /// <summary>The metrics port.</summary>
    public int MetricsPort { get; private set; }

    /// <summary>The admin token the engine requires, or <see langword="null"/> when it accepts any.</summary>
    public string? AdminToken => _options.AdminToken;

    /// <summary>The binary that runs.</summary>
    public string BinaryPath { get; }

    /// <summary>The folder holding <c>config.json</c>, <c>engine.log</c>, <c>home/</c> and the database <c>db/</c>.</summary>
    public string DataDirectory { get; }

    /// <summary>The config file the engine was started with.</summary>
    public string ConfigPath { get; }

    /// <summary>The engine's stdout and stderr (kept across restarts).</summary>
    public string LogPath { get; }

    /// <summary>The process id while the engine runs.</summary>
    public int? ProcessId => _process is { HasExited: false } p ? p.Id : null;

    /// <summary>Whether the engine process is running.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>How long the last start took, from launching the process to a healthy <c>/health</c>.</summary>
    public TimeSpan LastStartDuration { get; private set; }

    /// <summary>
    /// Starts an engine and waits until it is healthy.
    /// </summary>
    /// <exception cref="FileNotFoundException">No engine binary was found; the message lists the paths tried and the install command.</exception>
    /// <exception cref="InvalidOperationException">The engine exited during start-up; the message has the end of its log.</exception>
    /// <exception cref="TimeoutException">The engine did not become healthy within <see cref="RivetEngineProcessOptions.StartupTimeout"/>.</exception>
    public static async Task<RivetEngineProcess> StartAsync(RivetEngineProcessOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new RivetEngineProcessOptions();
        var binary = LocateBinary(options.BinaryPath);
        var ownsData = options.DataDirectory is null;
        var dataDirectory = Path.GetFullPath(options.DataDirectory
            ?? Path.Combine(ThrowawayRoot(), "rivet-engine-" + Guid.NewGuid().ToString("N")[..12]));
        Directory.CreateDirectory(dataDirectory);

        var engine = new RivetEngineProcess(options, binary, dataDirectory, ownsData);
        try
        {
            // Free ports are picked by binding and releasing them; another process can take one in between, so a
            // start that fails on a taken address is retried with new ports (only for ports the caller left at 0).
            for (var attempt = 1; ; attempt++)
            {
                engine.AssignPorts();
                engine.WriteConfig();
                try
                {
                    await engine.StartProcessAsync(cancellationToken).ConfigureAwait(false);
                    return engine;
                }
                catch (InvalidOperationException e) when (attempt < 3 && engine.PortsArePicked && e.Message.Contains("in use", StringComparison.OrdinalIgnoreCase))
                {
                    engine.AppendLog($"rivet-sdk: ports taken, retrying with new ones ({e.Message.Split('\n')[0]})");
                }
            }
        }
        catch
        {
            await engine.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Finds the engine binary: <paramref name="binaryPath"/>, else <c>RIVET_ENGINE_BINARY</c>, else
    /// <c>tools/engine/node_modules/@rivetkit/engine-cli-&lt;platform&gt;/rivet-engine</c> in the current directory, the
    /// application's base directory or any of their parents.
    /// </summary>
    /// <exception cref="FileNotFoundException">Nothing was found; the message lists every path tried.</exception>
    public static string LocateBinary(string? binaryPath = null)
    {
        var tried = new List<string>();
        if (!string.IsNullOrEmpty(binaryPath))
        {
            var full = Path.GetFullPath(binaryPath);
            if (File.Exists(full))
            {
                return full;
            }
            throw new FileNotFoundException($"The Rivet Engine binary given in RivetEngineProcessOptions.BinaryPath does not exist: {full}", full);
        }
        var fromEnvironment = Environment.GetEnvironmentVariable(BinaryEnvironmentVariable);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            var full = Path.GetFullPath(fromEnvironment);
            if (File.Exists(full))
            {
                return full;
            }
            throw new FileNotFoundException($"The Rivet Engine binary named by {BinaryEnvironmentVariable} does not exist: {full}", full);
        }

        var relative = Path.Combine("tools", "engine", "node_modules", "@rivetkit", PlatformPackage(), BinaryName());
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, relative);
                if (!seen.Add(candidate))
                {
                    continue;
                }
                tried.Add(candidate);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }
        throw new FileNotFoundException(
            $"No Rivet Engine {PinnedVersion} binary found. Install it from the repository root with `{InstallCommand}` "
            + $"(./test.sh does this), or set {BinaryEnvironmentVariable}. Paths tried:{Environment.NewLine}  "
            + string.Join(Environment.NewLine + "  ", tried));
    }

    /// <summary>Stops the engine and starts it again on the same ports with the same data directory and config.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            await StopProcessAsync().ConfigureAwait(false);
            AppendLog("rivet-sdk: restarting the engine");
            await StartProcessAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Stops the engine (SIGTERM, then kill after <see cref="RivetEngineProcessOptions.ShutdownGracePeriod"/>) and keeps
    /// its files; <see cref="RestartAsync"/> can start it again. Does nothing when it is not running.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await StopProcessAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The last <paramref name="lines"/> lines of the engine log.</summary>
    public string ReadLogTail(int lines = LogTailLines)
    {
        lock (_logLock)
        {
            _log?.Flush();
        }
        try
        {
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var queue = new Queue<string>();
            string? line;
            while ((line = reader.ReadLine()) is not null)
            {
                queue.Enqueue(line);
                if (queue.Count > lines)
                {
                    queue.Dequeue();
                }
            }
            return string.Join(Environment.NewLine, queue);
        }
        catch (IOException e)
        {
            return $"(engine log {LogPath} unreadable: {e.Message})";
        }
    }

    /// <summary>Stops the engine and deletes the data directory when it was created for this engine and not asked to be kept.</summary>
    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            await StopProcessAsync().ConfigureAwait(false);
            lock (_logLock)
            {
                _log?.Dispose();
                _log = null;
            }
            if (_ownsDataDirectory && !_options.KeepDataDirectory)
            {
                try
                {
                    Directory.Delete(DataDirectory, recursive: true);
                }
                catch (IOException)
                {
                }
                catch (UnauthorizedAccessException)
                {
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"Rivet Engine at {Endpoint} (data {DataDirectory}, log {LogPath})";

    /// <summary>
    /// Where a throwaway data directory goes: memory (<c>/dev/shm</c>) when the machine has it, else the temp folder.
    /// The engine's file store syncs every write; on a busy disk that stalls actor creation past the engine's own
    /// timeouts (seen: 50 % I/O wait, <c>pegboard_actor_create timed out</c>), and throwaway data needs no disk.
    /// </summary>
    private static string ThrowawayRoot()
    {
        const string shm = "/dev/shm";
        try
        {
            if (OperatingSystem.IsLinux() && Directory.Exists(shm))
            {
                var probe = Path.Combine(shm, "rivet-probe-" + Guid.NewGuid().ToString("N"));
                Directory.CreateDirectory(probe);
                Directory.Delete(probe);
                return shm;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
        return Path.GetTempPath();
    }

    // ----- start -----

    private bool PortsArePicked => _options.GuardPort == 0 || _options.ApiPeerPort == 0 || _options.MetricsPort == 0;

    private void AssignPorts()
    {
        var listeners = new List<TcpListener>();
        try
        {
            int Pick(int requested)
            {
                if (requested != 0)
                {
                    return requested;
                }
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                listeners.Add(listener);
                return ((IPEndPoint)listener.LocalEndpoint).Port;
            }
            GuardPort = Pick(_options.GuardPort);
            ApiPeerPort = Pick(_options.ApiPeerPort);
            MetricsPort = Pick(_options.MetricsPort);
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Stop();
            }
        }
        Endpoint = new Uri($"http://127.0.0.1:{GuardPort}/");
    }

    /// <summary>
    /// The CPU (millicores) the engine's workflow worker is told it has: far more than any machine, so it never sheds
    /// load. The worker measures the CPU of its whole cgroup, which for a local engine includes the app, the tests and
    /// any build; past 70 % of the cores it leaves a growing share of newly woken workflows for a later poll (16 s), so
    /// a new actor is not placed and the gateway answers <c>pegboard.route_resolve_query_timeout</c> after 15 s. See
    /// docs/reliability.md, "Under CPU contention".
    /// </summary>
    internal const int UnthrottledWorkerCpuMillicores = 1_000_000;

    /// <summary>The config written for the engine, before <see cref="RivetEngineProcessOptions.ExtraConfig"/>.</summary>
    private JsonObject BuildConfig()
    {
        var publicUrl = $"http://127.0.0.1:{GuardPort}";
        var peerUrl = $"http://127.0.0.1:{ApiPeerPort}";
        var config = new JsonObject
        {
            ["guard"] = new JsonObject { ["host"] = "127.0.0.1", ["port"] = GuardPort },
            ["api_peer"] = new JsonObject { ["host"] = "127.0.0.1", ["port"] = ApiPeerPort },
            ["metrics"] = new JsonObject { ["host"] = "127.0.0.1", ["port"] = MetricsPort },
            ["telemetry"] = new JsonObject { ["enabled"] = false },
            ["file_system"] = new JsonObject { ["path"] = Path.Combine(DataDirectory, "db") },
            ["runtime"] = new JsonObject { ["worker_cpu_max"] = UnthrottledWorkerCpuMillicores },
            ["topology"] = new JsonObject
            {
                ["datacenter_label"] = 1,
                ["datacenters"] = new JsonObject
                {
                    ["default"] = new JsonObject
                    {
                        ["datacenter_label"] = 1,
                        ["is_leader"] = true,
                        ["public_url"] = publicUrl,
                        ["peer_url"] = peerUrl,
                    },
                },
            },
        };
        if (_options.AdminToken is { } token)
        {
            config["auth"] = new JsonObject { ["admin_token"] = token };
        }
        return config;
    }

    private void WriteConfig()
    {
        var config = BuildConfig();
        if (_options.ExtraConfig is { } extra)
        {
            Merge(config, extra);
        }
        _options.ConfigureConfig?.Invoke(config);
        using var stream = new FileStream(ConfigPath, FileMode.Create, FileAccess.Write);
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        config.WriteTo(writer);
    }

    /// <summary>Deep-merges <paramref name="source"/> into <paramref name="target"/>: objects key by key, anything else replaces.</summary>
    internal static void Merge(JsonObject target, JsonObject source)
    {
        foreach (var (key, value) in source)
        {
            if (value is JsonObject sourceObject && target[key] is JsonObject targetObject)
            {
                Merge(targetObject, sourceObject);
            }
            else
            {
                target[key] = value?.DeepClone();
            }
        }
    }

    private async Task StartProcessAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.Combine(DataDirectory, "home"));
        lock (_logLock)
        {
            _log ??= new StreamWriter(new FileStream(LogPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete), new UTF8Encoding(false))
            {
                AutoFlush = true,
            };
        }
        AppendLog($"rivet-sdk: starting {BinaryPath} --config {ConfigPath} start (guard {GuardPort}, api_peer {ApiPeerPort}, metrics {MetricsPort})");

        var start = new ProcessStartInfo(BinaryPath)
        {
            WorkingDirectory = DataDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(ConfigPath);
        start.ArgumentList.Add("start");
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("RIVET__", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }
        start.Environment["HOME"] = Path.Combine(DataDirectory, "home");
        start.Environment["RUST_LOG"] = _options.LogLevel;
        foreach (var (name, value) in _options.EnvironmentVariables)
        {
            start.Environment[name] = value;
        }

        var stopwatch = Stopwatch.StartNew();
        var process = new Process { StartInfo = start };
        try
        {
            if (!process.Start())
            {
                throw new InvalidOperationException($"Could not start the Rivet Engine at {BinaryPath}.");
            }
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            process.Dispose();
            throw new InvalidOperationException($"Could not start the Rivet Engine at {BinaryPath}: {e.Message}", e);
        }
        process.StandardInput.Close();
        _process = process;
        _pumps = Task.WhenAll(PumpAsync(process.StandardOutput), PumpAsync(process.StandardError));
        _exitHandler = (_, _) => KillQuietly(process);
        AppDomain.CurrentDomain.ProcessExit += _exitHandler;

        try
        {
            await WaitHealthyAsync(process, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await StopProcessAsync().ConfigureAwait(false);
            throw;
        }
        LastStartDuration = stopwatch.Elapsed;
        AppendLog($"rivet-sdk: engine healthy after {LastStartDuration.TotalMilliseconds:0} ms");
    }

    private async Task WaitHealthyAsync(Process process, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(2) })
        {
            Timeout = TimeSpan.FromSeconds(2),
        };
        var healthUri = new Uri(Endpoint, "health");
        var deadline = Stopwatch.StartNew();
        var lastProblem = "no answer yet";
        var delay = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                await WaitForPumpsAsync().ConfigureAwait(false);
                throw new InvalidOperationException(
                    $"The Rivet Engine exited with code {process.ExitCode} during start-up (config {ConfigPath}, log {LogPath}). Log tail:"
                    + Environment.NewLine + ReadLogTail());
            }
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, healthUri);
                if (_options.AdminToken is { } token)
                {
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                }
                using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
                var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode && IsStatusOk(body))
                {
                    // A fresh engine reports healthy before it has created the "default" namespace; API calls made
                    // in that window fail with namespace.not_found.
                    using var names = new HttpRequestMessage(HttpMethod.Get, new Uri(Endpoint, "actors/names?namespace=default"));
                    names.Headers.Authorization = request.Headers.Authorization;
                    using var namesResponse = await http.SendAsync(names, cancellationToken).ConfigureAwait(false);
                    if (namesResponse.IsSuccessStatusCode)
                    {
                        return;
                    }
                    lastProblem = $"healthy, but the default namespace is not ready (HTTP {(int)namesResponse.StatusCode})";
                }
                else
                {
                    lastProblem = $"HTTP {(int)response.StatusCode}: {body}";
                }
            }
            catch (HttpRequestException e)
            {
                lastProblem = e.Message;
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                lastProblem = "health request timed out";
            }
            if (deadline.Elapsed > _options.StartupTimeout)
            {
                throw new TimeoutException(
                    $"The Rivet Engine did not become healthy at {healthUri} within {_options.StartupTimeout.TotalSeconds:0.#} s "
                    + $"(last: {lastProblem}; config {ConfigPath}, log {LogPath}). Log tail:" + Environment.NewLine + ReadLogTail());
            }
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 250));
        }
    }

    private static bool IsStatusOk(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("status", out var status)
                && status.ValueKind == JsonValueKind.String
                && status.GetString() == "ok";
        }
        catch (JsonException)
        {
            return false;
        }
    }

    // ----- stop -----

    private async Task StopProcessAsync()
    {
        var process = _process;
        if (process is null)
        {
            return;
        }
        _process = null;
        if (_exitHandler is not null)
        {
            AppDomain.CurrentDomain.ProcessExit -= _exitHandler;
            _exitHandler = null;
        }
        try
        {
            if (!process.HasExited)
            {
                var graceful = !OperatingSystem.IsWindows() && Interop.Kill(process.Id, Interop.SigTerm) == 0;
                if (graceful)
                {
                    using var grace = new CancellationTokenSource(_options.ShutdownGracePeriod);
                    try
                    {
                        await process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        AppendLog($"rivet-sdk: engine still running {_options.ShutdownGracePeriod.TotalSeconds:0.#} s after SIGTERM, killing it");
                    }
                }
                if (!process.HasExited)
                {
                    KillQuietly(process);
                    using var killWait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                    try
                    {
                        await process.WaitForExitAsync(killWait.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                    }
                }
            }
            await WaitForPumpsAsync().ConfigureAwait(false);
            if (process.HasExited)
            {
                AppendLog($"rivet-sdk: engine exited with code {process.ExitCode}");
            }
        }
        finally
        {
            process.Dispose();
        }
    }

    private async Task WaitForPumpsAsync()
    {
        // The pipes close when the engine exits; do not wait forever if a grandchild kept them open.
        await Task.WhenAny(_pumps, Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
    }

    private static void KillQuietly(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }
    }

    // ----- log -----

    private async Task PumpAsync(StreamReader reader)
    {
        try
        {
            string? line;
            while ((line = await reader.ReadLineAsync().ConfigureAwait(false)) is not null)
            {
                AppendLog(line);
            }
        }
        catch (IOException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private void AppendLog(string line)
    {
        lock (_logLock)
        {
            _log?.WriteLine(line);
        }
    }

    private static string BinaryName() => OperatingSystem.IsWindows() ? "rivet-engine.exe" : "rivet-engine";

    /// <summary>The npm package of <c>@rivetkit/engine-cli</c> that carries this platform's binary.</summary>
    private static string PlatformPackage()
    {
        var arch = RuntimeInformation.OSArchitecture;
        var archName = arch switch
        {
            Architecture.X64 => "x64",
            Architecture.Arm64 => "arm64",
            _ => arch.ToString().ToLowerInvariant(),
        };
        if (OperatingSystem.IsLinux())
        {
            return $"engine-cli-linux-{archName}-musl";
        }
        if (OperatingSystem.IsMacOS())
        {
            return $"engine-cli-darwin-{archName}";
        }
        if (OperatingSystem.IsWindows())
        {
            return $"engine-cli-win32-{archName}";
        }
        return $"engine-cli-{RuntimeInformation.OSDescription}-{archName}";
    }

    private static class Interop
    {
        public const int SigTerm = 15;

        [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        public static extern int Kill(int pid, int signal);
    }
}
