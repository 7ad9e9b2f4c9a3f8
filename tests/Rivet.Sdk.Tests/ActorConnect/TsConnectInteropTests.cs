using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Rivet.Hosting.Runner;
using Rivet.Sdk.Tests.Engine;
using Rivet.Sdk.Tests.EngineClient;
using Rivet.Sdk.Tests.Infrastructure;
using Rivet.Sdk.Tests.Runner;

namespace Rivet.Sdk.Tests.ActorConnect;

/// <summary>
/// RivetKit's own TypeScript client (rivetkit 2.3.19, Node 22) holds a <c>/connect</c> connection to a .NET actor
/// hosted by our runner: actions, events, an action error, the actor sleeping and waking under the open connection,
/// and a connection the actor rejects.
/// </summary>
[Collection("engine")]
public sealed class TsConnectInteropTests(EngineFixture engine) : IAsyncLifetime
{
    // One pool for the class's tests (each starts its own runner in it): a fresh pool per test made the engine take
    // a minute or more to place the first actor of the third one.
    private static readonly string s_pool = "ts-connect-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _pool = s_pool;
    private readonly System.Collections.Generic.List<string> _clientLog = [];
    private RivetRunner _runner = null!;

    public async Task InitializeAsync() => _runner = await GatewayHttp.StartRunnerAsync(engine.Endpoint, _pool);

    public async Task DisposeAsync() => await _runner.DisposeAsync();

    [Theory]
    [InlineData("json")]
    [InlineData("cbor")]
    [InlineData("bare")]
    public async Task The_TypeScript_client_keeps_a_connection_to_a_dotnet_actor_through_its_sleep(string encoding)
    {
        var key = $"{encoding}-{Guid.NewGuid():N}";
        // Both rooms exist (and one is locked) before the client starts: a loaded engine can take minutes to place a
        // new actor, longer than the client's own retries.
        using (var http = new GatewayHttp(engine.Endpoint, _pool))
        {
            await http.PostUntilOkAsync("connectRoom", key, "getCount", """{"args":[]}""", TimeSpan.FromMinutes(4));
            await http.PostUntilOkAsync("connectRoom", key + "-locked", "lock", """{"args":[]}""", TimeSpan.FromMinutes(4));
        }
        using var results = await RunClientAsync(encoding, key);
        var r = results.RootElement;

        Assert.Equal(2, Ok(r, "inc2").GetInt32());
        Assert.Equal(5, Ok(r, "inc3").GetInt32());
        var failed = AssertError(r, "fail", "user", "my_code");
        Assert.Equal("Not today", failed.GetProperty("message").GetString());
        Assert.Equal(5, Ok(r, "afterFail").GetInt32()); // an action error leaves the connection open
        Assert.Equal("[2,5]", r.GetProperty("eventsBeforeSleep").GetRawText());
        var connectionId = r.GetProperty("connectionId").GetString();
        Assert.False(string.IsNullOrEmpty(connectionId));
        Assert.Equal(connectionId, Ok(r, "callerId").GetString());

        // Hibernation: the actor slept and woke under the open socket; for the client nothing happened.
        Assert.Equal(6, Ok(r, "incAfterWake").GetInt32());
        Assert.Equal("[2,5,6]", r.GetProperty("eventsAfterWake").GetRawText());
        Assert.Equal(connectionId, r.GetProperty("connectionIdAfterWake").GetString());
        Assert.Equal(connectionId, Ok(r, "callerIdAfterWake").GetString());
        var stats = Ok(r, "stats");
        Assert.Equal(6, stats.GetProperty("count").GetInt32());
        // At least the created start and the wake after the sleep (an idle sleep of its own may add more).
        Assert.True(stats.GetProperty("wakes").GetInt32() >= 2, $"Expected 2 wakes or more: {stats}");
        Assert.True(stats.GetProperty("connects").GetInt32() == 1 && stats.GetProperty("disconnects").GetInt32() == 0,
            $"The connection was restored, not reconnected: expected 1 connect and 0 disconnects, got {stats}");

        // A connection rejected in OnBeforeConnect reaches the client as the actor's error.
        AssertError(r, "rejected", "user", "locked");
        // The client reports it twice, as it does for a RivetKit actor: from the Error frame, then from the 1011 close.
        var connectionErrors = r.GetProperty("rejectedErrors").EnumerateArray().ToList();
        Assert.NotEmpty(connectionErrors);
        Assert.All(connectionErrors, e => Assert.Equal("user.locked", $"{e.GetProperty("group").GetString()}.{e.GetProperty("code").GetString()}"));
        Assert.Equal("The room is locked", connectionErrors[0].GetProperty("message").GetString());
    }

    private static JsonElement Ok(JsonElement results, string name) =>
        results.GetProperty(name).TryGetProperty("ok", out var ok) ? ok : throw new Xunit.Sdk.XunitException($"{name} failed: {results.GetProperty(name)}");

    private static JsonElement AssertError(JsonElement results, string name, string group, string code)
    {
        Assert.True(results.GetProperty(name).TryGetProperty("error", out var error), $"{name} should have failed: {results.GetProperty(name)}");
        Assert.Equal($"{group}.{code}", $"{error.GetProperty("group").GetString()}.{error.GetProperty("code").GetString()}");
        return error;
    }

    /// <summary>Runs the client's connect mode; when it says it is ready, puts the actor to sleep and lets it go on.</summary>
    private async Task<JsonDocument> RunClientAsync(string encoding, string key)
    {
        var script = Path.Combine(RepoPaths.Root, "tests", "interop", "ts-client.mjs");
        var start = new ProcessStartInfo(TsActorFixture.NodePath) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var argument in new[] { script, engine.Endpoint.ToString().TrimEnd('/'), _pool, encoding, key, "connect" })
        {
            start.ArgumentList.Add(argument);
        }
        using var node = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {TsActorFixture.NodePath}.");
        var stderr = node.StandardError.ReadToEndAsync();
        try
        {
            return await DriveAsync(node, stderr);
        }
        catch (TimeoutException ex)
        {
            node.Kill(entireProcessTree: true);
            throw new TimeoutException($"The TypeScript client ({encoding}) hung: {ex.Message}\n{string.Join('\n', _clientLog.TakeLast(80))}\n{await stderr}", ex);
        }
        finally
        {
            if (!node.HasExited)
            {
                node.Kill(entireProcessTree: true);
            }
        }
    }

    private async Task<JsonDocument> DriveAsync(Process node, Task<string> stderr)
    {
        string? line;
        string? actorId = null;
        while ((line = await node.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(4))) is not null)
        {
            _clientLog.Add(line);
            if (line.StartsWith("{\"ready\":", StringComparison.Ordinal))
            {
                actorId = JsonDocument.Parse(line).RootElement.GetProperty("ready").GetString();
                break;
            }
        }
        if (actorId is null)
        {
            throw new InvalidOperationException($"The TypeScript client ended before its connection was ready:\n{await stderr}");
        }

        await SleepAsync(actorId);
        await node.StandardInput.WriteLineAsync("go");
        await node.StandardInput.FlushAsync();

        var output = await node.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromMinutes(2));
        await node.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        if (node.ExitCode != 0)
        {
            throw new InvalidOperationException($"The TypeScript client exited with {node.ExitCode}:\n{output}\n{await stderr}");
        }
        return JsonDocument.Parse(output.TrimEnd().Split('\n')[^1]);
    }

    /// <summary>Asks the engine to put the actor to sleep and waits until it is asleep and stopped here.</summary>
    private async Task SleepAsync(string actorId)
    {
        using var api = engine.CreateClient(timeout: TimeSpan.FromSeconds(30));
        var runningBefore = _runner.RunningActors; // this room and the locked one
        await api.SleepActorAsync(actorId);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while ((await api.GetActorAsync(actorId))?.SleepTs is null || _runner.RunningActors >= runningBefore)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Actor {actorId} did not go to sleep within 60 s.");
            }
            await Task.Delay(200);
        }
    }
}
