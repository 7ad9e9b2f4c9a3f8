using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Client;

namespace Rivet.Sdk.Tests.Chaos;

/// <summary>
/// The clients of the chaos test: callers that increment random counters with stateless calls, and held connections
/// that increment their counter over the socket; every outcome goes to the <see cref="ChaosLedger"/>. Calls are never
/// cancelled by the end of the run, only by their own bound, so a call that hangs is seen as one.
/// </summary>
internal sealed class ChaosWorkload : IAsyncDisposable
{
    /// <summary>How long one call may take in all, the client's own retries of undelivered calls included.</summary>
    public static readonly TimeSpan CallBound = TimeSpan.FromSeconds(120);

    /// <summary>
    /// How long one HTTP attempt may wait for the gateway: past its own waits combined (a runner frozen until the
    /// engine's 15 s ping timeout, then up to 30 s for the actor to be ready elsewhere), with room for a busy machine.
    /// </summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(60);

    private static readonly ReadOnlyMemory<byte> s_one = Encoding.UTF8.GetBytes("[1]");

    private readonly RivetClient _client;
    private readonly ChaosLedger _ledger;
    private readonly IReadOnlyList<string> _keys;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private readonly List<HeldConnection> _connections = [];

    private ChaosWorkload(RivetClient client, ChaosLedger ledger, IReadOnlyList<string> keys)
    {
        _client = client;
        _ledger = ledger;
        _keys = keys;
    }

    /// <summary>The held connections.</summary>
    public IReadOnlyList<HeldConnection> Connections => _connections;

    /// <summary>A client of the pool with the chaos bounds.</summary>
    public static RivetClient CreateClient(Uri endpoint, string pool) => RivetClient.Create(new RivetClientOptions
    {
        Endpoint = endpoint,
        PoolName = pool,
        Encoding = RivetEncoding.Json,
        RequestTimeout = RequestTimeout,
    });

    /// <summary>
    /// Creates every counter (first calls, retried until the engine placed them), opens <paramref name="connections"/>
    /// connections to the first keys, then starts <paramref name="callers"/> callers.
    /// </summary>
    public static async Task<ChaosWorkload> StartAsync(Uri endpoint, string pool, IReadOnlyList<string> keys, int callers, int connections, ChaosLedger ledger, int seed)
    {
        var workload = new ChaosWorkload(CreateClient(endpoint, pool), ledger, keys);
        try
        {
            await Task.WhenAll(keys.Select(key => ReadUntilAnsweredAsync(workload._client, key, CallBound)));
            ledger.Begin(DateTime.UtcNow);
            for (var i = 0; i < connections; i++)
            {
                var key = keys[i % keys.Count];
                using var bound = new CancellationTokenSource(CallBound);
                var connection = await workload._client.GetOrCreate("counter", [key]).ConnectAsync(cancellationToken: bound.Token);
                var held = new HeldConnection(key, connection);
                workload._connections.Add(held);
                workload._loops.Add(Task.Run(() => workload.ConnectionLoopAsync(held)));
            }
            for (var i = 0; i < callers; i++)
            {
                var random = new Random(seed + i);
                workload._loops.Add(Task.Run(() => workload.CallerLoopAsync(random)));
            }
        }
        catch
        {
            await workload.DisposeAsync();
            throw;
        }
        return workload;
    }

    /// <summary>Stops starting calls and waits for the calls in flight, each within its bound.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops).WaitAsync(CallBound + TimeSpan.FromSeconds(30));
    }

    /// <summary>
    /// Reads every counter with a fresh client (no remembered actor ids) until each answers or
    /// <paramref name="settle"/> passes. Returns the final counts and, for each key, how long it took to answer.
    /// </summary>
    public static async Task<(Dictionary<string, int> Counts, Dictionary<string, TimeSpan> Recovery, List<string> Silent)> ReadFinalCountsAsync(
        Uri endpoint, string pool, IReadOnlyList<string> keys, TimeSpan settle)
    {
        await using var client = CreateClient(endpoint, pool);
        var counts = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var recovery = new ConcurrentDictionary<string, TimeSpan>(StringComparer.Ordinal);
        var silent = new ConcurrentBag<string>();
        await Task.WhenAll(keys.Select(async key =>
        {
            var watch = Stopwatch.StartNew();
            try
            {
                counts[key] = await ReadUntilAnsweredAsync(client, key, settle);
                recovery[key] = watch.Elapsed;
            }
            catch (TimeoutException e)
            {
                silent.Add(e.Message);
            }
        }));
        return (new Dictionary<string, int>(counts), new Dictionary<string, TimeSpan>(recovery), silent.ToList());
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var held in _connections)
        {
            await held.Connection.DisposeAsync();
        }
        await _client.DisposeAsync();
        _stop.Dispose();
    }

    /// <summary>Calls <c>getCount</c> until it answers, retrying any failure, for at most <paramref name="patience"/>.</summary>
    private static async Task<int> ReadUntilAnsweredAsync(RivetClient client, string key, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        string last = "no attempt";
        while (DateTime.UtcNow < deadline)
        {
            using var bound = new CancellationTokenSource(deadline - DateTime.UtcNow);
            try
            {
                return Count(await client.GetOrCreate("counter", [key]).InvokeRawAsync("getCount", default, bound.Token));
            }
            catch (Exception e) when (e is RivetException or TimeoutException or HttpRequestException or OperationCanceledException)
            {
                last = Describe(e);
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"counter [{key}] did not answer getCount within {patience.TotalSeconds:0} s; last: {last}");
    }

    private async Task CallerLoopAsync(Random random)
    {
        while (!_stop.IsCancellationRequested)
        {
            var key = _keys[random.Next(_keys.Count)];
            await CallAsync(key, "increment (stateless)", token => _client.GetOrCreate("counter", [key]).InvokeRawAsync("increment", s_one, token));
            await PauseAsync(random.Next(20, 150));
        }
    }

    private async Task ConnectionLoopAsync(HeldConnection held)
    {
        while (!_stop.IsCancellationRequested && held.Connection.Status != ActorConnectionStatus.Closed)
        {
            await CallAsync(held.Key, "increment (connection)", token => held.Connection.InvokeRawAsync("increment", s_one, token));
            await PauseAsync(300);
        }
    }

    /// <summary>One increment within <see cref="CallBound"/>, its outcome recorded.</summary>
    private async Task CallAsync(string key, string what, Func<CancellationToken, Task<ReadOnlyMemory<byte>>> call)
    {
        using var bound = new CancellationTokenSource(CallBound);
        var watch = Stopwatch.StartNew();
        try
        {
            var count = Count(await call(bound.Token));
            _ledger.Acknowledged(key, count, DateTime.UtcNow, watch.Elapsed.TotalMilliseconds);
        }
        catch (OperationCanceledException) when (bound.IsCancellationRequested)
        {
            _ledger.Unanswered(key, $"{what} got no answer within {CallBound.TotalSeconds:0} s (started {DateTime.UtcNow - watch.Elapsed:HH:mm:ss.fff})");
        }
        catch (TimeoutException e)
        {
            // The client's per-attempt timeout: the gateway kept the call without answering.
            _ledger.Unanswered(key, $"{what}: {e.Message} (started {DateTime.UtcNow - watch.Elapsed:HH:mm:ss.fff})");
        }
        catch (Exception e) when (e is RivetException or HttpRequestException)
        {
            _ledger.Failed(key, Describe(e), DateTime.UtcNow, watch.Elapsed.TotalMilliseconds);
        }
    }

    private async Task PauseAsync(int milliseconds)
    {
        try
        {
            await Task.Delay(milliseconds, _stop.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static int Count(ReadOnlyMemory<byte> json) => int.Parse(Encoding.UTF8.GetString(json.Span), CultureInfo.InvariantCulture);

    private static string Describe(Exception e) => e switch
    {
        RivetException r => r.Id,
        HttpRequestException h => $"transport: {h.HttpRequestError}",
        _ => e.GetType().Name,
    };

    /// <summary>A connection the workload holds, with every status it went through and every error it was told.</summary>
    internal sealed class HeldConnection
    {
        private readonly ConcurrentQueue<ActorConnectionStatus> _statuses = new();
        private readonly ConcurrentQueue<RivetException> _errors = new();

        public HeldConnection(string key, ActorConnection connection)
        {
            Key = key;
            Connection = connection;
            connection.StatusChanged += _statuses.Enqueue;
            connection.Error += _errors.Enqueue;
        }

        public string Key { get; }

        public ActorConnection Connection { get; }

        /// <summary>How many times it dropped and started reconnecting.</summary>
        public int Reconnects => _statuses.Count(s => s == ActorConnectionStatus.Connecting);

        /// <summary>The errors the connection raised (why it closed, when it did).</summary>
        public IReadOnlyCollection<RivetException> Errors => _errors.ToArray();

        public override string ToString() =>
            $"connection to counter [{Key}]: {Connection.Status}, reconnected {Reconnects} times (statuses {string.Join(" > ", _statuses)}), errors [{string.Join(", ", _errors.Select(e => e.Id))}]";
    }
}
