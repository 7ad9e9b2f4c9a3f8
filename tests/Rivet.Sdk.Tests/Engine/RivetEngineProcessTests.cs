using System;
using System.IO;
using System.Net;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Rivet.Engine;
using Rivet.Sdk.Tests.Infrastructure;

namespace Rivet.Sdk.Tests.Engine;

/// <summary>The engine process helper itself: binary lookup, config, auth, stop and clean-up.</summary>
public sealed class RivetEngineProcessTests
{
    [Fact]
    public void A_missing_binary_fails_with_the_path_tried()
    {
        var path = Path.Combine(Path.GetTempPath(), "no-such-dir-" + Guid.NewGuid().ToString("N"), "rivet-engine");

        var error = Assert.Throws<FileNotFoundException>(() => RivetEngineProcess.LocateBinary(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_installed_binary_is_found_by_searching_upward_from_the_test_directory()
    {
        var found = RivetEngineProcess.LocateBinary();

        Assert.True(File.Exists(found));
        Assert.StartsWith(Path.Combine(RepoPaths.Root, "tools", "engine", "node_modules", "@rivetkit", "engine-cli-"), found, StringComparison.Ordinal);
    }

    [Fact]
    public void Extra_config_is_merged_key_by_key_into_the_generated_config()
    {
        var config = new JsonObject
        {
            ["guard"] = new JsonObject { ["host"] = "127.0.0.1", ["port"] = 1 },
            ["telemetry"] = new JsonObject { ["enabled"] = false },
        };
        var extra = new JsonObject
        {
            ["guard"] = new JsonObject { ["rate_limit"] = new JsonObject { ["requests"] = 10, ["period_ms"] = 1000 } },
            ["features"] = new JsonObject { ["guard_gateway_v3"] = new JsonObject { ["mode"] = "on" } },
        };

        RivetEngineProcess.Merge(config, extra);

        Assert.Equal(
            """{"guard":{"host":"127.0.0.1","port":1,"rate_limit":{"requests":10,"period_ms":1000}},"telemetry":{"enabled":false},"features":{"guard_gateway_v3":{"mode":"on"}}}""",
            config.ToJsonString());
    }

    [Fact]
    public async Task An_engine_with_an_admin_token_and_extra_config_rejects_calls_without_the_token_and_cleans_up_on_dispose()
    {
        string dataDirectory;
        await using (var engine = await RivetEngineProcess.StartAsync(new RivetEngineProcessOptions
        {
            AdminToken = "test-admin-token",
            ExtraConfig = new JsonObject
            {
                ["features"] = new JsonObject { ["guard_gateway_v3"] = new JsonObject { ["mode"] = "on", ["percentage"] = 100 } },
                ["guard"] = new JsonObject { ["rate_limit"] = new JsonObject { ["requests"] = 10000, ["period_ms"] = 1000 } },
            },
        }))
        {
            dataDirectory = engine.DataDirectory;
            using var anonymous = new EngineApiClient(engine.Endpoint);
            using var admin = new EngineApiClient(engine.Endpoint, token: engine.AdminToken);

            var error = await Assert.ThrowsAsync<EngineApiException>(() => anonymous.ListActorNamesAsync());
            var names = await admin.ListActorNamesAsync();
            var config = JsonNode.Parse(await File.ReadAllTextAsync(engine.ConfigPath))!;

            Assert.Equal("api", error.Group);
            Assert.Equal("forbidden", error.Code);
            Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
            Assert.NotNull(names);
            Assert.Equal("on", (string?)config["features"]!["guard_gateway_v3"]!["mode"]);
            Assert.Equal(10000, (int?)config["guard"]!["rate_limit"]!["requests"]);
            Assert.Equal("127.0.0.1", (string?)config["guard"]!["host"]);
            Assert.Equal(engine.GuardPort, (int?)config["guard"]!["port"]);
            Assert.Equal($"http://127.0.0.1:{engine.ApiPeerPort}", (string?)config["topology"]!["datacenters"]!["default"]!["peer_url"]);
            Assert.Contains("rivet-sdk: engine healthy", engine.ReadLogTail(200), StringComparison.Ordinal);
            Assert.True(engine.LastStartDuration < TimeSpan.FromSeconds(60));
        }

        Assert.False(Directory.Exists(dataDirectory));
    }

    [Fact]
    public async Task An_invalid_config_fails_the_start_with_the_engines_own_error()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RivetEngineProcess.StartAsync(new RivetEngineProcessOptions
        {
            ExtraConfig = new JsonObject { ["features"] = new JsonObject { ["no_such_feature"] = true } },
        }));

        Assert.Contains("exited with code", error.Message, StringComparison.Ordinal);
        Assert.Contains("no_such_feature", error.Message, StringComparison.Ordinal);
    }
}
