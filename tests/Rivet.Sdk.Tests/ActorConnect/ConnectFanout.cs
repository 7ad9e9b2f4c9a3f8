using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Protocol.Client;

namespace Rivet.Sdk.Tests.ActorConnect;

/// <summary>
/// Many raw <c>/connect</c> sockets (json) on one actor through the engine's gateway, each subscribed to
/// <c>newCount</c>: what each one received of a series of broadcasts, and how it ended. Works against any actor whose
/// <c>increment(n)</c> broadcasts <c>newCount</c> with the new count and whose <c>getCount</c> answers (our
/// <c>connectRoom</c>, RivetKit's TypeScript <c>counter</c>).
/// </summary>
internal sealed class ConnectFanout : IAsyncDisposable
{
    private readonly List<Subscriber> _subscribers;

    private ConnectFanout(List<Subscriber> subscribers) => _subscribers = subscribers;

    /// <summary>How long opening all the sockets took.</summary>
    public TimeSpan OpenTime { get; private init; }

    /// <summary>
    /// Opens <paramref name="count"/> sockets (a few at a time), subscribes each, and returns once every one has
    /// answered a <c>getCount</c> sent after its subscription (the actor's turn is first come, first served, so the
    /// subscription is registered by then).
    /// </summary>
    public static async Task<ConnectFanout> OpenAsync(Uri endpoint, string pool, string actor, string key, int count, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        var subscribers = new List<Subscriber>(count);
        var abandoned = false;
        using var gate = new SemaphoreSlim(16);
        using var cts = new CancellationTokenSource(timeout);
        var opening = Enumerable.Range(0, count).Select(async i =>
        {
            await gate.WaitAsync(cts.Token);
            try
            {
                var socket = await RawConnectSocket.OpenAsync(endpoint, pool, actor, key, "json", "/connect");
                var subscriber = new Subscriber(i, socket);
                lock (subscribers)
                {
                    if (abandoned)
                    {
                        socket.Abort();
                        socket.Dispose();
                        return;
                    }
                    subscribers.Add(subscriber);
                }
                await subscriber.SubscribeAsync(cts.Token);
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        try
        {
            await Task.WhenAll(opening).WaitAsync(timeout);
        }
        catch (Exception ex)
        {
            List<Subscriber> opened;
            lock (subscribers)
            {
                abandoned = true;
                opened = [.. subscribers];
            }
            var fanout = new ConnectFanout(opened);
            await fanout.DisposeAsync();
            throw new TimeoutException($"Opening and subscribing {count} /connect sockets to {actor}[{key}] did not finish within {timeout.TotalSeconds} s " +
                $"({opening.Count(t => t.IsCompletedSuccessfully)} ready): {ex.GetBaseException().Message}", ex);
        }
        return new ConnectFanout(subscribers) { OpenTime = watch.Elapsed };
    }

    /// <summary>
    /// Waits until every socket received the <paramref name="counts"/> (in order) or was closed, for at most
    /// <paramref name="timeout"/>, and reports what each one got.
    /// </summary>
    public async Task<FanoutReport> WaitAsync(IReadOnlyList<long> counts, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        // With no counts expected, this waits for every socket to close.
        while (watch.Elapsed < timeout && !_subscribers.All(s => s.IsClosed || (counts.Count > 0 && s.Received(counts.Count))))
        {
            await Task.Delay(50);
        }
        return new FanoutReport(_subscribers.Select(s => s.Summarize(counts)).ToList(), watch.Elapsed);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var subscriber in _subscribers)
        {
            await subscriber.DisposeAsync();
        }
    }

    /// <summary>One socket: its events, and its close if it closed.</summary>
    private sealed class Subscriber : IAsyncDisposable
    {
        private readonly ClientWebSocket _socket;
        private readonly List<long> _values = [];
        private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Task _reader;
        private string? _close;

        public Subscriber(int number, ClientWebSocket socket)
        {
            Number = number;
            _socket = socket;
            _reader = Task.Run(ReadAsync);
        }

        public int Number { get; }

        public bool IsClosed => Volatile.Read(ref _close) is not null;

        public bool Received(int count)
        {
            lock (_values)
            {
                return _values.Count >= count;
            }
        }

        public async Task SubscribeAsync(CancellationToken cancellationToken)
        {
            await RawConnectSocket.SendTextAsync(_socket, System.Text.Encoding.UTF8.GetString(ConnectCodec.Encode(ClientEncodingKind.Json, new ConnectSubscriptionRequest("newCount", true))));
            await RawConnectSocket.SendTextAsync(_socket, System.Text.Encoding.UTF8.GetString(ConnectCodec.Encode(ClientEncodingKind.Json, new ConnectActionRequest(0, "getCount", "[]"u8.ToArray()))));
            await _ready.Task.WaitAsync(cancellationToken);
        }

        public SubscriberSummary Summarize(IReadOnlyList<long> expected)
        {
            long[] values;
            lock (_values)
            {
                values = _values.ToArray();
            }
            var missing = expected.Except(values).Count();
            var inOrder = values.SequenceEqual(values.Order());
            return new SubscriberSummary(Number, values.Length, missing, inOrder, Volatile.Read(ref _close));
        }

        private async Task ReadAsync()
        {
            var buffer = new byte[64 * 1024];
            try
            {
                while (true)
                {
                    var length = 0;
                    ValueWebSocketReceiveResult result;
                    do
                    {
                        result = await _socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                        length += result.Count;
                    }
                    while (!result.EndOfMessage);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        Volatile.Write(ref _close, $"{(int?)_socket.CloseStatus} {_socket.CloseStatusDescription}");
                        _ready.TrySetException(new InvalidOperationException($"socket {Number} closed before it was subscribed: {_close}"));
                        return;
                    }
                    switch (ConnectCodec.DecodeToClient(ClientEncodingKind.Json, buffer.AsSpan(0, length)))
                    {
                        case ConnectEvent { Name: "newCount" } e:
                            lock (_values)
                            {
                                _values.Add(JsonDocument.Parse(e.ArgumentsJson).RootElement[0].GetInt64());
                            }
                            break;
                        case ConnectActionResponse:
                            _ready.TrySetResult();
                            break;
                        case ConnectError error:
                            _ready.TrySetException(new InvalidOperationException($"socket {Number}: {error.Group}.{error.Code} {error.Message}"));
                            break;
                    }
                }
            }
            catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
            {
                Volatile.Write(ref _close, $"aborted ({ex.GetType().Name}: {ex.Message})");
                _ready.TrySetException(ex);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_socket.State == WebSocketState.Open)
            {
                try
                {
                    using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", cts.Token);
                }
                catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
                {
                    _socket.Abort();
                }
            }
            _socket.Dispose();
            await _reader.WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}

/// <summary>What one socket of a <see cref="ConnectFanout"/> received: events, how many expected ones it missed, whether it closed.</summary>
internal sealed record SubscriberSummary(int Number, int Events, int Missing, bool InOrder, string? Close)
{
    /// <summary>Missed events on a socket that is still open and was told nothing: the loss a client cannot see.</summary>
    public bool SilentLoss => Missing > 0 && Close is null;
}

/// <summary>The outcome of a series of broadcasts to a <see cref="ConnectFanout"/>.</summary>
internal sealed record FanoutReport(IReadOnlyList<SubscriberSummary> Sockets, TimeSpan Waited)
{
    public int Delivered => Sockets.Sum(s => s.Events);

    public int Missing => Sockets.Sum(s => s.Missing);

    public int Closed => Sockets.Count(s => s.Close is not null);

    public int SilentlyIncomplete => Sockets.Count(s => s.SilentLoss);

    public override string ToString() =>
        $"{Sockets.Count} sockets: {Delivered} events delivered, {Missing} missing, {Closed} closed, {SilentlyIncomplete} open with events missing, " +
        $"{Sockets.Count(s => !s.InOrder)} out of order; waited {Waited.TotalSeconds:0.0} s" +
        string.Concat(Sockets.Where(s => s.Missing > 0 || s.Close is not null).Take(5).Select(s => $"; socket {s.Number}: {s.Events} events, {s.Missing} missing, close '{s.Close}'"));
}
