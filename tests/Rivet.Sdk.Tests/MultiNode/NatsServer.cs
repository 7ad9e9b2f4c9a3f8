using System;
using System.Globalization;
using System.Threading.Tasks;

namespace Rivet.Sdk.Tests.MultiNode;

/// <summary>A private NATS server on a free loopback port (the engine's pubsub between nodes); disposing stops it.</summary>
internal sealed class NatsServer : IAsyncDisposable
{
    private readonly ServiceProcess _process;

    private NatsServer(int port, ServiceProcess process)
    {
        Port = port;
        _process = process;
    }

    /// <summary>The loopback port.</summary>
    public int Port { get; }

    /// <summary>The address the engine's <c>nats.addresses</c> takes.</summary>
    public string Address => $"127.0.0.1:{Port}";

    /// <summary>Starts a server; waits until it is ready.</summary>
    public static async Task<NatsServer> StartAsync()
    {
        var binary = await DebianPackages.NatsServerAsync();
        for (var attempt = 1; ; attempt++)
        {
            var port = ServiceProcess.FreePort();
            var process = ServiceProcess.Start("nats-server", binary, ["-a", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture)]);
            try
            {
                await process.WaitForLineAsync("Server is ready", TimeSpan.FromSeconds(30));
                return new NatsServer(port, process);
            }
            catch (InvalidOperationException) when (attempt < 3 && process.Tail().Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                await process.DisposeAsync();
            }
            catch
            {
                await process.DisposeAsync();
                throw;
            }
        }
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
