using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Engine;

namespace Rivet.LoadTest;

/// <summary>
/// One actor host under test, in its own process on its own runner pool of the shared engine: our runner
/// (<c>dotnet</c>), RivetKit's TypeScript actor (<c>ts</c>, <c>tests/interop/ts-actor.mjs</c>) or the floor envoy
/// (<c>floor</c>; <c>floor-durable</c> makes one KV put before it answers; <c>floor-durable-ack</c> also acknowledges
/// each client message on hibernatable sockets, as our runner does; <c>floor-durable-sql</c> writes through one remote
/// SQL statement instead of the KV put; <c>floor-durable-2</c> keeps two puts in flight; <c>dotnet-delack</c> and
/// <c>floor-durable-delack</c> leave the envoy socket's received data to the kernel's delayed ACKs, as before
/// <c>EnvoySocketConnection</c>). All three serve an actor named <c>counter</c>.
/// </summary>
internal sealed class Target : IAsyncDisposable
{
    private readonly Process _process;

    private readonly bool[] _stopping;

    private Target(string name, string pool, Process process, bool[] stopping)
    {
        _stopping = stopping;
        Name = name;
        Pool = pool;
        _process = process;
    }

    public string Name { get; }

    public string Pool { get; }

    public int ProcessId => _process.Id;

    public static async Task<Target> StartAsync(string name, Uri endpoint, CancellationToken cancellationToken, string? baseline = null)
    {
        var pool = "load-" + name;
        ProcessStartInfo start;
        if (name == "dotnet-before")
        {
            // Our runner from another build of this tool (the code before a change), in its own process.
            start = new ProcessStartInfo("dotnet");
            start.ArgumentList.Add(baseline ?? throw new ArgumentNullException(nameof(baseline)));
            start.ArgumentList.Add("serve-runner");
            start.ArgumentList.Add(endpoint.AbsoluteUri);
            start.ArgumentList.Add(pool);
        }
        else if (name == "ts")
        {
            start = new ProcessStartInfo(Paths.Node);
            start.ArgumentList.Add(Path.Combine(Paths.Root, "tests", "interop", "ts-actor.mjs"));
            start.Environment["RIVET_ENDPOINT"] = endpoint.AbsoluteUri.TrimEnd('/');
            start.Environment["RIVET_POOL"] = pool;
        }
        else
        {
            // The same executable in a child process, so the load generator and the runner do not share a thread pool.
            start = new ProcessStartInfo(Environment.ProcessPath!);
            start.ArgumentList.Add(name switch
            {
                "dotnet" or "dotnet-throttled" or "dotnet-delack" => "serve-runner",
                "floor-durable" or "floor-durable-delack" => "serve-floor-durable",
                "floor-durable-ack" => "serve-floor-durable-ack",
                "floor-durable-sql" => "serve-floor-durable-sql",
                "floor-durable-2" => "serve-floor-durable-2",
                _ => "serve-floor",
            });
            if (name.EndsWith("-delack", StringComparison.Ordinal))
            {
                start.Environment["RIVET_LOAD_DELAYED_ACK"] = "1"; // the envoy socket without TCP_QUICKACK, as before
            }
            if (name == "dotnet-throttled")
            {
                start.Environment["RIVET_LOAD_SAVE_INTERVAL_MS"] = "1000"; // RivetKit's default stateSaveInterval
            }
            start.ArgumentList.Add(endpoint.AbsoluteUri);
            start.ArgumentList.Add(pool);
        }
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start target {name} ({start.FileName}).");
        Interrupt.Track(process);
        var stderr = new System.Text.StringBuilder();
        var stopping = new bool[1];
        process.ErrorDataReceived += (_, e) =>
        {
            lock (stderr)
            {
                stderr.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) =>
        {
            if (Volatile.Read(ref stopping[0]))
            {
                return;
            }
            string tail;
            lock (stderr)
            {
                tail = stderr.Length > 2000 ? stderr.ToString()[^2000..] : stderr.ToString();
            }
            Console.Error.WriteLine($"target {name} exited (code {process.ExitCode}); its stderr ends with:{Environment.NewLine}{tail}");
        };
        var target = new Target(name, pool, process, stopping);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            while (true)
            {
                var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
                if (line is null)
                {
                    throw new InvalidOperationException($"Target {name} exited before it was ready (code {(process.HasExited ? process.ExitCode : -1)}): {stderr}");
                }
                if (line.Contains("ready", StringComparison.Ordinal))
                {
                    break;
                }
            }
        }
        catch
        {
            await target.DisposeAsync();
            throw;
        }
        // Keep draining its output so it never blocks on a full pipe.
        _ = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is not null)
            {
            }
        });
        return target;
    }

    public async ValueTask DisposeAsync()
    {
        Volatile.Write(ref _stopping[0], true);
        try
        {
            _process.StandardInput.Close();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException or IOException)
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        _process.Dispose();
    }
}

/// <summary>Where the repository's tools are.</summary>
internal static class Paths
{
    /// <summary>The repository root: the folder above <c>tools/engine/node_modules</c> of the located engine binary.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>Node 22, installed next to the engine by <c>tools/engine/install.sh</c>.</summary>
    public static string Node => Path.Combine(Root, "tools", "engine", "node_modules", ".bin", "node");

    public static string RivetKit => Path.Combine(Root, "tools", "engine", "node_modules", "rivetkit");

    private static string FindRoot()
    {
        var binary = RivetEngineProcess.LocateBinary();
        var marker = Path.Combine("tools", "engine", "node_modules");
        var index = binary.IndexOf(marker, StringComparison.Ordinal);
        return index > 0 ? binary[..(index - 1)] : throw new InvalidOperationException($"The engine binary {binary} is not under tools/engine/node_modules; run tools/engine/install.sh.");
    }
}
