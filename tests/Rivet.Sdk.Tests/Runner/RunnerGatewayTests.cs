using System;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Rivet.Hosting.Runner;
using Rivet.Sdk.Tests.Engine;

namespace Rivet.Sdk.Tests.Runner;

/// <summary>A .NET runner on the real engine, called through the gateway as RivetKit's client calls it.</summary>
[Collection("engine")]
public sealed class RunnerGatewayTests(EngineFixture engine) : IAsyncLifetime
{
    private readonly string _pool = "net-" + Guid.NewGuid().ToString("N")[..8];
    private GatewayHttp _gateway = null!;
    private RivetRunner _runner = null!;

    public async Task InitializeAsync()
    {
        _gateway = new GatewayHttp(engine.Endpoint, _pool);
        _runner = await GatewayHttp.StartRunnerAsync(engine.Endpoint, _pool);
    }

    public async Task DisposeAsync()
    {
        await _runner.DisposeAsync();
        _gateway.Dispose();
    }

    private Task<(int Status, string Body)> PostAsync(string actor, string key, string action, string json) =>
        _gateway.PostAsync(actor, key, action, json);

    [Fact]
    public async Task A_json_action_call_through_the_gateway_reaches_the_dotnet_actor_and_its_state_persists()
    {
        var key = "k-" + Guid.NewGuid().ToString("N");
        // The first call creates the actor; a loaded engine may need more than one try to place it.
        Assert.Equal("{\"output\":5}", await _gateway.PostUntilOkAsync("counter", key, "increment", "{\"args\":[5]}", TimeSpan.FromSeconds(60)));
        Assert.Equal((200, "{\"output\":7}"), await PostAsync("counter", key, "increment", "{\"args\":[2]}"));
        Assert.Equal((200, "{\"output\":7}"), await PostAsync("counter", key, "getCount", "{\"args\":[]}"));
    }

    [Fact]
    public async Task The_runner_reports_the_package_version_in_its_metadata()
    {
        // The build writes PackageVersion (what `dotnet pack -p:PackageVersion=…` sets) as assembly metadata.
        var packageVersion = typeof(RivetRunner).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>().Single(a => a.Key == "RivetPackageVersion").Value;
        using var api = new Rivet.Engine.EngineApiClient(engine.Endpoint);
        var envoy = Assert.Single(await api.ListEnvoysAsync(_pool));

        var metadata = envoy.Metadata!.Value;
        Assert.Equal("rivet-dotnet", metadata.GetProperty("sdk").GetString());
        Assert.Equal(packageVersion, metadata.GetProperty("version").GetString());
        Assert.NotEqual(typeof(RivetRunner).Assembly.GetName().Version!.ToString(), packageVersion);
    }

    [Fact]
    public async Task Errors_come_back_in_rivetkits_shape_with_the_right_status()
    {
        var key = "e-" + Guid.NewGuid().ToString("N");
        Assert.Equal("{\"output\":0}", await _gateway.PostUntilOkAsync("counter", key, "increment", "{\"args\":[0]}", TimeSpan.FromSeconds(60)));
        var (status, body) = await PostAsync("counter", key, "nope", "{\"args\":[]}");
        Assert.Equal(404, status);
        using var error = JsonDocument.Parse(body);
        Assert.Equal("actor", error.RootElement.GetProperty("group").GetString());
        Assert.Equal("action_not_found", error.RootElement.GetProperty("code").GetString());

        (status, body) = await PostAsync("counter", key, "increment", "{\"args\":[\"x\"]}");
        Assert.Equal(400, status);
        Assert.Contains("invalid_request", body);

        (status, body) = await PostAsync("counter", key, "increment", "not json");
        Assert.Equal(400, status);
        Assert.Contains("invalid_request", body);

        Assert.Equal((200, "{\"output\":1}"), await PostAsync("counter", key, "increment", "{\"args\":[1]}"));
    }
}
