using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Rivet.Client;

namespace Rivet.Sdk.Tests.ClientConnections;

/// <summary>Collects what a connection delivers (event arguments as JSON text), for the tests to wait on.</summary>
internal sealed class EventProbe
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(60);
    private readonly Channel<string> _received = Channel.CreateUnbounded<string>();
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Add(ReadOnlyMemory<byte> arguments)
    {
        Interlocked.Increment(ref _count);
        _received.Writer.TryWrite(Encoding.UTF8.GetString(arguments.Span));
    }

    /// <summary>The next event's arguments; fails (with <paramref name="what"/>) if none arrives within a minute.</summary>
    public async Task<string> NextAsync(string what)
    {
        try
        {
            return await _received.Reader.ReadAsync().AsTask().WaitAsync(s_wait);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No {what} event arrived within {s_wait.TotalSeconds} s.");
        }
    }

    /// <summary>Everything received and not yet read.</summary>
    public List<string> Drain()
    {
        var items = new List<string>();
        while (_received.Reader.TryRead(out var item))
        {
            items.Add(item);
        }
        return items;
    }
}

/// <summary>Records a connection's status changes.</summary>
internal sealed class StatusProbe
{
    private readonly ConcurrentQueue<ActorConnectionStatus> _seen = new();

    public StatusProbe(ActorConnection connection)
    {
        connection.StatusChanged += _seen.Enqueue;
    }

    public IReadOnlyList<ActorConnectionStatus> Seen => _seen.ToArray();

    /// <summary>Waits until <paramref name="status"/> has been reported after the first <paramref name="after"/>.</summary>
    public Task WaitForAsync(ActorConnectionStatus after, ActorConnectionStatus status, TimeSpan timeout) =>
        Poll.UntilAsync(() =>
        {
            var seen = Seen;
            var start = IndexOf(seen, after, 0);
            return start >= 0 && IndexOf(seen, status, start + 1) >= 0;
        }, timeout, () => $"status {status} after {after}; seen: {string.Join(", ", Seen)}");

    private static int IndexOf(IReadOnlyList<ActorConnectionStatus> seen, ActorConnectionStatus status, int from)
    {
        for (var i = from; i < seen.Count; i++)
        {
            if (seen[i] == status)
            {
                return i;
            }
        }
        return -1;
    }
}

/// <summary>
/// Waits for a condition up to a deadline in wall time (a <see cref="System.Diagnostics.Stopwatch"/>, not the sum of
/// the steps: on a loaded machine each step and each check take longer than planned); the timeout names what it waited for.
/// </summary>
internal static class Poll
{
    /// <summary>Polls <paramref name="condition"/> every 50 ms until it holds; a <see cref="TimeoutException"/> naming <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public static Task UntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> what) =>
        UntilAsync(() => Task.FromResult(condition()), timeout, what, TimeSpan.FromMilliseconds(50));

    /// <summary>As <see cref="UntilAsync(Func{bool}, TimeSpan, Func{string})"/>, for a condition that must be fetched (every 100 ms).</summary>
    public static Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> what) =>
        UntilAsync(condition, timeout, what, TimeSpan.FromMilliseconds(100));

    private static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> what, TimeSpan step)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Gave up after {timeout.TotalSeconds} s waiting for {what()}.");
            }
            await Task.Delay(step);
        }
    }
}

internal static class JsonText
{
    public static ReadOnlyMemory<byte> Bytes(string json) => Encoding.UTF8.GetBytes(json);

    public static string Text(ReadOnlyMemory<byte> json) => Encoding.UTF8.GetString(json.Span);
}
