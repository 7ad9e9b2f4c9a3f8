using System;
using System.Threading.Tasks;
using Rivet.Sdk.Tests.Behaviour;
using Rivet.Sdk.Tests.Engine;

namespace Rivet.Sdk.Tests.Runner;

/// <summary>
/// A raw request the actor does not answer in time, through the engine: the client's RequestTimeout ends it with a
/// <see cref="TimeoutException"/> naming the request and the actor, from <c>FetchAsync</c> and from the handle's
/// <c>HttpClient</c> alike (whose own <c>HttpClient.Timeout</c> used to cut in first, naming neither).
/// </summary>
[Collection("engine")]
public sealed class RawRequestTimeoutTests(EngineFixture engine)
{
    [Fact]
    public async Task A_raw_request_past_the_clients_request_timeout_fails_naming_the_request_and_the_actor()
    {
        var pool = "rawtimeout-" + Guid.NewGuid().ToString("N")[..8];
        var key = "slow-" + Guid.NewGuid().ToString("N")[..8];
        await using var runner = await GatewayHttp.StartRunnerAsync(engine.Endpoint, pool);
        await using var client = RivetClient.Create(new RivetClientOptions { Endpoint = engine.Endpoint, PoolName = pool, RequestTimeout = TimeSpan.FromSeconds(3) });
        var actor = client.RawPatient.GetOrCreate(key); // ActionTimeout 5 min: only the client's bound ends the wait
        Assert.Equal(0, await actor.GetHits());

        var fetched = await Assert.ThrowsAsync<TimeoutException>(() => actor.Handle.FetchAsync("/wait?via=fetch"));
        Assert.Contains("GET /wait?via=fetch", fetched.Message, StringComparison.Ordinal);
        Assert.Contains(key, fetched.Message, StringComparison.Ordinal);

        using var http = actor.Handle.CreateHttpClient();
        var viaHttpClient = await Assert.ThrowsAsync<TimeoutException>(() => http.GetAsync("/wait?via=httpclient"));
        Assert.Contains("GET /wait?via=httpclient", viaHttpClient.Message, StringComparison.Ordinal);
        Assert.Contains(key, viaHttpClient.Message, StringComparison.Ordinal);
    }
}
