using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rivet.Client.Engine;
using Rivet.Hosting.Embedded;
using Rivet.Hosting.Runner;
using Rivet.Runtime;
using Rivet.Storage;

namespace Rivet.Hosting;

/// <summary>Where a <see cref="RivetHost"/> runs its actors.</summary>
public enum RivetHostMode
{
    /// <summary>In this process, with state in a local store (no engine).</summary>
    Embedded,
    /// <summary>On the Rivet Engine, as a runner: the engine places actors here and stores their state.</summary>
    Runner,
}

/// <summary>Settings of a <see cref="RivetHost"/>.</summary>
public sealed class RivetHostOptions
{
    /// <summary>The environment variable that overrides <see cref="StoragePath"/>'s default.</summary>
    public const string StoragePathVariable = "RIVET_STORAGE_PATH";

    /// <summary>The actors this host runs. Defaults to <see cref="ActorRegistry.Default"/>, which lists every generated actor of the loaded assemblies.</summary>
    public ActorRegistry? Registry { get; set; }

    /// <summary>
    /// Runner settings. When they name an engine endpoint — or, with <see cref="Runner"/> unset, when
    /// <c>RIVET_ENDPOINT</c> is set — the host runs its actors on the engine as a runner instead of in-process.
    /// </summary>
    public RunnerOptions? Runner { get; set; }

    /// <summary>Whether <c>RIVET_*</c> environment variables may select the engine when <see cref="Runner"/> is unset (default true).</summary>
    public bool ReadEnvironment { get; set; } = true;

    /// <summary>
    /// Where actor state is kept in embedded mode. Defaults to a SQLite file at <see cref="StoragePath"/>; pass an
    /// <see cref="InMemoryActorStorage"/> for tests. A storage passed here is not disposed by the host.
    /// </summary>
    public IActorStorage? Storage { get; set; }

    /// <summary>
    /// The SQLite file of the embedded default store, when <see cref="Storage"/> is not set. Defaults to
    /// <c>$RIVET_STORAGE_PATH</c>, else <c>.rivet/actors.db</c> under the current directory.
    /// </summary>
    public string? StoragePath { get; set; }

    /// <summary>
    /// The clock the runtime reads and creates timers through (cron jobs' next runs so far). Defaults to
    /// <see cref="TimeProvider.System"/>; tests may pass a virtual one.
    /// </summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Where the host and the actors log. Defaults to no logging.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    internal RunnerOptions? ResolveRunner() =>
        Runner is { Endpoint: not null } explicitRunner ? explicitRunner
        : Runner is null && ReadEnvironment && !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("RIVET_ENDPOINT")) ? RunnerOptions.FromEnvironment()
        : null;

    internal string ResolveStoragePath()
    {
        if (!string.IsNullOrEmpty(StoragePath))
        {
            return StoragePath;
        }
        var fromEnvironment = Environment.GetEnvironmentVariable(StoragePathVariable);
        return string.IsNullOrEmpty(fromEnvironment) ? Path.Combine(Environment.CurrentDirectory, ".rivet", "actors.db") : fromEnvironment;
    }
}

/// <summary>
/// Runs actors and gives a <see cref="Client"/> to call them. With no engine configured it is the embedded
/// default: actors run in this process, their state in a local SQLite file. With an engine endpoint
/// (<see cref="RivetHostOptions.Runner"/> or <c>RIVET_ENDPOINT</c>) it is a runner on the Rivet Engine.
/// </summary>
/// <example>
/// <code>
/// await using var host = await RivetHost.StartAsync();
/// var count = await host.Client.Counter.Get("room-1").Increment(5);
/// </code>
/// </example>
public sealed class RivetHost : IAsyncDisposable
{
    private readonly RivetHostOptions _options;
    private readonly ActorRegistry _registry;
    private readonly ILoggerFactory _loggerFactory;
    private readonly EmbeddedActorSystem? _embedded;
    private readonly RunnerOptions? _runnerOptions;
    private RivetRunner? _runner;
    private int _embeddedStarted;
    private int _disposed;

    private RivetHost(RivetHostOptions options)
    {
        _options = options;
        _registry = options.Registry ?? ActorRegistry.Default;
        _loggerFactory = options.LoggerFactory ?? NullLoggerFactory.Instance;
        _runnerOptions = options.ResolveRunner();
        if (_runnerOptions is { } runner)
        {
            Mode = RivetHostMode.Runner;
            Client = RivetClient.Create(new RivetClientOptions
            {
                Endpoint = runner.Endpoint!,
                Token = runner.Token,
                Namespace = runner.Namespace,
                PoolName = runner.PoolName,
            });
            return;
        }
        Mode = RivetHostMode.Embedded;
        IActorStorage storage;
        if (options.Storage is { } custom)
        {
            storage = custom;
        }
        else
        {
            StoragePath = options.ResolveStoragePath();
            storage = new SqliteActorStorage(StoragePath);
        }
        _embedded = new EmbeddedActorSystem(_registry, storage, ownsStorage: options.Storage is null, _loggerFactory, options.TimeProvider);
        Client = _embedded.Client;
    }

    /// <summary>Where the actors run.</summary>
    public RivetHostMode Mode { get; }

    /// <summary>A client for the actors (in runner mode it calls them through the engine, like any other client).</summary>
    public RivetClient Client { get; }

    /// <summary>The SQLite file holding actor state in embedded mode, or <see langword="null"/>.</summary>
    public string? StoragePath { get; }

    /// <summary>The engine endpoint in runner mode, or <see langword="null"/>.</summary>
    public Uri? Endpoint => _runnerOptions?.Endpoint;

    /// <summary>Starts a host: embedded, or connected to the engine as a runner.</summary>
    /// <exception cref="IOException">The embedded store cannot be opened.</exception>
    public static async Task<RivetHost> StartAsync(RivetHostOptions? options = null, CancellationToken cancellationToken = default)
    {
        var host = Create(options);
        try
        {
            await host.StartCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return host;
    }

    internal static RivetHost Create(RivetHostOptions? options) => new(options ?? new RivetHostOptions());

    internal async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        if (_runnerOptions is { } runner && _runner is null)
        {
            _runner = await RivetRunner.StartAsync(runner, _registry, _loggerFactory, Client, cancellationToken).ConfigureAwait(false);
        }
        if (_embedded is { } embedded && Interlocked.Exchange(ref _embeddedStarted, 1) == 0)
        {
            // Schedules of actors that slept when the last host stopped: their alarms wake them.
            await embedded.StartAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Stops the host. Running actions finish first; a runner tells the engine it is stopping and waits while the
    /// engine moves its actors away (each saves its state) before closing.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        if (_runner is { } runner)
        {
            await runner.DisposeAsync().ConfigureAwait(false);
        }
        if (_embedded is { } embedded)
        {
            await embedded.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            await Client.DisposeAsync().ConfigureAwait(false);
        }
    }
}
