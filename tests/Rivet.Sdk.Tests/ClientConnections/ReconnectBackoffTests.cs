using System;
using Rivet.Client.Connections;

namespace Rivet.Sdk.Tests.ClientConnections;

public sealed class ReconnectBackoffTests
{
    [Fact]
    public void Delays_start_at_once_then_double_from_250_ms_with_jitter_up_to_30_s()
    {
        var backoff = new ReconnectBackoff();
        Assert.Equal(TimeSpan.Zero, backoff.Next());
        for (var attempt = 1; attempt <= 40; attempt++)
        {
            var full = Math.Min(250 * Math.Pow(2, Math.Min(attempt - 1, 16)), 30_000);
            var delay = backoff.Next().TotalMilliseconds;
            Assert.InRange(delay, full / 2, full);
        }
        Assert.Equal(41, backoff.Attempts);
    }
}
