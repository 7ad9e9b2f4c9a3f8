using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace Rivet.LoadTest;

/// <summary>The outcome of one workload against one target: completed calls, errors, wall time and per-call latencies.</summary>
public sealed class Latencies
{
    private readonly List<long> _ticks = new(1 << 16);
    private readonly object _gate = new();

    /// <summary>Calls that failed (not in the latencies).</summary>
    public int Errors { get; private set; }

    /// <summary>Actors that could not be created before the measurement (left out of it).</summary>
    public int SetupErrors { get; set; }

    /// <summary>The first error seen, for the report.</summary>
    public string? FirstError { get; private set; }

    /// <summary>Wall time of the measured phase.</summary>
    public TimeSpan Elapsed { get; set; }

    /// <summary>CPU time the target's process used in the measured phase (WebSocket workloads; zero when not sampled).</summary>
    public TimeSpan TargetCpu { get; set; }

    /// <summary>CPU time the engine used in the measured phase (WebSocket workloads; zero when not sampled).</summary>
    public TimeSpan EngineCpu { get; set; }

    /// <summary>Completed calls.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _ticks.Count;
            }
        }
    }

    /// <summary>Completed calls per second of wall time.</summary>
    public double Throughput => Elapsed > TimeSpan.Zero ? Count / Elapsed.TotalSeconds : 0;

    /// <summary>Records one successful call that took <paramref name="stopwatchTicks"/>.</summary>
    public void Add(long stopwatchTicks)
    {
        lock (_gate)
        {
            _ticks.Add(stopwatchTicks);
        }
    }

    /// <summary>Merges a worker's latencies (one lock per worker, not per call).</summary>
    public void AddRange(List<long> stopwatchTicks)
    {
        lock (_gate)
        {
            _ticks.AddRange(stopwatchTicks);
        }
    }

    /// <summary>Adds another slice of the same workload and target (its calls, errors and time).</summary>
    public void Merge(Latencies other)
    {
        lock (other._gate)
        {
            lock (_gate)
            {
                _ticks.AddRange(other._ticks);
                Errors += other.Errors;
                FirstError ??= other.FirstError;
                SetupErrors += other.SetupErrors;
                Elapsed += other.Elapsed;
                TargetCpu += other.TargetCpu;
                EngineCpu += other.EngineCpu;
            }
        }
    }

    /// <summary>Records a failed call.</summary>
    public void AddError(string message)
    {
        lock (_gate)
        {
            Errors++;
            FirstError ??= message;
        }
    }

    /// <summary>The <paramref name="percentile"/> (0–100) latency in milliseconds, nearest rank.</summary>
    public double PercentileMs(double percentile)
    {
        lock (_gate)
        {
            if (_ticks.Count == 0)
            {
                return double.NaN;
            }
            _ticks.Sort();
            var rank = (int)Math.Ceiling(percentile / 100 * _ticks.Count) - 1;
            return _ticks[Math.Clamp(rank, 0, _ticks.Count - 1)] * 1000.0 / Stopwatch.Frequency;
        }
    }
}
