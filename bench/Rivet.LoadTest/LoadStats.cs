using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Diagnostics;

namespace Rivet.LoadTest;

/// <summary>
/// Where a target's time goes, per second, when <c>RIVET_LOAD_STATS</c> names a directory (the targets inherit the
/// load tool's environment): one line a second to <c>{dir}/{pool}.log</c> with the KV puts made for state saves
/// (count, mean, max, p50 and p90 round trip), the calls each put covered, and the calls as the actor saw them (from arrival at
/// the actor to durable: waiting for the turn, running, waiting for the put). Our runner's numbers come from the SDK's
/// own metrics (<c>rivet.actor.state.save.duration</c>, <c>rpc.server.call.duration</c>), the durable floor's from
/// its puts. Off (and free) without the variable.
/// </summary>
internal sealed class LoadStats : IDisposable
{
    private readonly string? _path;
    private readonly MeterListener? _listener;
    private readonly Timer? _timer;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _gate = new();
    private Window _window;
    private List<double> _putMs = new();

    private LoadStats(string? directory, string pool, bool listenToSdk)
    {
        if (string.IsNullOrEmpty(directory))
        {
            return;
        }
        Directory.CreateDirectory(directory);
        _path = Path.Combine(directory, pool + ".log");
        File.WriteAllText(_path, "# t s | puts | put ms mean / max | calls per put | actor calls | actor call ms mean / max | put ms p50 / p90\n");
        if (listenToSdk)
        {
            _listener = new MeterListener
            {
                InstrumentPublished = (instrument, listener) =>
                {
                    if (instrument.Meter.Name == RivetDiagnostics.MeterName && instrument.Name is "rivet.actor.state.save.duration" or "rpc.server.call.duration")
                    {
                        listener.EnableMeasurementEvents(instrument);
                    }
                },
            };
            _listener.SetMeasurementEventCallback<double>((instrument, seconds, _, _) =>
            {
                if (instrument.Name == "rpc.server.call.duration")
                {
                    Call(TimeSpan.FromSeconds(seconds));
                }
                else
                {
                    Put(TimeSpan.FromSeconds(seconds), covered: 0);
                }
            });
            _listener.Start();
        }
        _timer = new Timer(_ => Flush(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    /// <summary>Stats of our runner (from the SDK's metrics), or off.</summary>
    public static LoadStats ForRunner(string pool) => new(Environment.GetEnvironmentVariable("RIVET_LOAD_STATS"), pool, listenToSdk: true);

    /// <summary>Stats the durable floor reports itself, or off.</summary>
    public static LoadStats ForFloor(string pool) => new(Environment.GetEnvironmentVariable("RIVET_LOAD_STATS"), pool, listenToSdk: false);

    /// <summary>One put took <paramref name="elapsed"/> and covered <paramref name="covered"/> calls (0: not known; counted from the calls).</summary>
    public void Put(TimeSpan elapsed, int covered)
    {
        if (_path is null)
        {
            return;
        }
        lock (_gate)
        {
            _window.Puts++;
            _window.PutMs += elapsed.TotalMilliseconds;
            _window.PutMaxMs = Math.Max(_window.PutMaxMs, elapsed.TotalMilliseconds);
            _window.Covered += covered;
            _putMs.Add(elapsed.TotalMilliseconds);
        }
    }

    private void Call(TimeSpan elapsed)
    {
        lock (_gate)
        {
            _window.Calls++;
            _window.CallMs += elapsed.TotalMilliseconds;
            _window.CallMaxMs = Math.Max(_window.CallMaxMs, elapsed.TotalMilliseconds);
        }
    }

    private void Flush()
    {
        Window w;
        List<double> puts;
        lock (_gate)
        {
            w = _window;
            _window = default;
            puts = _putMs;
            _putMs = new List<double>();
        }
        puts.Sort();
        if (w.Puts == 0 && w.Calls == 0)
        {
            return;
        }
        var covered = w.Covered > 0 ? w.Covered : w.Calls;
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{_clock.Elapsed.TotalSeconds:0} | {w.Puts} | {(w.Puts > 0 ? w.PutMs / w.Puts : 0):0.0} / {w.PutMaxMs:0.0} | {(w.Puts > 0 ? (double)covered / w.Puts : 0):0.0} | {w.Calls} | {(w.Calls > 0 ? w.CallMs / w.Calls : 0):0.0} / {w.CallMaxMs:0.0} | {Rank(puts, 0.5):0.0} / {Rank(puts, 0.9):0.0}\n");
        try
        {
            File.AppendAllText(_path!, line);
        }
        catch (IOException)
        {
            // A stats line is not worth failing the target for.
        }
    }

    private static double Rank(List<double> sorted, double quantile) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Count) - 1, 0, sorted.Count - 1)];

    public void Dispose()
    {
        _timer?.Dispose();
        _listener?.Dispose();
        if (_path is not null)
        {
            Flush();
        }
    }

    private struct Window
    {
        public int Puts;
        public double PutMs;
        public double PutMaxMs;
        public long Covered;
        public int Calls;
        public double CallMs;
        public double CallMaxMs;
    }
}
