using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace Rivet.Sdk.Tests.MultiNode;

/// <summary>
/// A helper service the multi-node engine needs (a Postgres cluster, a NATS server), started by the tests as a child
/// process on loopback: its output is kept (the last lines) to wait on and to quote in errors, and only this PID is
/// ever signalled.
/// </summary>
internal sealed class ServiceProcess : IAsyncDisposable
{
    private const int KeptLines = 200;
    private readonly string _name;
    private readonly Process _process;
    private readonly Queue<string> _lines = new();
    private TaskCompletionSource _lineAdded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServiceProcess(string name, Process process)
    {
        _name = name;
        _process = process;
    }

    /// <summary>Starts <paramref name="file"/> with <paramref name="arguments"/>; stdout and stderr are both collected.</summary>
    public static ServiceProcess Start(string name, string file, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var service = new ServiceProcess(name, process);
        process.OutputDataReceived += (_, e) => service.Add(e.Data);
        process.ErrorDataReceived += (_, e) => service.Add(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {name} ({file}).");
        }
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    /// <summary>Waits until the process printed a line containing <paramref name="fragment"/>.</summary>
    /// <exception cref="InvalidOperationException">It exited first; the message has its output.</exception>
    /// <exception cref="TimeoutException">Not within <paramref name="timeout"/>; the message has its output.</exception>
    public async Task WaitForLineAsync(string fragment, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            Task added;
            lock (_lines)
            {
                foreach (var line in _lines)
                {
                    if (line.Contains(fragment, StringComparison.Ordinal))
                    {
                        return;
                    }
                }
                added = _lineAdded.Task;
            }
            if (_process.HasExited)
            {
                _process.WaitForExit(); // flushes the output events
                throw new InvalidOperationException($"{_name} exited with code {_process.ExitCode} before printing '{fragment}':\n{Tail()}");
            }
            var left = timeout - deadline.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"{_name} did not print '{fragment}' within {timeout.TotalSeconds:0} s:\n{Tail()}");
            }
            // Exits print nothing more: look again at least every 250 ms.
            await Task.WhenAny(added, Task.Delay(left < TimeSpan.FromMilliseconds(250) ? left : TimeSpan.FromMilliseconds(250)));
        }
    }

    /// <summary>The last lines of output.</summary>
    public string Tail()
    {
        lock (_lines)
        {
            return string.Join('\n', _lines);
        }
    }

    /// <summary>Sends <paramref name="signal"/>, waits up to <paramref name="grace"/> for the exit, then kills it.</summary>
    public async Task StopAsync(int signal, TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return;
        }
        _ = Kill(_process.Id, signal);
        using var wait = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(SigTerm, TimeSpan.FromSeconds(10));
        _process.Dispose();
    }

    /// <summary>A loopback port nothing listens on now (another process may take it before it is used; starts retry).</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    /// <summary>Runs a command to its end (bounded) and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string file, IEnumerable<string> arguments, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"`{file} {string.Join(' ', start.ArgumentList)}` did not finish within {timeout.TotalSeconds:0} s.");
        }
        return (process.ExitCode, (await stdout) + (await stderr));
    }

    private void Add(string? line)
    {
        if (line is null)
        {
            return;
        }
        TaskCompletionSource added;
        lock (_lines)
        {
            _lines.Enqueue(line);
            if (_lines.Count > KeptLines)
            {
                _lines.Dequeue();
            }
            added = _lineAdded;
            _lineAdded = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        added.TrySetResult();
    }

    public const int SigInt = 2;
    public const int SigKill = 9;
    public const int SigTerm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
