using System;
using System.Linq;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Rivet.Hosting;
using Rivet.Sdk.Tests.Infrastructure;
using Rivet.Storage;

namespace Rivet.Sdk.Tests.Behaviour;

/// <summary>
/// What the log says when a raw socket handler sends a message over 4 MiB: the 1009 close, once. The handler's socket
/// used to break under it, and its failure was logged again as "threw; the socket is closed with 1011". In-process
/// (a hibernatable socket, where the host plays the gateway); the runner's path is covered through the handler's view
/// in <c>HostBehaviourTests.A_raw_socket_message_over_the_limit_from_the_handler_closes_the_socket_with_1009_naming_it</c>.
/// </summary>
public sealed class RawTooLargeLogTests
{
    [Fact]
    public async Task A_handler_message_over_the_limit_is_logged_once_as_the_1009_it_is()
    {
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        await using var host = await RivetHost.StartAsync(new RivetHostOptions
        {
            Storage = new InMemoryActorStorage(),
            ReadEnvironment = false,
            LoggerFactory = loggerFactory,
        });
        var key = "log-" + Guid.NewGuid().ToString("N")[..10];
        var patience = TimeSpan.FromSeconds(60);
        using var bound = new CancellationTokenSource(patience);
        using var socket = await host.Client.RawPatient.GetOrCreate(key).Handle.WebSocketAsync("/feed", bound.Token);

        await socket.SendAsync("big"u8.ToArray(), WebSocketMessageType.Text, true, bound.Token);
        var buffer = new byte[64 * 1024];
        while ((await socket.ReceiveAsync(buffer, bound.Token)).MessageType != WebSocketMessageType.Close)
        {
            // "open", then fragments of the message, then the close
        }
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, socket.CloseStatus);
        await Probe.WaitForAsync(key, "socket:closed 1009 message.outgoing_too_long", patience);

        var lines = logs.Entries.Select(e => e.Text).ToList();
        Assert.Single(lines, l => l.Contains("closing the socket (1009 message.outgoing_too_long)", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("1011", StringComparison.Ordinal));
    }
}
