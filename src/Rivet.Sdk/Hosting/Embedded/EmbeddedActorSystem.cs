using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Rivet.Client;
using Rivet.Runtime;
using Rivet.Runtime.Lifecycle;
using Rivet.Storage;

namespace Rivet.Hosting.Embedded;

/// <summary>
/// Runs actors in this process: resolves names and keys through the <see cref="EmbeddedDirectory"/>, starts each
/// actor on first use, and serves client calls directly (no network), with state in local storage. Plays the
/// engine's part in the lifecycle too: an idle actor sleeps and the next call wakes it, a destroyed actor is
/// forgotten, and alarms wake sleeping actors for their schedule (see EmbeddedActorSystem.Lifecycle.cs).
/// </summary>
internal sealed partial class EmbeddedActorSystem : IActorTransport, IInProcessActorTransport, IActorHostControl
{
    private readonly ActorRegistry _registry;
    private readonly IActorStorage _storage;
    private readonly bool _ownsStorage;
    private readonly ILoggerFactory _loggerFactory;
    private readonly EmbeddedDirectory _directory;
    private readonly ConcurrentDictionary<string, Lazy<Task<ActorInstance>>> _running = new(StringComparer.Ordinal);
    private readonly ILogger _logger;
    private int _disposed;

    /// <summary>How often a call is retried when it reaches an actor that stopped in between.</summary>
    private const int MaxStoppedRetries = 5;

    public EmbeddedActorSystem(ActorRegistry registry, IActorStorage storage, bool ownsStorage, ILoggerFactory loggerFactory, TimeProvider? time = null)
    {
        Time = time ?? TimeProvider.System;
        _registry = registry;
        _storage = storage;
        _ownsStorage = ownsStorage;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger("Rivet.Embedded");
        _directory = new EmbeddedDirectory(storage, Time);
        Client = new RivetClient(this, ownsTransport: false);
    }

    /// <summary>The clock of this system and its actors: alarms, idle sleep, schedules, timeouts.</summary>
    public TimeProvider Time { get; }

    /// <summary>A client whose calls this system serves.</summary>
    public RivetClient Client { get; }

    public Task<ReadOnlyMemory<byte>> InvokeAsync(ActorQuery query, string action, ReadOnlyMemory<byte> arguments, CancellationToken cancellationToken) =>
        InvokeInProcessAsync(query, action, arguments, cancellationToken).AsTask();

    public ValueTask<ReadOnlyMemory<byte>> InvokeInProcessAsync(ActorQuery query, string action, ReadOnlyMemory<byte> arguments, CancellationToken cancellationToken)
    {
        var callers = CallChain.Current;
        var idempotencyKey = Idempotency.Current;
        return callers.IsEmpty
            ? InvokeAsync(query, action, arguments, callers, idempotencyKey, cancellationToken)
            : InvokeFromActorAsync(query, action, arguments, callers, idempotencyKey, cancellationToken);
    }

    private async ValueTask<ReadOnlyMemory<byte>> InvokeFromActorAsync(ActorQuery query, string action, ReadOnlyMemory<byte> arguments, System.Collections.Immutable.ImmutableArray<string> callers, string? idempotencyKey, CancellationToken cancellationToken)
    {
        // A call from an actor's action is bounded like an engine client's request: that actor takes no other call
        // while it waits.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var timer = Time.CreateTimer(static state => ((CancellationTokenSource)state!).Cancel(), timeout, ActorCallTimeout, Timeout.InfiniteTimeSpan);
        try
        {
            return await InvokeAsync(query, action, arguments, callers, idempotencyKey, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"Action '{action}' of actor {query}, called by actor {callers[^1]}, did not finish within {ActorCallTimeout.TotalSeconds:0.###} s.", e);
        }
    }

    /// <summary>The bound of a call one actor makes to another (the engine client's default request timeout).</summary>
    internal TimeSpan ActorCallTimeout { get; init; } = RivetClientOptions.DefaultRequestTimeout;

    private async ValueTask<ReadOnlyMemory<byte>> InvokeAsync(ActorQuery query, string action, ReadOnlyMemory<byte> arguments, System.Collections.Immutable.ImmutableArray<string> callers, string? idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentException.ThrowIfNullOrEmpty(action);
        for (var attempt = 1; ; attempt++)
        {
            var instance = await GetInstanceAsync(query, cancellationToken).ConfigureAwait(false);
            try
            {
                return await instance.InvokeValueAsync(action, arguments, caller: null, callers, idempotencyKey, origin: default, cancellationToken).ConfigureAwait(false);
            }
            catch (RivetException error) when (ActorInstance.IsStoppedError(error) && attempt < MaxStoppedRetries)
            {
                // The actor went to sleep (or was destroyed) between lookup and call: look it up again, which waits
                // for the stop and wakes a new instance (or reports it gone).
            }
            catch (RivetException error) when (error.GetType() != typeof(RivetException))
            {
                // Callers get what a remote caller would: a plain RivetException with the same group, code, message and
                // metadata, never the actor's own exception object (UserError or a subclass).
                throw new RivetException(error.Group, error.Code, error.Message, error.Metadata, error.InnerException) { ActorId = instance.ActorId };
            }
        }
    }

    public async Task<string> ResolveAsync(ActorQuery query, CancellationToken cancellationToken) =>
        (await ResolveRecordAsync(query, cancellationToken).ConfigureAwait(false)).ActorId;

    public async Task<string> CreateAsync(string name, ActorKey key, ReadOnlyMemory<byte> input, CancellationToken cancellationToken)
    {
        RequireDefinition(name);
        var record = await _directory.CreateAsync(name, key, input, failIfExists: true, cancellationToken).ConfigureAwait(false);
        return record.ActorId;
    }

    async Task<Client.Connections.IActorConnectionChannel> IActorTransport.OpenConnectionAsync(ActorQuery query, ReadOnlyMemory<byte> paramsJson, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var instance = await GetInstanceAsync(query, cancellationToken).ConfigureAwait(false);
        var channel = await EmbeddedConnectionChannel.OpenAsync(instance, paramsJson, cancellationToken).ConfigureAwait(false);
        TrackConnection(instance.ActorId, channel);
        return channel;
    }

    ILoggerFactory IActorTransport.ConnectionLoggerFactory => _loggerFactory;

    private ValueTask<ActorInstance> GetInstanceAsync(ActorQuery query, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        // Fastest path: the instance this query reached last still serves (a stopping one was marked before it left
        // the running set, so this finds nothing a lookup would not).
        if (query.InProcessInstance is { } last && last.IsServing(this))
        {
            return new(last);
        }
        return LookUpInstanceAsync(query, cancellationToken);
    }

    private async ValueTask<ActorInstance> LookUpInstanceAsync(ActorQuery query, CancellationToken cancellationToken)
    {
        var instance = await FindInstanceAsync(query, cancellationToken).ConfigureAwait(false);
        query.InProcessInstance = instance;
        return instance;
    }

    private async ValueTask<ActorInstance> FindInstanceAsync(ActorQuery query, CancellationToken cancellationToken)
    {
        // Fast path: a running actor addressed by id.
        if (query.ActorId is { } knownId && TryGetRunning(knownId, out var runningById))
        {
            return runningById;
        }
        var record = await ResolveRecordAsync(query, cancellationToken).ConfigureAwait(false);
        // Fast path: a running actor addressed by key. The start path below allocates a closure per call.
        if (TryGetRunning(record.ActorId, out var running))
        {
            return running;
        }
        try
        {
            return await StartOrJoinAsync(record, cancellationToken).ConfigureAwait(false);
        }
        catch (RivetException ex) when (query.Kind == ActorQueryKind.GetOrCreate && ex.Code == RivetErrors.NotFound)
        {
            // The key resolved to an actor whose destroy finished meanwhile: the key is free now, so this creates a
            // new actor, as a get-or-create right after the destroy would.
            record = await ResolveRecordAsync(query, cancellationToken).ConfigureAwait(false);
            return await StartOrJoinAsync(record, cancellationToken).ConfigureAwait(false);
        }
    }

    private bool TryGetRunning(string actorId, out ActorInstance instance)
    {
        if (_running.TryGetValue(actorId, out var lazy) && lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully)
        {
            instance = lazy.Value.Result;
            return true;
        }
        instance = null!;
        return false;
    }

    private async Task<ActorInstance> StartOrJoinAsync(EmbeddedActorRecord record, CancellationToken cancellationToken)
    {
        var lazy = _running.GetOrAdd(record.ActorId, id => new Lazy<Task<ActorInstance>>(() => StartAsync(record)));
        try
        {
            // A caller giving up does not cancel the start other callers may be waiting for.
            return await lazy.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch when (lazy.Value.IsFaulted)
        {
            _running.TryRemove(new(record.ActorId, lazy));
            throw;
        }
    }

    private async Task<ActorInstance> StartAsync(EmbeddedActorRecord record)
    {
        // A stopping generation saves its state first; a destroyed actor is gone once its stop completes.
        await WaitForStopAsync(record.ActorId).ConfigureAwait(false);
        if (await _directory.FindByIdAsync(record.ActorId, CancellationToken.None).ConfigureAwait(false) is null)
        {
            throw new RivetException(RivetErrors.ActorGroup, RivetErrors.NotFound, $"Actor '{record.Name}' {record.Key} ({record.ActorId}) was destroyed.") { ActorId = record.ActorId };
        }
        return await ActorInstance.StartAsync(RequireDefinition(record.Name), record.ActorId, record.Key, record.Input,
            _storage.ForActor(record.ActorId), _loggerFactory, Client, this, CancellationToken.None, time: Time,
            database: _storage is Database.IActorDatabaseStorage databases ? new ActorDatabase(databases.OpenDatabase(record.ActorId)) : null).ConfigureAwait(false);
    }

    private async ValueTask<EmbeddedActorRecord> ResolveRecordAsync(ActorQuery query, CancellationToken cancellationToken)
    {
        RequireDefinition(query.Name);
        switch (query.Kind)
        {
            case ActorQueryKind.ForId:
                var byId = await _directory.FindByIdAsync(query.ActorId!, cancellationToken).ConfigureAwait(false);
                if (byId is null || byId.Name != query.Name)
                {
                    throw new RivetException(RivetErrors.ActorGroup, RivetErrors.NotFound, $"No actor named '{query.Name}' has id '{query.ActorId}'.");
                }
                return byId;
            case ActorQueryKind.Get:
                return await _directory.FindAsync(query.Name, query.Key, cancellationToken).ConfigureAwait(false)
                    ?? throw new RivetException(RivetErrors.ActorGroup, RivetErrors.NotFound,
                        $"No actor named '{query.Name}' with key {query.Key} exists; use GetOrCreate or Create to create it.");
            default:
                return await _directory.FindAsync(query.Name, query.Key, cancellationToken).ConfigureAwait(false)
                    ?? await _directory.CreateAsync(query.Name, query.Key, query.Input, failIfExists: false, cancellationToken).ConfigureAwait(false);
        }
    }

    private ActorDefinition RequireDefinition(string name)
    {
        if (_registry.TryGet(name, out var definition))
        {
            return definition;
        }
        var known = string.Join(", ", _registry.Definitions.Select(d => d.Name));
        throw new RivetException(RivetErrors.ActorGroup, RivetErrors.NotFound,
            $"No actor named '{name}' is registered with this host (registered: {(known.Length == 0 ? "none" : known)}).");
    }

    /// <summary>
    /// Lets running actions finish, puts every actor to sleep (<c>OnSleepAsync</c>, state saved), and closes the
    /// storage if this system owns it. Alarms stay stored: the next host wakes those actors.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        StopAlarmTimers();
        var stops = _running.Values
            .Where(l => l.IsValueCreated)
            .Select(async l =>
            {
                ActorInstance instance;
                try
                {
                    instance = await l.Value.ConfigureAwait(false);
                }
                catch (Exception) when (l.Value.IsFaulted)
                {
                    return; // it never started; nothing to stop
                }
                try
                {
                    await instance.StopAsync(ActorStopReason.Shutdown, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    LogStopFailed(_logger, ex, instance.Definition.Name, instance.ActorId, ActorStopReason.Shutdown);
                }
            });
        await Task.WhenAll(stops).ConfigureAwait(false);
        await WaitForAllStopsAsync().ConfigureAwait(false);
        await FlushAlarmWritesAsync().ConfigureAwait(false);
        _running.Clear();
        if (_ownsStorage)
        {
            await _storage.DisposeAsync().ConfigureAwait(false);
        }
    }
}
