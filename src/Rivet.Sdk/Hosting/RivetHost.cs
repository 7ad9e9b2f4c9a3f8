using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rivet.Hosting.Embedded;
using Rivet.Runtime;
using Rivet.Storage;

namespace Rivet.Hosting;

/// <summary>Settings of a <see cref="RivetHost"/>.</summary>
public sealed class RivetHostOptions
{
    /// <summary>The environment variable that overrides <see cref="StoragePath"/>'s default.</summary>
    public const string StoragePathVariable = "RIVET_STORAGE_PATH";

    /// <summary>The actors this host runs. Defaults to <see cref="ActorRegistry.Default"/>, which lists every generated actor of the loaded assemblies.</summary>
    public ActorRegistry? Registry { get; set; }

    /// <summary>
    /// Where actor state is kept. Defaults to a SQLite file at <see cref="StoragePath"/>; pass an
    /// <see cref="InMemoryActorStorage"/> for tests. A storage passed here is not disposed by the host.
    /// </summary>
    public IActorStorage? Storage { get; set; }

    /// <summary>
    /// The SQLite file of the embedded default store, when <see cref="Storage"/> is not set. Defaults to
    /// <c>$RIVET_STORAGE_PATH</c>, else <c>.rivet/actors.db</c> under the current directory.
    /// </summary>
    public string? StoragePath { get; set; }

    /// <summary>Where the host and the actors log. Defaults to no logging.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

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
/// default: actors run in this process, their state in a local SQLite file.
/// </summary>
/// <example>
/// <code>
/// await using var host = await RivetHost.StartAsync();
/// var count = await host.Client.Counter.Get("room-1").Increment(5);
/// </code>
/// </example>
public sealed class RivetHost : IAsyncDisposable
{
    private readonly EmbeddedActorSystem _system;

    private RivetHost(EmbeddedActorSystem system, string? storagePath)
    {
        _system = system;
        StoragePath = storagePath;
    }

    /// <summary>A client for the actors this host runs.</summary>
    public RivetClient Client => _system.Client;

    /// <summary>The SQLite file holding actor state, or <see langword="null"/> when a custom storage is used.</summary>
    public string? StoragePath { get; }

    /// <summary>Starts a host.</summary>
    /// <exception cref="IOException">The storage file cannot be opened.</exception>
    public static Task<RivetHost> StartAsync(RivetHostOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Create(options));
    }

    // Opening the embedded store is synchronous; the async signature leaves room for hosts that connect first.
    internal static RivetHost Create(RivetHostOptions? options)
    {
        options ??= new RivetHostOptions();
        var registry = options.Registry ?? ActorRegistry.Default;
        var loggerFactory = options.LoggerFactory ?? NullLoggerFactory.Instance;
        IActorStorage storage;
        string? path = null;
        var ownsStorage = options.Storage is null;
        if (options.Storage is { } custom)
        {
            storage = custom;
        }
        else
        {
            path = options.ResolveStoragePath();
            storage = new SqliteActorStorage(path);
        }
        var system = new EmbeddedActorSystem(registry, storage, ownsStorage, loggerFactory);
        return new RivetHost(system, path);
    }

    /// <summary>Lets running actions finish, stops the actors and closes the storage.</summary>
    public ValueTask DisposeAsync() => _system.DisposeAsync();
}
