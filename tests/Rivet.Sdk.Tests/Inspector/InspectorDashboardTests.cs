using System;
using System.IO;
using System.Text.Json;
using System.Threading.Tasks;
using Rivet.Hosting.Runner;
using Rivet.Sdk.Tests.Engine;
using Rivet.Sdk.Tests.EngineClient;
using Rivet.Sdk.Tests.Infrastructure;
using Rivet.Sdk.Tests.Runner;

namespace Rivet.Sdk.Tests.Inspector;

/// <summary>
/// The Rivet dashboard served by the real engine (<c>/ui</c>), driven by headless Chromium (Debian's <c>chromium</c>,
/// through <c>playwright-core</c> in <c>tests/interop/dashboard</c>), looks into a .NET actor on our runner: it shows
/// the actor's state, lists its open connection, and calls an action whose result shows up live.
/// </summary>
[Collection("engine")]
public sealed class InspectorDashboardTests(EngineFixture engine) : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);
    private static readonly string s_scriptDir = Path.Combine(RepoPaths.Root, "tests", "interop", "dashboard");
    private readonly string _pool = "dash-" + Guid.NewGuid().ToString("N")[..8];
    private RivetRunner _runner = null!;
    private RivetClient _client = null!;

    public async Task InitializeAsync()
    {
        await DashboardTooling.EnsureAsync(s_scriptDir);
        _runner = await GatewayHttp.StartRunnerAsync(engine.Endpoint, _pool);
        _client = RivetClient.Create(new RivetClientOptions { Endpoint = engine.Endpoint, PoolName = _pool });
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _runner.DisposeAsync();
    }

    [Fact]
    public async Task The_dashboard_shows_a_dotnet_actors_state_and_connections_and_calls_its_action()
    {
        var handle = _client.InspectedCounter.GetOrCreate("dashboard-" + Guid.NewGuid().ToString("N")[..6]);
        Assert.Equal(7, await handle.Increment(7).WaitAsync(Bound));
        var actorId = await handle.ResolveAsync().WaitAsync(Bound);
        // A temporary file, so test runs leave the tree clean; RIVET_DASHBOARD_SCREENSHOT=docs/images/dashboard-dotnet-actor.png
        // refreshes the picture in the docs.
        var screenshot = Path.GetFullPath(Environment.GetEnvironmentVariable("RIVET_DASHBOARD_SCREENSHOT")
            ?? Path.Combine(Path.GetTempPath(), $"rivet-dashboard-{Guid.NewGuid():N}.png"), RepoPaths.Root);
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);

        await using var connection = await handle.Connect().WaitAsync(Bound);
        Assert.NotNull(connection.Connection.ConnectionId);

        try
        {
            using var seen = await RunAsync(engine.Endpoint.ToString().TrimEnd('/'), "default", "inspectedCounter", actorId, screenshot, "increment", "5", "7", "12", connection.Connection.ConnectionId);
            Assert.Contains(connection.Connection.ConnectionId, seen.RootElement.GetProperty("connectionsTab").GetString());
            Assert.Contains("\"count\": 12", seen.RootElement.GetProperty("stateAfter").GetString());
            Assert.Equal(12, await handle.GetCount().WaitAsync(Bound));
        }
        finally
        {
            if (Environment.GetEnvironmentVariable("RIVET_DASHBOARD_SCREENSHOT") is null)
            {
                File.Delete(screenshot);
            }
        }
    }

    private static Task<JsonDocument> RunAsync(params string[] arguments) =>
        NodeScript.RunForJsonAsync(Path.Combine(s_scriptDir, "dashboard.mjs"), arguments, Bound, "The dashboard driver", s_scriptDir);
}
