using System;
using System.Threading.Tasks;
using Rivet.Client;
using Rivet.Engine;
using Rivet.Hosting.Runner;
using Rivet.Sdk.Tests.Engine;
using Rivet.Sdk.Tests.Persistence;
using Rivet.Sdk.Tests.Runner;

namespace Rivet.Sdk.Tests.ClientConnections;

/// <summary>
/// Whole doubles, floats and decimals beyond 2^53 as action arguments and results, through the real engine to this
/// SDK's runner in each encoding: cbor and bare carry them as 64-bit integers, which read back as
/// <c>["$BigInt","…"]</c>.
/// </summary>
[Collection("engine")]
public sealed class WholeFloatingPointCallTests(EngineFixture engine) : IAsyncLifetime
{
    private readonly string _pool = "floats-" + Guid.NewGuid().ToString("N")[..8];
    private RivetRunner _runner = null!;

    public async Task InitializeAsync() => _runner = await GatewayHttp.StartRunnerAsync(engine.Endpoint, _pool);

    public async Task DisposeAsync() => await _runner.DisposeAsync();

    [Theory]
    [InlineData(RivetEncoding.Json)]
    [InlineData(RivetEncoding.Cbor)]
    [InlineData(RivetEncoding.Bare)]
    public async Task Whole_floating_point_arguments_and_results_beyond_two_to_the_53_keep_their_value(RivetEncoding encoding)
    {
        await using var client = RivetClient.Create(new RivetClientOptions { Endpoint = engine.Endpoint, PoolName = _pool, Encoding = encoding, RequestTimeout = TimeSpan.FromSeconds(45) });
        var actor = client.FloatingPointHolder.GetOrCreate("floats-" + Guid.NewGuid().ToString("N")[..8]);

        // A loaded engine can take a while to place a new actor: the first call retries that until it runs.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                Assert.Equal(9007199254740994.0, await actor.Echo(9007199254740994.0));
                break;
            }
            catch (RivetException e) when (attempt < 4 && e.Id is "pegboard.route_resolve_query_timeout" or "guard.actor_ready_timeout")
            {
            }
        }
        Assert.Equal(1e16, await actor.Echo(1e16));
        Assert.Equal(-1e16, await actor.Echo(-1e16));

        await actor.Set(WholeFloatingPointStateTests.Sample());
        WholeFloatingPointStateTests.AssertSample(await actor.Get());
    }
}
