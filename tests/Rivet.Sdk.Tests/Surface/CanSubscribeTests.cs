using System.Threading;
using System.Threading.Tasks;
using Rivet.Sdk.Tests.Connections;
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
}
