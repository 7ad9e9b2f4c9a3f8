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
    /// <param name="cpu">Sampled when the driver says its measured time starts and ends.</param>
    public static async Task<Latencies> RunAsync(Uri endpoint, string pool, string key, int connections, TimeSpan duration, int maxCalls, CpuMeter cpu)
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
        var stdout = ReadOutputAsync(process.StandardOutput, cpu);
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
        var (line, used) = await stdout;
        if (process.ExitCode != 0 || line.Length == 0)
        {
            var error = (await stderr).Trim();
            // Node prints the thrown error first (message, then its fields): keep the first lines on one line.
            var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var summary = string.Join(" ", lines.Where(l => l.Contains("Error", StringComparison.Ordinal) || l.StartsWith("code:", StringComparison.Ordinal)).Take(3));
            result.AddError($"driver exited with {process.ExitCode}: {(summary.Length > 0 ? summary : string.Join(" ", lines.Take(3)))}");
            return result;
        }
        using var json = JsonDocument.Parse(line.Split('\n')[^1].Trim());
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
        if (used is not null && root.TryGetProperty("cpuMs", out var cpuMs))
        {
            used.DriverSeconds = cpuMs.GetDouble() / 1000;
            result.Cpu.Add(used);
        }
        return result;
    }

    /// <summary>The driver's last line (its result), sampling the CPU meter at its "measuring" and "measured" lines.</summary>
    private static async Task<(string Line, CpuUse? Used)> ReadOutputAsync(StreamReader output, CpuMeter cpu)
    {
        var last = "";
        CpuUse? used = null;
        while (await output.ReadLineAsync() is { } line)
        {
            switch (line.Trim())
            {
                case "measuring":
                    cpu.Start();
                    break;
                case "measured":
                    used = cpu.Stop();
                    break;
                case { Length: > 0 } text:
                    last = text;
                    break;
            }
        }
        return (last, used);
    }
}
