using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Rivet.Client;
using Rivet.Hosting.Embedded;
using Rivet.Runtime;
using Rivet.Sdk.Tests.Connections;
using Rivet.Sdk.Tests.Infrastructure;
using Rivet.Storage;

namespace Rivet.Sdk.Tests.ClientConnections;

/// <summary>Disposing a connection is a normal end: nothing it still had queued to send is reported as a broken socket.</summary>
public sealed class ConnectionDisposeTests
{
    [Fact]
    public async Task Disposing_right_after_unsubscribing_logs_no_send_failure()
    {
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        await using var system = new EmbeddedActorSystem(new ActorRegistry().Add(ConnectionTestHost.Room), new InMemoryActorStorage(), ownsStorage: true, loggerFactory);
        var room = system.Client.GetOrCreate("connRoom", ["dispose"]);

        // As an app ends: its `using` subscriptions are disposed (each queues an unsubscribe), then the connection.
        // Several rounds, since the writer sending the unsubscribes races the close.
        for (var round = 0; round < 20; round++)
        {
            var connection = await room.ConnectAsync(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new RoomParams("ann"), ConnectionTestJson.Default.RoomParams));
            var subscriptions = new[] { "newCount", "a", "b", "c" }.Select(name => connection.Subscribe(name, _ => { })).ToList();
            subscriptions.ForEach(s => s.Dispose());
            await connection.DisposeAsync();
            Assert.Equal(ActorConnectionStatus.Closed, connection.Status);
        }

        var warnings = logs.Entries.Where(e => e.Level >= LogLevel.Warning).Select(e => e.Text).ToList();
        Assert.True(warnings.Count == 0, "A disposed connection logged: " + string.Join("\n", warnings));
    }
}
