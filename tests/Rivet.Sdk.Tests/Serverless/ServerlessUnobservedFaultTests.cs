using System;
using System.Diagnostics;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using static Rivet.Sdk.Tests.Serverless.ServerlessEndpointTests;
using Rivet.Sdk.Tests.Infrastructure;

namespace Rivet.Sdk.Tests.Serverless;

/// <summary>A connection attempt nobody waits for any more still has its fault read.</summary>
public sealed class ServerlessUnobservedFaultTests
{
    [Fact]
    public async Task A_connect_that_fails_after_its_start_request_gave_up_leaves_no_unobserved_task_exception()
    {
        var unobserved = await UnobservedTaskExceptions.DuringAsync(GiveUpOnAStartAsync);
        Assert.DoesNotContain(unobserved, e => e.ToString().Contains("RivetServerlessOptions.ConnectTimeout", StringComparison.Ordinal));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task GiveUpOnAStartAsync()
    {
        using var engine = new BlackHoleListener();
        await using var app = await ServerlessTestApp.StartAsync(o =>
        {
            Secure(o);
            o.EngineEndpoint = engine.Url;
            o.ConnectTimeout = TimeSpan.FromSeconds(2);
        });
        using var impatient = new HttpClient { Timeout = TimeSpan.FromMilliseconds(300) };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => PostStartAsync(app, ValidStartBody(), token: "right", http: impatient));
        // The attempt goes on without the request, fails at its connect timeout and frees its place.
        var waited = Stopwatch.StartNew();
        while (app.Runtime.ConnectionCount != 0)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), "waited 30 s for the abandoned envoy connection to fail and be forgotten");
            await Task.Delay(50);
        }
    }
}
