using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Sdk.Tests.Runtime;

namespace Rivet.Sdk.Tests.MultiNode;

/// <summary>
/// Write traffic across a fault: one worker per ledger deposits 1 at a time, each deposit under its own idempotency
/// key and sent again with the same key until the engine acknowledges it, so that every deposit ends acknowledged
/// exactly once (or the worker fails after <see cref="GiveUpAfter"/>). Records the errors callers saw and, after
/// <see cref="MarkFault"/>, when each ledger answered again.
/// </summary>
internal sealed class Traffic(IdemLedgerHandle[] ledgers)
{
    /// <summary>How long one deposit may keep failing before the worker gives up (and the test fails).</summary>
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(120);

    private readonly int[] _acknowledged = new int[ledgers.Length];
    private readonly double[] _recoveredAfter = Enumerable.Repeat(double.NaN, ledgers.Length).ToArray();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentDictionary<string, ErrorSeen> _errors = new();
    private readonly object _gate = new();
    private TaskCompletionSource _progress = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private double _faultAt = double.NaN;

    /// <summary>Runs the workers until <paramref name="stop"/>; a deposit under way is finished (acknowledged) first.</summary>
    public Task Run(CancellationToken stop) => Task.WhenAll(Enumerable.Range(0, ledgers.Length).Select(i => Task.Run(() => WorkAsync(i, stop))));

    /// <summary>The deposits acknowledged on ledger <paramref name="index"/>.</summary>
    public int Acknowledged(int index) => Volatile.Read(ref _acknowledged[index]);

    /// <summary>Notes the moment of the fault (call just before causing it).</summary>
    public void MarkFault()
    {
        lock (_gate)
        {
            _faultAt = _clock.Elapsed.TotalSeconds;
        }
    }

    /// <summary>Waits until <paramref name="count"/> deposits in all are acknowledged.</summary>
    public Task WaitForAcknowledgedAsync(int count, TimeSpan timeout) =>
        WaitUntilAsync(() => _acknowledged.Sum() >= count, timeout, $"{count} acknowledged deposits");

    /// <summary>Waits until every ledger acknowledged a deposit sent after the fault.</summary>
    public Task WaitForEveryActorAfterFaultAsync(TimeSpan timeout) =>
        WaitUntilAsync(() => RecoveryTimes().All(t => !double.IsNaN(t)), timeout, "every actor to acknowledge a deposit sent after the fault");

    /// <summary>Seconds from the fault to each ledger's first acknowledged deposit sent after it (NaN: not yet).</summary>
    public double[] RecoveryTimes()
    {
        lock (_gate)
        {
            return (double[])_recoveredAfter.Clone();
        }
    }

    /// <summary>What happened: acknowledged deposits, recovery times and the errors callers saw (relative to the fault).</summary>
    public string Describe()
    {
        var recovered = RecoveryTimes();
        var done = recovered.Where(t => !double.IsNaN(t)).OrderBy(t => t).ToArray();
        var errors = _errors.IsEmpty
            ? "none"
            : string.Join("; ", _errors.OrderBy(e => e.Value.First).Select(e =>
                $"{e.Key} x{e.Value.Count} from {Since(e.Value.First)} to {Since(e.Value.Last)}"));
        return $"{_acknowledged.Sum()} deposits acknowledged on {ledgers.Length} actors; "
            + (done.Length == 0 ? "no actor answered after the fault" : $"answered again after {done[0]:0.0}..{done[^1]:0.0} s (median {done[done.Length / 2]:0.0} s)")
            + (done.Length < recovered.Length ? $", {recovered.Length - done.Length} not yet" : "")
            + $"; errors seen by callers: {errors}";

        string Since(double at) => double.IsNaN(_faultAt) ? $"{at:0.0} s" : $"{at - _faultAt:+0.0;-0.0} s";
    }

    private async Task WorkAsync(int index, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var handle = ledgers[index].WithIdempotencyKey(Guid.NewGuid().ToString("N"));
            var firstTry = _clock.Elapsed;
            while (true)
            {
                var sentAt = _clock.Elapsed.TotalSeconds;
                try
                {
                    await handle.Deposit(1); // bounded by the client's RequestTimeout
                    Acknowledge(index, sentAt);
                    break;
                }
                catch (Exception e) when (e is RivetException or TimeoutException or HttpRequestException)
                {
                    Record(e);
                    if (_clock.Elapsed - firstTry > GiveUpAfter)
                    {
                        throw new TimeoutException($"A deposit on ledger {index} was not acknowledged within {GiveUpAfter.TotalSeconds:0} s of retries; {Describe()}", e);
                    }
                    await Task.Delay(100, CancellationToken.None); // the same key again: never stop half-way
                }
            }
        }
    }

    private void Acknowledge(int index, double sentAt)
    {
        Interlocked.Increment(ref _acknowledged[index]);
        TaskCompletionSource progress;
        lock (_gate)
        {
            if (!double.IsNaN(_faultAt) && sentAt >= _faultAt && double.IsNaN(_recoveredAfter[index]))
            {
                _recoveredAfter[index] = _clock.Elapsed.TotalSeconds - _faultAt;
            }
            progress = _progress;
            _progress = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        progress.TrySetResult();
    }

    private void Record(Exception e)
    {
        var id = e switch
        {
            RivetException r => r.Id,
            TimeoutException => "timeout",
            _ => e.GetType().Name,
        };
        var at = _clock.Elapsed.TotalSeconds;
        _errors.AddOrUpdate(id, _ => new ErrorSeen(1, at, at), (_, seen) => seen with { Count = seen.Count + 1, Last = at });
    }

    private async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            Task progress;
            lock (_gate)
            {
                progress = _progress.Task;
            }
            if (condition())
            {
                return;
            }
            var left = timeout - deadline.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"Waited {timeout.TotalSeconds:0} s for {what}; {Describe()}");
            }
            await Task.WhenAny(progress, Task.Delay(left));
        }
    }

    private sealed record ErrorSeen(int Count, double First, double Last);
}
