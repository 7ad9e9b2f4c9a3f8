using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging.Abstractions;
using Rivet.Client;
using Rivet.Hosting.Embedded;
using Rivet.Runtime;
using Rivet.Sdk.Tests.ClientConnections;
using Rivet.Sdk.Tests.Connections;
using Rivet.Storage;
using static Rivet.Sdk.Tests.Connections.ConnectionTestHost;

namespace Rivet.Sdk.Tests.Surface;

/// <summary>CanSubscribeAsync: a refused subscription is RivetKit's auth.forbidden and subscribes nothing.</summary>
public sealed class CanSubscribeTests
{
    [Fact]
    public async Task A_refused_subscription_is_forbidden_and_the_connection_gets_only_allowed_events()
    {
        await using var host = new ConnectionTestHost();
        var actor = await host.StartAsync(WithConnectionTypes.Of<GuardedRoom>());
        var output = new RecordingOutput();
        var connection = await actor.ConnectAsync(Open(null), output, CancellationToken.None);

        var refused = await Assert.ThrowsAsync<RivetException>(() => actor.SetSubscriptionAsync(connection, "secret", subscribe: true, CancellationToken.None));
        Assert.Equal(("auth", "forbidden"), (refused.Group, refused.Code));
        Assert.Contains("'secret'", refused.Message);
        await actor.SetSubscriptionAsync(connection, "news", subscribe: true, CancellationToken.None);

        await actor.InvokeAsync("publish", Args(7), CancellationToken.None);
        Assert.Equal(["news [7]"], output.Events);
        Assert.False(connection.IsClosed);
    }

    [Fact]
    public async Task Over_a_client_connection_a_refused_subscription_raises_forbidden_and_the_connection_stays_open()
    {
        await using var system = new EmbeddedActorSystem(new ActorRegistry().Add(WithConnectionTypes.Of<GuardedRoom>()), new InMemoryActorStorage(), ownsStorage: true, NullLoggerFactory.Instance);
        var room = system.Client.GetOrCreate("guardedRoom", ["guarded"]);
        await using var connection = await room.ConnectAsync();
        var refused = new TaskCompletionSource<RivetException>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Error += e => refused.TrySetResult(e);

        var secrets = new EventProbe();
        using var secret = connection.Subscribe("secret", secrets.Add);
        var error = await refused.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(("auth", "forbidden"), (error.Group, error.Code));

        var news = new EventProbe();
        using var subscription = connection.Subscribe("news", news.Add);
        // A call after the subscribe is handled after it (one socket, in order), so the event reaches the subscriber.
        await connection.InvokeRawAsync("publish", JsonText.Bytes("[8]"));
        Assert.Equal("[8]", await news.NextAsync("news"));
        Assert.Equal(ActorConnectionStatus.Open, connection.Status);
        Assert.Equal(0, secrets.Count);
    }
}
