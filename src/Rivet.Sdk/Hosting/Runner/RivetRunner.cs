using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Rivet.Engine;
using Rivet.Runtime;

namespace Rivet.Hosting.Runner;

/// <summary>
/// Hosts actors on the Rivet Engine as a runner (RivetKit's <c>startRunner()</c>): makes sure the pool has a runner
/// config, keeps a connection to the engine, runs the actors the engine places here, and on shutdown tells the
/// engine, lets it move the actors away, then closes.
/// </summary>
internal sealed partial class RivetRunner : IAsyncDisposable
{
    private readonly RunnerOptions _options;
    private readonly RunnerActorHost _actors;
    private readonly EnvoyClient _envoy;
    private readonly ILogger _logger;
    private RivetClient? _ownedClient;
    private int _stopped;

    private RivetRunner(RunnerOptions options, RunnerActorHost actors, EnvoyClient envoy, ILogger logger)
    {
        _options = options;
        _actors = actors;
        _envoy = envoy;
        _logger = logger;
    }

    /// <summary>The runner's engine connection (for tests and diagnostics).</summary>
    internal EnvoyClient Envoy => _envoy;

    /// <summary>The request-body bytes this runner holds (tests read it to check the body limit holds while bytes arrive).</summary>
    internal Rivet.Hosting.ActorHttp.RequestBodyGauge RequestBodies => _actors.RequestBodies;

    /// <summary>The actors running on this runner now.</summary>
    public int RunningActors => _actors.RunningCount;

    /// <summary>Whether a newer runner with the same key took over.</summary>
    public bool IsEvicted => _envoy.IsEvicted;

    /// <summary>Connects a runner. Its actors call other actors with <paramref name="client"/>; when it is
    /// <see langword="null"/>, the runner creates (and owns) an engine client for the same endpoint, namespace, token and pool.</summary>
    public static async Task<RivetRunner> StartAsync(RunnerOptions options, ActorRegistry registry, ILoggerFactory loggerFactory, RivetClient? client, CancellationToken cancellationToken)
    {
        options.Validate();
        RivetClient? ownedClient = null;
        if (client is null)
        {
            ownedClient = client = RivetClient.Create(options.ToClientOptions());
        }
        try
        {
            return await StartCoreAsync(options, registry, loggerFactory, client, ownedClient, cancellationToken).ConfigureAwait(false);
        }
        catch when (ownedClient is not null)
        {
            await ownedClient.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<RivetRunner> StartCoreAsync(RunnerOptions options, ActorRegistry registry, ILoggerFactory loggerFactory, RivetClient client, RivetClient? ownedClient, CancellationToken cancellationToken)
    {
        var logger = loggerFactory.CreateLogger("Rivet.Runner");
        var names = registry.Definitions.Select(d => d.Name).ToArray();
        if (options.EnsureRunnerConfig)
        {
            await EnsureRunnerConfigAsync(options, logger, cancellationToken).ConfigureAwait(false);
        }
        var actors = new RunnerActorHost(registry, loggerFactory, client, options.ConnectionIdleTimeout);
        var envoy = new EnvoyClient(options, names, actors, logger);
        actors.Attach(envoy);
        var runner = new RivetRunner(options, actors, envoy, logger) { _ownedClient = ownedClient };
        try
        {
            await envoy.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await envoy.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        LogStarted(logger, options.PoolName, options.RunnerKey, names.Length);
        return runner;
    }

    /// <summary>
    /// Creates or updates the pool's runner config (the engine refuses runners of a pool without one). A freshly
    /// started engine can answer 5xx or namespace.not_found for a moment, so those are retried for up to 30 s.
    /// </summary>
    private static async Task EnsureRunnerConfigAsync(RunnerOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        using var api = new EngineApiClient(options.Endpoint!, options.Namespace, options.Token, handler: RunnerFailover.CreateApiHandler(options.AllEndpoints, logger));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await api.UpsertRunnerConfigAsync(options.PoolName, EngineRunnerConfig.ForEnvoys(), cancellationToken: cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (EngineApiException ex) when (IsTransient(ex) && DateTime.UtcNow < deadline)
            {
                LogRunnerConfigRetry(logger, options.PoolName, attempt, ex.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(200 * attempt, 2000)), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    // namespace.not_found included: a freshly started engine creates its default namespace a moment after /health.
    private static bool IsTransient(EngineApiException ex) =>
        ex.StatusCode is null || (int)ex.StatusCode >= 500 || ex.Code == "unreachable" || ex.Id == "namespace.not_found";

    /// <summary>
    /// Graceful shutdown: put every actor here to sleep (each finishes its running action and saves its state; the
    /// next request wakes it on whichever runner is there), tell the engine this runner is stopping so it places
    /// nothing new here, wait for any stragglers (up to <see cref="RunnerOptions.ShutdownTimeout"/> in all), stop what
    /// is left here without the engine (for the actors' longest sleep grace period, at most ShutdownTimeout; an actor
    /// still busy then is abandoned and logged), then close the socket with a close handshake.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }
        if (_envoy.IsConnected)
        {
            _actors.RequestSleepForAll();
            try
            {
                await _actors.WaitForAllStoppedAsync(_options.ShutdownTimeout).WaitAsync(cancellationToken).ConfigureAwait(false);
                await _envoy.SendStoppingAsync().ConfigureAwait(false);
                // Actors placed here just before the engine saw Stopping get "going away" stops; let them finish.
                var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(2);
                while (!_actors.IsIdle && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(50, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (TimeoutException)
            {
                LogDrainTimedOut(_logger, _options.ShutdownTimeout.TotalSeconds, _actors.BusyCount);
            }
            catch (OperationCanceledException)
            {
                LogDrainTimedOut(_logger, _options.ShutdownTimeout.TotalSeconds, _actors.BusyCount);
            }
        }
        // Bounded by the actors' sleep grace period (and ShutdownTimeout): one whose action ignores its token is cut off
        // and logged, not waited for.
        var localStopBound = _actors.LocalStopGrace < _options.ShutdownTimeout ? _actors.LocalStopGrace : _options.ShutdownTimeout;
        await _actors.StopAllLocallyAsync(localStopBound).ConfigureAwait(false);
        await _envoy.CloseAsync().ConfigureAwait(false);
        LogStopped(_logger, _options.RunnerKey);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await _envoy.DisposeAsync().ConfigureAwait(false);
        if (_ownedClient is { } client)
        {
            await client.DisposeAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Runner started in pool {Pool} with key {Key} ({Count} actor types)")]
    private static partial void LogStarted(ILogger logger, string pool, string key, int count);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "The engine did not stop all actors within {Seconds} s; stopping {Remaining} locally (running, starting, or stopping while an action runs)")]
    private static partial void LogDrainTimedOut(ILogger logger, double seconds, int remaining);

    [LoggerMessage(EventId = 303, Level = LogLevel.Warning, Message = "Creating the runner config of pool {Pool} failed (attempt {Attempt}): {Reason}; retrying")]
    private static partial void LogRunnerConfigRetry(ILogger logger, string pool, int attempt, string reason);

    [LoggerMessage(EventId = 302, Level = LogLevel.Information, Message = "Runner {Key} stopped")]
    private static partial void LogStopped(ILogger logger, string key);
}
