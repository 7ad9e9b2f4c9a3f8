using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace Rivet.Sdk.Tests.Infrastructure;

/// <summary>
/// A runner as a separate OS process (<c>dotnet Rivet.TestRunner.dll</c>, the <c>counter</c> actor of
/// tests/Rivet.TestRunner), configured like a user's process by <c>RIVET_ENDPOINT</c>, <c>RIVET_RUNNER</c> and
/// <c>RIVET_RUNNER_KEY</c>. Faults are real: <see cref="Kill"/> is SIGKILL, <see cref="Freeze"/> SIGSTOP,
/// <see cref="RestartAsync"/> a new process with the same key. One instance is one runner "slot" (a pool and a key)
/// across restarts; its output (stdout and stderr of every process it started) is kept for assertions and failure
/// messages.
/// </summary>
public sealed class RunnerProcess : IAsyncDisposable
{
    /// <summary>The line the runner prints once it is connected to the engine.</summary>
    public const string ReadyLine = "rivet-test-runner: connected";

    /// <summary>How long a start waits for <see cref="ReadyLine"/> (a cold dotnet start on a busy 2-core machine).</summary>
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(90);

    private readonly Uri _endpoint;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly List<string> _lines = new();
    private TaskCompletionSource _lineAdded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Process? _process;
    private Task _outputEnded = Task.CompletedTask;
    private int _currentStart;
    private int _starts;

    private RunnerProcess(Uri endpoint, string pool, string key, IReadOnlyDictionary<string, string>? environment)
    {
        _endpoint = endpoint;
        Pool = pool;
        Key = key;
        _environment = environment ?? new Dictionary<string, string>();
    }

    /// <summary>The runner pool (<c>RIVET_RUNNER</c>).</summary>
    public string Pool { get; }

    /// <summary>The runner key (<c>RIVET_RUNNER_KEY</c>), the same across restarts.</summary>
    public string Key { get; }

    /// <summary>The id of the current process.</summary>
    public int ProcessId => _process?.Id ?? throw new InvalidOperationException("The runner process has not started.");

    /// <summary>Whether the current process has exited (killed, stopped or crashed).</summary>
    public bool HasExited => _process is not { } process || process.HasExited;

    /// <summary>Every output line so far, of every process this slot started.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return _lines.ToArray();
            }
        }
    }

    /// <summary>The path of the runner program.</summary>
    public static string ProgramPath
    {
        get
        {
            var configuration = typeof(RunnerProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
            return Path.Combine(RepoPaths.Root, "tests", "Rivet.TestRunner", "bin", configuration, "net10.0", "Rivet.TestRunner.dll");
        }
    }

    /// <summary>
    /// Starts a runner process and waits until it is connected to the engine.
    /// </summary>
    /// <param name="endpoint">The engine endpoint.</param>
    /// <param name="pool">The runner pool.</param>
    /// <param name="key">The runner key; a new random one when <see langword="null"/>.</param>
    /// <param name="environment">More environment variables for the process (e.g. <c>RIVET_LOG</c>).</param>
    /// <exception cref="TimeoutException">It did not connect within <see cref="ReadyTimeout"/>; the message holds its output.</exception>
    public static async Task<RunnerProcess> StartAsync(Uri endpoint, string pool, string? key = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var runner = new RunnerProcess(endpoint, pool, key ?? "proc-" + Guid.NewGuid().ToString("N")[..10], environment);
        try
        {
            await runner.StartProcessAsync();
        }
        catch
        {
            await runner.DisposeAsync();
            throw;
        }
        return runner;
    }

    /// <summary>Kills the current process (if it runs) and starts a new one with the same pool and key; waits until it is connected.</summary>
    public async Task RestartAsync()
    {
        Kill();
        await StartProcessAsync();
    }

    /// <summary>Crashes the runner: SIGKILL, no goodbye to the engine. Returns once the process is gone.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                throw new TimeoutException($"Runner process {process.Id} did not exit within 30 s of SIGKILL.");
            }
            AddLine($"[runner-process] pid {process.Id} killed (SIGKILL)");
        }
    }

    /// <summary>Freezes the runner (SIGSTOP): its sockets stay open but nothing answers.</summary>
    public void Freeze() => Signal(OperatingSystem.IsMacOS() ? 17 : 19, "frozen (SIGSTOP)");

    /// <summary>Lets a frozen runner run again (SIGCONT).</summary>
    public void Thaw() => Signal(OperatingSystem.IsMacOS() ? 19 : 18, "thawed (SIGCONT)");

    /// <summary>Stops the runner gracefully (SIGTERM: it drains its actors and says goodbye) and waits for the process to exit.</summary>
    /// <exception cref="TimeoutException">It did not exit within <paramref name="timeout"/>.</exception>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }
        Signal(15, "asked to stop (SIGTERM)");
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"Runner process {process.Id} did not exit within {timeout.TotalSeconds:0} s of SIGTERM; output:\n{OutputTail()}");
        }
    }

    /// <summary>Waits until the current process prints a line containing <paramref name="fragment"/>.</summary>
    /// <exception cref="TimeoutException">No such line within <paramref name="timeout"/>; the message holds the output.</exception>
    /// <exception cref="InvalidOperationException">The process exited without printing it.</exception>
    public async Task<string> WaitForLineAsync(string fragment, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            Task changed;
            var outputEnded = _outputEnded.IsCompleted;
            lock (_lines)
            {
                for (var i = _currentStart; i < _lines.Count; i++)
                {
                    if (_lines[i].Contains(fragment, StringComparison.Ordinal))
                    {
                        return _lines[i];
                    }
                }
                changed = _lineAdded.Task;
            }
            var left = deadline - DateTime.UtcNow;
            if (outputEnded)
            {
                throw new InvalidOperationException($"Runner {Key} exited without printing a line containing \"{fragment}\"; output:\n{OutputTail()}");
            }
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"Runner {Key} printed no line containing \"{fragment}\" within {timeout.TotalSeconds:0} s; output:\n{OutputTail()}");
            }
            await Task.WhenAny(changed, _outputEnded, Task.Delay(left));
        }
    }

    /// <summary>How many output lines (of every process of this slot) contain <paramref name="fragment"/>.</summary>
    public int CountLines(string fragment)
    {
        lock (_lines)
        {
            return _lines.Count(line => line.Contains(fragment, StringComparison.Ordinal));
        }
    }

    /// <summary>The last <paramref name="count"/> output lines, for failure messages.</summary>
    public string OutputTail(int count = 80)
    {
        lock (_lines)
        {
            return string.Join(Environment.NewLine, _lines.Skip(Math.Max(0, _lines.Count - count)));
        }
    }

    /// <summary>Kills the process if it still runs (thawing it first, so a frozen process can die).</summary>
    public ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            Signal(OperatingSystem.IsMacOS() ? 19 : 18, "thawed to be killed");
            Kill();
        }
        _process?.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task StartProcessAsync()
    {
        var program = ProgramPath;
        if (!File.Exists(program))
        {
            throw new FileNotFoundException($"The test runner program is missing at {program}; build the solution (Rivet.Sdk.Tests references tests/Rivet.TestRunner).", program);
        }
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(program);
        foreach (var name in new[] { "RIVET_TOKEN", "RIVET_NAMESPACE", "RIVET_RUNNER_VERSION", "RIVET_LOG", "RIVET_STORAGE_PATH" })
        {
            start.Environment.Remove(name);
        }
        start.Environment["RIVET_ENDPOINT"] = _endpoint.ToString().TrimEnd('/');
        start.Environment["RIVET_RUNNER"] = Pool;
        start.Environment["RIVET_RUNNER_KEY"] = Key;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in _environment)
        {
            start.Environment[name] = value;
        }

        _process?.Dispose();
        lock (_lines)
        {
            _currentStart = _lines.Count;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet for the test runner.");
        _process = process;
        _starts++;
        AddLine($"[runner-process] start #{_starts}: pid {process.Id}, pool {Pool}, key {Key}");
        _outputEnded = Task.WhenAll(PumpAsync(process.StandardOutput), PumpAsync(process.StandardError));
        await WaitForLineAsync(ReadyLine, ReadyTimeout);
    }

    private void Signal(int signal, string what)
    {
        if (_process is { HasExited: false } process)
        {
            if (Interop.Kill(process.Id, signal) != 0)
            {
                throw new InvalidOperationException($"kill({process.Id}, {signal}) failed with errno {Marshal.GetLastPInvokeError()}.");
            }
            AddLine($"[runner-process] pid {process.Id} {what}");
        }
    }

    private async Task PumpAsync(StreamReader reader)
    {
        try
        {
            string? line;
            while ((line = await reader.ReadLineAsync()) is not null)
            {
                AddLine(line);
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
        }
    }

    private void AddLine(string line)
    {
        TaskCompletionSource added;
        lock (_lines)
        {
            _lines.Add($"{DateTime.UtcNow:HH:mm:ss.fff} {line}");
            added = _lineAdded;
            _lineAdded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        added.TrySetResult();
    }

    private static class Interop
    {
        [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        public static extern int Kill(int pid, int signal);
    }
}
