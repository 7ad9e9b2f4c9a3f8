using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;

namespace Rivet.Fuzz;

/// <summary>What one run of one target found.</summary>
internal sealed record FuzzReport(string Target, long Inputs, int Corpus, int Edges, TimeSpan Elapsed, IReadOnlyList<FuzzFinding> Findings);

/// <summary>An input that crashed a decoder (an exception that is not its documented refusal) or took too long.</summary>
internal sealed record FuzzFinding(string Kind, byte[] Input, string Detail);

/// <summary>
/// Runs one target in-process: every seed and regression input first, then mutations of the corpus until the input
/// or time budget is spent. Deterministic for a given seed. With an instrumented Rivet.Sdk.dll, inputs reaching new
/// coverage join the corpus (<see cref="Coverage"/>).
/// </summary>
internal static class Fuzzer
{
    /// <summary>An input slower than this is reported as a hang.</summary>
    public static readonly TimeSpan SlowInput = TimeSpan.FromSeconds(2);

    public static FuzzReport Run(FuzzTargetSpec target, long maxInputs, TimeSpan maxTime, int seed, string? findingsDirectory = null, Action<string>? progress = null)
    {
        var corpus = target.Seeds().Concat(Regressions(target.Name)).Where(s => s.Length > 0).ToList();
        if (corpus.Count == 0)
        {
            throw new InvalidOperationException($"Target {target.Name} has no seeds.");
        }
        var findings = new List<FuzzFinding>();
        var mutator = new Mutator(seed);
        var random = new Random(seed);
        var coverage = new Coverage();
        using var watchdog = new Watchdog(target.Name, findingsDirectory);
        var clock = Stopwatch.StartNew();
        long inputs = 0;
        var nextProgress = TimeSpan.FromSeconds(30);

        void Feed(byte[] input)
        {
            coverage.Reset();
            var started = clock.Elapsed;
            watchdog.Enter(input);
            try
            {
                target.Run(input);
            }
            catch (Exception ex) when (target.Refusal(ex))
            {
            }
            catch (Exception ex)
            {
                Record(new FuzzFinding("crash", input, ex.ToString()));
            }
            finally
            {
                watchdog.Exit();
            }
            if (clock.Elapsed - started > SlowInput && CpuTimeOf(target, input) is var cpu && cpu > SlowInput)
            {
                Record(new FuzzFinding("hang", input, $"took {cpu.TotalSeconds:F1} s of CPU"));
            }
            if (coverage.HasNewCoverage())
            {
                corpus.Add(input);
            }
            inputs++;
        }

        void Record(FuzzFinding finding)
        {
            findings.Add(finding);
            if (findingsDirectory is not null)
            {
                Directory.CreateDirectory(findingsDirectory);
                var file = Path.Combine(findingsDirectory, $"{target.Name}-{finding.Kind}-{findings.Count}");
                File.WriteAllBytes(file + ".bin", finding.Input);
                File.WriteAllText(file + ".txt", finding.Detail);
            }
        }

        foreach (var input in corpus.ToList())
        {
            Feed(input);
        }
        while (inputs < maxInputs && clock.Elapsed < maxTime && findings.Count < 20)
        {
            Feed(mutator.Mutate(corpus[random.Next(corpus.Count)], corpus));
            if (progress is not null && clock.Elapsed > nextProgress)
            {
                progress($"{target.Name}: {inputs:N0} inputs, corpus {corpus.Count}, edges {coverage.Edges}, findings {findings.Count}");
                nextProgress += TimeSpan.FromSeconds(30);
            }
        }
        return new FuzzReport(target.Name, inputs, corpus.Count, coverage.Edges, clock.Elapsed, findings);
    }

    // Wall time lies on a loaded machine at nice 19 (the process may wait seconds for a core): a slow input is run
    // again and judged by the CPU time it takes.
    private static TimeSpan CpuTimeOf(FuzzTargetSpec target, byte[] input)
    {
        var before = Process.GetCurrentProcess().TotalProcessorTime;
        try
        {
            target.Run(input);
        }
        catch (Exception)
        {
            // Its outcome was judged on the first run.
        }
        return Process.GetCurrentProcess().TotalProcessorTime - before;
    }

    /// <summary>Inputs that once crashed a decoder (tests/Rivet.Fuzz/regressions/&lt;target&gt;/): replayed every run.</summary>
    public static IEnumerable<byte[]> Regressions(string target)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "regressions", target);
        return Directory.Exists(folder) ? Directory.GetFiles(folder).Order(StringComparer.Ordinal).Select(File.ReadAllBytes) : [];
    }
}

/// <summary>
/// Ends the process when one input runs far too long (a real hang cannot be interrupted in-process), after saving the
/// input so it can be replayed. One timer per run checks the input being fed.
/// </summary>
internal sealed class Watchdog : IDisposable
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
    private readonly Timer _timer;
    private byte[]? _input;
    private long _since;

    public Watchdog(string target, string? directory) =>
        _timer = new Timer(_ =>
        {
            var input = Volatile.Read(ref _input);
            if (input is null || Environment.TickCount64 - Volatile.Read(ref _since) < Limit.TotalMilliseconds)
            {
                return;
            }
            var file = Path.Combine(directory ?? Path.GetTempPath(), $"{target}-hang.bin");
            File.WriteAllBytes(file, input);
            Environment.FailFast($"Fuzz target {target} hung for {Limit.TotalSeconds} s on one input, saved to {file}.");
        }, null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));

    public void Enter(byte[] input)
    {
        Volatile.Write(ref _since, Environment.TickCount64);
        Volatile.Write(ref _input, input);
    }

    public void Exit() => Volatile.Write(ref _input, null);

    public void Dispose() => _timer.Dispose();
}
