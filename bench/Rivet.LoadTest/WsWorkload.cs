using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;

namespace Rivet.LoadTest;

/// <summary>
/// Actions over WebSocket connections (<c>/connect</c>), driven by RivetKit's TypeScript client in a Node process
/// (<c>ws-driver.mjs</c>, json encoding) against every target, so the client side is the same for all of them.
/// </summary>
internal static class WsWorkload
{
    /// <summary>Runs the driver once: it warms up itself (one call per connection before the clock starts), then measures.</summary>
    /// <param name="cpu">The target's and the engine's process, whose CPU time is sampled while the driver measures.</param>
    public static async Task<Latencies> RunAsync(Uri endpoint, string pool, string key, int connections, TimeSpan duration, int maxCalls, CpuProbe? cpu = null)
    {
        var start = new ProcessStartInfo(Paths.Node)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ws-driver.mjs"));
        start.ArgumentList.Add(endpoint.AbsoluteUri.TrimEnd('/'));
        start.ArgumentList.Add(pool);
        start.ArgumentList.Add(key);
        start.ArgumentList.Add(connections.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add(duration.TotalSeconds.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add(maxCalls.ToString(CultureInfo.InvariantCulture));
        start.Environment["RIVETKIT_DIR"] = Paths.RivetKit;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the WebSocket driver (node).");
        Interrupt.Track(process);
        var stdout = ReadOutputAsync(process, cpu);
        var stderr = process.StandardError.ReadToEndAsync();
        var exited = process.WaitForExitAsync();
        // Opening the connections comes before the measured time: the bound grows with their number (a busy machine
        // took ~0.25 s per open and warm-up call one by one).
        var bound = duration + TimeSpan.FromSeconds(60) + TimeSpan.FromSeconds(0.25 * connections);
        if (await Task.WhenAny(exited, Task.Delay(bound)) != exited)
        {
            process.Kill(entireProcessTree: true);
            var failed = new Latencies();
            failed.AddError("the WebSocket driver did not finish in time (no answer to a connection or an action?)");
            return failed;
        }
        var result = new Latencies();
        var (line, cpuUsed) = await stdout;
        if (cpuUsed is { } used)
        {
            (result.TargetCpu, result.EngineCpu) = used;
        }
        if (process.ExitCode != 0 || line.Length == 0)
        {
            var error = (await stderr).Trim();
            // Node prints the thrown error first (message, then its fields): keep the first lines on one line.
            var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var summary = string.Join(" ", lines.Where(l => l.Contains("Error", StringComparison.Ordinal) || l.StartsWith("code:", StringComparison.Ordinal)).Take(3));
            result.AddError($"driver exited with {process.ExitCode}: {(summary.Length > 0 ? summary : string.Join(" ", lines.Take(3)))}");
            return result;
        }
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        foreach (var ms in root.GetProperty("latenciesMs").EnumerateArray())
        {
            result.Add((long)(ms.GetDouble() * Stopwatch.Frequency / 1000));
        }
        for (var i = 0; i < root.GetProperty("errors").GetInt32(); i++)
        {
            result.AddError(root.GetProperty("firstError").GetString() ?? "error");
        }
        result.Elapsed = TimeSpan.FromMilliseconds(root.GetProperty("elapsedMs").GetDouble());
        return result;
    }

    /// <summary>The driver's last line, and the CPU the probed processes used between its "measuring" and "measured" lines.</summary>
    private static async Task<(string Last, (TimeSpan Target, TimeSpan Engine)? Cpu)> ReadOutputAsync(Process process, CpuProbe? cpu)
    {
        var last = "";
        (TimeSpan Target, TimeSpan Engine)? start = null, used = null;
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            switch (line.Trim())
            {
                case "measuring":
                    start = cpu?.Sample();
                    break;
                case "measured":
                    if (start is { } s && cpu?.Sample() is { } end)
                    {
                        used = (end.Target - s.Target, end.Engine - s.Engine);
                    }
                    break;
                case { Length: > 0 } text:
                    last = text;
                    break;
            }
        }
        return (last, used);
    }
}

/// <summary>Samples the CPU time used so far by a target's process and the engine's (zero for one that is gone).</summary>
internal sealed class CpuProbe(int targetPid, int? enginePid)
{
    public (TimeSpan Target, TimeSpan Engine)? Sample() => (Used(targetPid), enginePid is { } e ? Used(e) : TimeSpan.Zero);

    private static TimeSpan Used(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.TotalProcessorTime;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return TimeSpan.Zero;
        }
    }
}
