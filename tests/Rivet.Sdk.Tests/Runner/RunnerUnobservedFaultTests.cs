using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging.Abstractions;
using Rivet.Hosting.Runner;
using Rivet.Runtime;
using Rivet.Sdk.Tests.Infrastructure;

namespace Rivet.Sdk.Tests.Runner;

/// <summary>Faults nobody awaits must still be read: an unobserved task exception is a fault nobody saw.</summary>
public sealed class RunnerUnobservedFaultTests
{
    [Fact]
    public async Task A_runner_that_never_connects_leaves_no_unobserved_task_exception()
    {
        var unobserved = await UnobservedTaskExceptions.DuringAsync(StartAgainstNothingAsync);
        Assert.DoesNotContain(unobserved, e => e.ToString().Contains("before it connected", StringComparison.Ordinal));
    }

    /// <summary>A runner whose engine is not there, given up by its caller after 2 s.</summary>
    private static async Task StartAgainstNothingAsync()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // a free port nothing listens on
        var options = new RunnerOptions
        {
            Endpoint = new Uri($"http://127.0.0.1:{port}"),
            PoolName = "nowhere",
            EnsureRunnerConfig = false,
            ReconnectDelay = TimeSpan.FromMilliseconds(100),
        };
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            RivetRunner.StartAsync(options, ActorRegistry.Default, NullLoggerFactory.Instance, client: null, giveUp.Token));
    }
}
