using System;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using Rivet.Hosting.Runner;
using Rivet.Sdk.Tests.Engine;
using Rivet.Sdk.Tests.Runner;

namespace Rivet.Sdk.Tests.Diagnostics;

/// <summary>
/// The same spans and instruments through the real engine: the .NET client's trace context crosses the gateway (HTTP
/// and the /connect upgrade) to the runner, and the runner's actor-to-actor call carries it on.
/// </summary>
[Collection("engine")]
public sealed class RunnerTelemetryTests(EngineFixture engine) : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);
    private readonly string _pool = "otel-" + Guid.NewGuid().ToString("N")[..8];
    private readonly TelemetryCapture _telemetry = new();
    private RivetRunner _runner = null!;
    private RivetClient _client = null!;

    public async Task InitializeAsync()
    {
        _runner = await GatewayHttp.StartRunnerAsync(engine.Endpoint, _pool);
        _client = RivetClient.Create(new RivetClientOptions { Endpoint = engine.Endpoint, PoolName = _pool });
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _runner.DisposeAsync();
        _telemetry.Dispose();
    }

    [Fact]
    public async Task A_call_through_the_engine_continues_the_callers_trace_in_the_runner_and_in_the_call_it_makes()
    {
        var (frontKey, backKey) = (Guid.NewGuid().ToString("N"), Guid.NewGuid().ToString("N"));
        Activity root;
        using (root = _telemetry.StartRoot("test"))
        {
            Assert.Equal(5, await _client.TraceFront.GetOrCreate(frontKey).Forward(backKey, 5).WaitAsync(Bound));
        }

        TraceAssertions.ForwardTrace(_telemetry.Trace(root.TraceId), root, frontKey, backKey);

        var names = _telemetry.MetricNames();
        foreach (var name in new[] { "rpc.server.call.duration", "rpc.client.call.duration", "rivet.actor.starts", "rivet.actor.active", "rivet.actor.wake.duration", "rivet.actor.state.save.duration" })
        {
            Assert.Contains(name, names);
        }
        Assert.Contains(_telemetry.Points("rpc.server.call.duration").Select(TelemetryCapture.Tags), t => Equals(t["rpc.method"], "traceBack/add"));
    }

    [Fact]
    public async Task A_connection_through_the_engine_opens_in_the_callers_trace()
    {
        Activity root;
        using (root = _telemetry.StartRoot("test"))
        {
            await using var connection = await _client.TraceFront.GetOrCreate(Guid.NewGuid().ToString("N")).Connect().WaitAsync(Bound);
            await connection.Tick().WaitAsync(Bound);
        }

        var open = TraceAssertions.Single(_telemetry.Trace(root.TraceId), "traceFront/connect", ActivityKind.Server);
        Assert.Equal(root.SpanId, open.ParentSpanId);
        Assert.Contains(_telemetry.AllSpans(), s => s.DisplayName == "traceFront/tick" && s.Links.Any(l => l.Context.SpanId == open.SpanId));
    }
}
