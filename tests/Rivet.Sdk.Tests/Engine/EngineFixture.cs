using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Rivet.Engine;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Rivet.Sdk.Tests.Engine;

/// <summary>
/// One real Rivet Engine (the pinned 2.3.19 binary from tools/engine) per test collection, on free loopback ports.
/// A start failure fails every test of the collection with the engine's log tail; nothing is skipped. On disposal the
/// engine log is copied to <c>$TMPDIR/rivet-engine-logs/</c> (the newest <see cref="KeptLogs"/> are kept) and the path is
/// printed, since xunit does not tell a fixture whether a test failed.
/// </summary>
public sealed class EngineFixture : IAsyncLifetime
{
    /// <summary>How many engine logs are kept under <see cref="LogArchiveDirectory"/>.</summary>
    public const int KeptLogs = 20;

    private readonly IMessageSink _sink;
    private RivetEngineProcess? _engine;

    public EngineFixture(IMessageSink sink)
    {
        _sink = sink;
    }

    /// <summary>Where engine logs are kept after the tests.</summary>
    public static string LogArchiveDirectory => Path.Combine(Path.GetTempPath(), "rivet-engine-logs");

    /// <summary>The running engine.</summary>
    public RivetEngineProcess Engine => _engine ?? throw new InvalidOperationException("The engine fixture has not started.");

    /// <summary>The engine's public endpoint.</summary>
    public Uri Endpoint => Engine.Endpoint;

    /// <summary>A REST client of the engine for <paramref name="namespace"/>; dispose it.</summary>
    internal EngineApiClient CreateClient(string @namespace = "default", TimeSpan? timeout = null)
        => new(Endpoint, @namespace, Engine.AdminToken, timeout ?? TimeSpan.FromSeconds(15));

    public async Task InitializeAsync()
    {
        _engine = await RivetEngineProcess.StartAsync(new RivetEngineProcessOptions
        {
            StartupTimeout = TimeSpan.FromSeconds(60),
        });
        Report($"Rivet Engine started at {_engine.Endpoint} in {_engine.LastStartDuration.TotalMilliseconds:0} ms (log {_engine.LogPath}).");
        await WaitForRunnerConfigWritesAsync();
    }

    /// <summary>
    /// Restarts the shared engine (its data kept) and, as at the start, returns once a runner config write went through,
    /// so the collection's next tests find it as ready as the first ones did.
    /// </summary>
    public async Task RestartAsync()
    {
        await Engine.RestartAsync();
        await WaitForRunnerConfigWritesAsync();
    }

    /// <summary>
    /// A freshly started engine answers /health and lists the default namespace, yet may still answer a runner config
    /// write with a 500 ("An internal error occurred") for a moment; <c>RivetRunner</c> retries that itself, but tests
    /// that write runner configs through <see cref="EngineApiClient"/> directly would fail. So the collection starts
    /// once one such write went through (a pool of its own, used by no test), within 30 s.
    /// </summary>
    private async Task WaitForRunnerConfigWritesAsync()
    {
        using var api = CreateClient();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await api.UpsertRunnerConfigAsync("fixture-ready", EngineRunnerConfig.ForEnvoys());
                return;
            }
            catch (EngineApiException ex) when (ex.StatusCode is null || (int)ex.StatusCode >= 500)
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"The engine at {Endpoint} still refused a runner config write after 30 s ({attempt} attempts): {ex.Message}", ex);
                }
                Report($"Engine not ready for runner config writes yet (attempt {attempt}): {ex.Message}");
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(200 * attempt, 2000)));
            }
        }
    }

    public async Task DisposeAsync()
    {
        if (_engine is null)
        {
            return;
        }
        await _engine.StopAsync();
        try
        {
            var archived = ArchiveLog(_engine.LogPath);
            Report($"Rivet Engine log kept at {archived}");
        }
        finally
        {
            await _engine.DisposeAsync();
        }
    }

    /// <summary>Copies an engine log to <see cref="LogArchiveDirectory"/> and prunes the oldest beyond <see cref="KeptLogs"/>.</summary>
    public static string ArchiveLog(string logPath)
    {
        Directory.CreateDirectory(LogArchiveDirectory);
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss-fff", CultureInfo.InvariantCulture);
        var target = Path.Combine(LogArchiveDirectory, $"{stamp}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}.log");
        if (File.Exists(logPath))
        {
            File.Copy(logPath, target);
        }
        else
        {
            File.WriteAllText(target, $"(no engine log at {logPath})\n");
        }
        foreach (var old in new DirectoryInfo(LogArchiveDirectory).GetFiles("*.log")
                     .OrderByDescending(f => f.Name, StringComparer.Ordinal)
                     .Skip(KeptLogs))
        {
            try
            {
                old.Delete();
            }
            catch (IOException)
            {
            }
        }
        return target;
    }

    private void Report(string message)
    {
        Console.WriteLine(message);
        _sink.OnMessage(new DiagnosticMessage(message));
    }
}

/// <summary>
/// Where a new engine test goes: here, <c>[Collection(EngineCollection.Name)]</c> with an <see cref="EngineFixture"/>
/// (and <see cref="EngineClient.TsActorFixture"/>) constructor parameter, unless it spends most of its time waiting on
/// one of the engine's own timeouts (then <see cref="EngineWaitCollection"/>). Everything that keeps the CPU busy with a
/// real engine (or builds with dotnet) is in this one collection, so it runs one test at a time: on a 2-core machine
/// two busy engines slow actor placement past the engine's own timeouts. The shared engine and the RivetKit TypeScript
/// actor start once for the collection.
/// </summary>
[CollectionDefinition(Name)]
public sealed class EngineCollection : ICollectionFixture<EngineFixture>, ICollectionFixture<EngineClient.TsActorFixture>
{
    public const string Name = "engine";
}

/// <summary>
/// The second engine collection, with an engine of its own, for tests that mostly WAIT on the engine's own timeouts
/// (a gateway ready timeout, a runner lost threshold, a runner frozen past it): they use little CPU meanwhile, so they
/// run one at a time alongside <see cref="EngineCollection"/> instead of after it, which takes minutes off the suite.
/// A test belongs here only if it idles most of its time and its bounds hold with the busy collection running next to
/// it (run it under two <c>yes &gt; /dev/null</c> burners together with the engine collection to check); anything that
/// keeps the engine or the CPU busy (many actors or sockets, builds, Node scripts) joins <see cref="EngineCollection"/>.
/// Use <c>[Collection(EngineWaitCollection.Name)]</c> and take an <see cref="EngineFixture"/> (this collection's engine)
/// or start an engine per test as <c>RunnerRecoveryTests</c> does.
/// </summary>
[CollectionDefinition(Name)]
public sealed class EngineWaitCollection : ICollectionFixture<EngineFixture>
{
    public const string Name = "engine-waits";
}
