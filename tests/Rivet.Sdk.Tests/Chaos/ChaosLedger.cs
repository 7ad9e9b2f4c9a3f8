using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;

namespace Rivet.Sdk.Tests.Chaos;

/// <summary>
/// What the chaos workload saw, per actor key: every acknowledged increment (the count it returned), every call that
/// failed with an answer (by error id), every call left without an answer within its bound, and when each key last
/// answered. Thread-safe.
/// </summary>
internal sealed class ChaosLedger
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, KeyRecord> _keys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _failures = new(StringComparer.Ordinal);
    private readonly List<string> _unanswered = [];
    private int _answered;
    private DateTime? _chaosEnded;
    private double _slowestAnsweredMs;

    public ChaosLedger(IEnumerable<string> keys)
    {
        foreach (var key in keys)
        {
            _keys[key] = new KeyRecord();
        }
    }

    /// <summary>The workload starts calling: gaps are measured from here.</summary>
    public void Begin(DateTime at)
    {
        lock (_gate)
        {
            foreach (var record in _keys.Values)
            {
                record.LastAnswer = at;
            }
        }
    }

    /// <summary>An increment the actor acknowledged with the count it reached.</summary>
    public void Acknowledged(string key, int count, DateTime at, double elapsedMs)
    {
        lock (_gate)
        {
            _keys[key].Counts.Add(count);
            Answered(key, at, elapsedMs);
        }
    }

    /// <summary>A call that failed with an answer: an error from the engine, the actor or the transport.</summary>
    public void Failed(string key, string error, DateTime at, double elapsedMs)
    {
        lock (_gate)
        {
            _failures[error] = _failures.GetValueOrDefault(error) + 1;
            _answered++;
            _slowestAnsweredMs = Math.Max(_slowestAnsweredMs, elapsedMs);
            _keys[key].Uncertain++;
        }
    }

    /// <summary>A call that got no answer within its bound (the client gave up).</summary>
    public void Unanswered(string key, string what)
    {
        lock (_gate)
        {
            _unanswered.Add($"{key}: {what}");
            _keys[key].Uncertain++;
        }
    }

    /// <summary>The last fault is over: gaps are measured up to here.</summary>
    public void ChaosEnded(DateTime at)
    {
        lock (_gate)
        {
            _chaosEnded = at;
        }
    }

    /// <summary>Calls left without an answer within their bound.</summary>
    public IReadOnlyList<string> UnansweredCalls
    {
        get
        {
            lock (_gate)
            {
                return _unanswered.ToArray();
            }
        }
    }

    /// <summary>Acknowledged increments, all keys.</summary>
    public int AcknowledgedCount
    {
        get
        {
            lock (_gate)
            {
                return _keys.Values.Sum(k => k.Counts.Count);
            }
        }
    }

    /// <summary>
    /// Checks the final counts against what was acknowledged: a key whose final count is below its highest
    /// acknowledged count, or below the number of its acknowledged increments, or that acknowledged one count twice
    /// (a write that was rolled back and redone) lost an acknowledged write. Returns one line per such key; keys
    /// missing from <paramref name="finalCounts"/> (they never answered) are not judged here.
    /// </summary>
    public IReadOnlyList<string> LostWrites(IReadOnlyDictionary<string, int> finalCounts)
    {
        var lost = new List<string>();
        lock (_gate)
        {
            foreach (var (key, record) in _keys)
            {
                if (!finalCounts.TryGetValue(key, out var final))
                {
                    continue; // it never answered: reported as silent
                }
                var highest = record.Counts.Count == 0 ? 0 : record.Counts.Max();
                var repeated = record.Counts.GroupBy(c => c).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
                if (final < highest || final < record.Counts.Count || repeated.Length > 0)
                {
                    lost.Add($"{key}: final count {final}, {record.Counts.Count} acknowledged increments, highest acknowledged count {highest}"
                        + (repeated.Length > 0 ? $", counts acknowledged twice: {string.Join(", ", repeated)}" : ""));
                }
            }
        }
        return lost;
    }

    /// <summary>The figures of the run, one line each.</summary>
    public string Summary(IReadOnlyDictionary<string, int>? finalCounts)
    {
        var text = new StringBuilder();
        lock (_gate)
        {
            var acked = _keys.Values.Sum(k => k.Counts.Count);
            text.AppendLine(CultureInfo.InvariantCulture, $"calls answered: {_answered} ({acked} acknowledged increments), failed with an answer: {_failures.Values.Sum()}, unanswered within the bound: {_unanswered.Count}");
            text.AppendLine(CultureInfo.InvariantCulture, $"slowest answer: {_slowestAnsweredMs / 1000:0.0} s");
            foreach (var (error, count) in _failures.OrderByDescending(f => f.Value))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  failed {count}x: {error}");
            }
            foreach (var (key, record) in _keys.OrderBy(k => k.Key, StringComparer.Ordinal))
            {
                var final = finalCounts is not null && finalCounts.TryGetValue(key, out var f) ? f.ToString(CultureInfo.InvariantCulture) : "?";
                // A key silent since its last answer has a gap that is still open when the chaos ends.
                var gap = _chaosEnded is { } end && end - record.LastAnswer > record.LongestGap ? end - record.LastAnswer : record.LongestGap;
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"  {key}: {record.Counts.Count} acknowledged, {record.Uncertain} uncertain, final {final}, longest time without an answer {gap.TotalSeconds:0.0} s");
            }
            foreach (var unanswered in _unanswered.Take(20))
            {
                text.AppendLine("  unanswered: " + unanswered);
            }
        }
        return text.ToString();
    }

    private void Answered(string key, DateTime at, double elapsedMs)
    {
        _answered++;
        _slowestAnsweredMs = Math.Max(_slowestAnsweredMs, elapsedMs);
        var record = _keys[key];
        var gap = at - record.LastAnswer;
        if (gap > record.LongestGap)
        {
            record.LongestGap = gap;
        }
        if (at > record.LastAnswer)
        {
            record.LastAnswer = at;
        }
    }

    private sealed class KeyRecord
    {
        /// <summary>The counts acknowledged increments returned.</summary>
        public List<int> Counts { get; } = [];

        /// <summary>Calls whose effect is unknown (failed or unanswered increments and reads alike).</summary>
        public int Uncertain { get; set; }

        public DateTime LastAnswer { get; set; }

        public TimeSpan LongestGap { get; set; }
    }
}
