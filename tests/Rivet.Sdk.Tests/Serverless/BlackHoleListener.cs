using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Rivet.Sdk.Tests.Serverless;

/// <summary>
/// A loopback TCP listener that accepts connections, records what each sends first (an HTTP upgrade request, with its
/// <c>Sec-WebSocket-Protocol</c>) and never answers: an attacker's fake engine, or an engine whose network black-holes.
/// </summary>
internal sealed class BlackHoleListener : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<TcpClient> _clients = new();
    private readonly ConcurrentQueue<StringBuilder> _requests = new();
    private int _accepted;

    public BlackHoleListener()
    {
        _listener.Start();
        _ = AcceptLoopAsync();
    }

    public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    /// <summary>How many TCP connections were accepted.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>Everything received so far, all connections together.</summary>
    public string Received
    {
        get
        {
            var all = new StringBuilder();
            foreach (var request in _requests)
            {
                lock (request)
                {
                    all.Append(request).Append('\n');
                }
            }
            return all.ToString();
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            Interlocked.Increment(ref _accepted);
            _clients.Enqueue(client);
            var text = new StringBuilder();
            _requests.Enqueue(text);
            _ = ReadLoopAsync(client, text);
        }
    }

    private async Task ReadLoopAsync(TcpClient client, StringBuilder text)
    {
        var buffer = new byte[4096];
        try
        {
            var stream = client.GetStream();
            int read;
            while ((read = await stream.ReadAsync(buffer, _stop.Token)) > 0)
            {
                lock (text)
                {
                    text.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or System.IO.IOException or ObjectDisposedException or SocketException)
        {
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        foreach (var client in _clients)
        {
            client.Dispose();
        }
        _stop.Dispose();
    }
}
