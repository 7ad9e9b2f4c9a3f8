using System;
using System.Buffers;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Rivet.Diagnostics;
using Rivet.Runtime.Lifecycle;
using Rivet.Storage;

namespace Rivet.Runtime;

/// <summary>
/// One running actor, the same on every host: it runs one action at a time (turn-based, no reentrancy), saves
/// the state after every action that changes it and returns the result only once that state is durable (actions that
/// run while a save is in flight share the next one: Persistence/ActorInstance.GroupCommit.cs), and restores the
/// state from before the action when an action throws.
/// </summary>
internal sealed partial class ActorInstance : IAsyncDisposable
{
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly ActorStateStore _store;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ArrayBufferWriter<byte> _resultBuffer = new(256);
    private readonly Utf8JsonWriter _resultWriter;
    private readonly ArrayBufferWriter<byte> _stateBuffer = new(256);
    private readonly Utf8JsonWriter _stateWriter;
    private ReadOnlyMemory<byte> _input;
    private byte[] _savedState = [];
    private IActorHostControl _host = null!;

    private ActorInstance(ActorDefinition definition, string actorId, ActorKey key, Actor actor, ActorStateStore store, ILogger logger)
    {
        Definition = definition;
        ActorId = actorId;
        Key = key;
        Actor = actor;
        _store = store;
        _logger = logger;
        _resultWriter = new Utf8JsonWriter(_resultBuffer);
        _stateWriter = new Utf8JsonWriter(_stateBuffer);
    }

    public ActorDefinition Definition { get; }

    public string ActorId { get; }

    public ActorKey Key { get; }

    public Actor Actor { get; }

    /// <summary>The clock and timers of this actor (idle sleep, schedule, action timeout): the host's
    /// <see cref="Hosting.RivetHostOptions.TimeProvider"/>, a fake one in tests.</summary>
    public TimeProvider Time { get; private init; } = TimeProvider.System;

    /// <summary>The actor's KV store.</summary>
    public IActorKv Kv => _store.Kv;

    /// <summary>The actor's durable schedule (set once its record is loaded).</summary>
    public ActorSchedule Schedule
    {
        get => _schedule;
        private set
        {
            _schedule = value;
            // Visible to the actor as soon as it exists: OnCreate may schedule too (as in RivetKit).
            _context?.AttachSchedule(value);
        }
    }

    private ActorSchedule _schedule = new();
    private ActorContext? _context;
    private bool _existedBefore;

    /// <summary>
    /// Creates the actor object, loads or creates its state, and runs its create/wake hooks. The creation
    /// <paramref name="input"/> (Rivet JSON) is used only the first time the actor starts. Each start creates a new
    /// actor object: its fields are ephemeral, only <c>State</c> and the schedule survive a sleep.
    /// <paramref name="beforeWake"/> runs once the state is loaded, before <c>OnWake</c>: the host re-attaches the
    /// hibernated connections there, so <c>OnWake</c> sees them. <paramref name="time"/> is the actor's clock
    /// (<see cref="TimeProvider.System"/> when null).
    /// </summary>
    public static async Task<ActorInstance> StartAsync(
        ActorDefinition definition, string actorId, ActorKey key, ReadOnlyMemory<byte> input,
        IActorKv kv, ILoggerFactory loggerFactory, RivetClient client, IActorHostControl host, CancellationToken cancellationToken,
        Func<ActorInstance, Task>? beforeWake = null, TimeProvider? time = null, ActorDatabase? database = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        // An actor may be started by a call from another actor's action; its hooks and timers wait on no caller.
        CallChain.Clear();
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var logger = loggerFactory.CreateLogger("Rivet.Actors." + definition.Name);
        var actor = definition.CreateInstance();
        var instance = new ActorInstance(definition, actorId, key, actor, new ActorStateStore(kv), logger) { _host = host, Time = time ?? TimeProvider.System };
        var context = new ActorContext(actorId, definition.Name, key, logger, client, instance._stopping.Token, instance.Time);
        actor.Attach(definition, context);
        actor.Instance = instance;
        instance._context = context;
        context.AttachQueues(new ActorQueues(actor));
        instance._database = database;
        context.AttachDatabase(database);
        try
        {
            await actor.RunOnMigrateAsync(cancellationToken).ConfigureAwait(false);
            var inspectorToken = LoadInspectorTokenAsync(kv, cancellationToken);
            // Both awaited together, so a failure of either is observed.
            await Task.WhenAll(instance.LoadOrCreateAsync(input, cancellationToken), inspectorToken).ConfigureAwait(false);
            instance.InspectorToken = await inspectorToken.ConfigureAwait(false);
            await instance.LoadQueueAsync(cancellationToken).ConfigureAwait(false);
            if (beforeWake is not null)
            {
                await beforeWake(instance).ConfigureAwait(false);
            }
            await actor.RunOnWakeAsync(cancellationToken).ConfigureAwait(false);
            // Whatever OnWake changed (state, schedule, connection states) is kept like an action's changes.
            await instance.PersistTurnAsync("onWake", cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogStartFailed(logger, ex, definition.Name, key, actorId);
            instance.Deactivate();
            await instance.CloseDatabaseAsync().ConfigureAwait(false);
            throw ex as RivetException ?? new RivetException(RivetErrors.ActorGroup, RivetErrors.InitError,
                $"Actor '{definition.Name}' {key} ({actorId}) failed to start: {ex.Message}", innerException: ex) { ActorId = actorId };
        }
        LogStarted(logger, definition.Name, key, actorId);
        instance.Activate();
        RivetMetrics.Started(instance, instance._existedBefore, started);
        instance.StartRunLoop();
        return instance;
    }

    private async Task LoadOrCreateAsync(ReadOnlyMemory<byte> input, CancellationToken cancellationToken)
    {
        var persisted = await _store.LoadAsync(cancellationToken).ConfigureAwait(false);
        if (persisted is { HasInitialized: true } loaded)
        {
            _existedBefore = true;
            _input = loaded.Input;
            Actor.LoadInput(Definition, _input.Span);
            if (Actor.HasState)
            {
                Actor.ReadState(Definition, loaded.State.Span);
            }
            _savedState = loaded.State.ToArray();
            _idempotency = _durableIdempotency = loaded.Idempotency;
            Schedule = new ActorSchedule(Definition, loaded.ScheduledEvents, Time);
            _durableState = _savedState;
            _durableSchedule = Schedule.Current;
            return;
        }

        // First start (or a start whose create hooks failed earlier): create the state, run OnCreate, then mark
        // the actor initialized in the same write as its first state (and anything OnCreate scheduled).
        _input = persisted is { } earlier ? earlier.Input : input;
        Schedule = new ActorSchedule(Definition, persisted?.ScheduledEvents ?? [], Time);
        Actor.CreateInitialState(Definition, _input.Span);
        await Actor.RunOnCreateAsync(cancellationToken).ConfigureAwait(false);
        var state = SerializeState();
        await _store.SaveAsync(new PersistedActorState
        {
            HasInitialized = true,
            Input = _input,
            State = state,
            ScheduledEvents = Schedule.Current,
        }, cancellationToken).ConfigureAwait(false);
        Schedule.Commit();
        _savedState = state.ToArray();
        _durableState = _savedState;
        _durableSchedule = Schedule.Current;
    }

    /// <summary>
    /// Runs one action in this actor's turn and returns its JSON result once the resulting state is durable.
    /// </summary>
    public Task<byte[]> InvokeAsync(string action, ReadOnlyMemory<byte> arguments, CancellationToken cancellationToken) =>
        InvokeAsync(action, arguments, caller: null, cancellationToken);

    /// <summary>
    /// Runs one action in this actor's turn on behalf of <paramref name="caller"/> (the connection that sent it,
    /// <see langword="null"/> for HTTP and internal calls, seen by the action as <c>Caller</c>).
    /// </summary>
    public Task<byte[]> InvokeAsync(string action, ReadOnlyMemory<byte> arguments, Connection? caller, CancellationToken cancellationToken) =>
        InvokeAsync(action, arguments, caller, callers: default, cancellationToken);

    /// <summary>
    /// Runs one action in this actor's turn on behalf of <paramref name="caller"/>, called by the actor-to-actor chain
    /// <paramref name="callers"/> (<see cref="CallChain"/>): a chain that already waits on this actor fails at once with
    /// <c>actor.call_cycle</c>, since the call could never get the turn.
    /// </summary>
    public Task<byte[]> InvokeAsync(string action, ReadOnlyMemory<byte> arguments, Connection? caller, System.Collections.Immutable.ImmutableArray<string> callers, CancellationToken cancellationToken) =>
        InvokeAsync(action, arguments, caller, callers, idempotencyKey: null, cancellationToken);

    /// <summary>
    /// Runs one action as <see cref="InvokeAsync(string, ReadOnlyMemory{byte}, Connection?, System.Collections.Immutable.ImmutableArray{string}, CancellationToken)"/>;
    /// with an <paramref name="idempotencyKey"/>, a key this actor remembers (<see cref="Idempotency"/>) answers the
    /// remembered result without running the action again, and a new key is remembered with the result, in the same
    /// write as the state the action changed.
    /// </summary>
    public Task<byte[]> InvokeAsync(string action, ReadOnlyMemory<byte> arguments, Connection? caller, System.Collections.Immutable.ImmutableArray<string> callers, string? idempotencyKey, CancellationToken cancellationToken) =>
        InvokeAsync(action, arguments, caller, callers, idempotencyKey, origin: default, cancellationToken);

    /// <summary>
    /// Runs one action as the overload without <paramref name="origin"/> does, inside its telemetry
    /// (<see cref="InvocationTelemetry"/>): a server span that continues the caller's trace (<paramref name="origin"/>,
    /// read from the request's W3C headers; <see langword="default"/> continues <see cref="System.Diagnostics.Activity.Current"/>),
    /// the call duration, and a log scope.
    /// </summary>
    public Task<byte[]> InvokeAsync(string action, ReadOnlyMemory<byte> arguments, Connection? caller, System.Collections.Immutable.ImmutableArray<string> callers, string? idempotencyKey, InvocationOrigin origin, CancellationToken cancellationToken) =>
        InvocationTelemetry.IsEnabled(_logger)
            ? InvokeWithTelemetryAsync(action, arguments, caller, callers, idempotencyKey, origin, cancellationToken)
            : InvokeCoreAsync(action, arguments, caller, callers, idempotencyKey, cancellationToken).AsTask();

    /// <summary>As <see cref="InvokeAsync(string, ReadOnlyMemory{byte}, Connection?, System.Collections.Immutable.ImmutableArray{string}, string?, InvocationOrigin, CancellationToken)"/>,
    /// for in-process callers: an action that completes at once (and is durable at once) allocates no task.</summary>
    public ValueTask<byte[]> InvokeValueAsync(string action, ReadOnlyMemory<byte> arguments, Connection? caller, System.Collections.Immutable.ImmutableArray<string> callers, string? idempotencyKey, InvocationOrigin origin, CancellationToken cancellationToken) =>
        InvocationTelemetry.IsEnabled(_logger)
            ? new(InvokeWithTelemetryAsync(action, arguments, caller, callers, idempotencyKey, origin, cancellationToken))
            : InvokeCoreAsync(action, arguments, caller, callers, idempotencyKey, cancellationToken);

    private async Task<byte[]> InvokeWithTelemetryAsync(string action, ReadOnlyMemory<byte> arguments, Connection? caller, System.Collections.Immutable.ImmutableArray<string> callers, string? idempotencyKey, InvocationOrigin origin, CancellationToken cancellationToken)
    {
        if (caller is not null && origin.Link == default)
        {
            // The client protocol carries no trace context per action: actions over a connection link to the span
            // that opened it.
            origin = origin with { Link = caller.OpenedBy };
        }
        // Started here, not in the caller: the span and the log scope live in this call's async flow only.
        using var telemetry = InvocationTelemetry.Start(this, _logger, action, RivetTracing.Invocation.Action, origin);
        try
        {
            return await InvokeCoreAsync(action, arguments, caller, callers, idempotencyKey, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (telemetry is not null)
        {
            telemetry.Fail(ex);
            throw;
        }
    }

    private async ValueTask<byte[]> InvokeCoreAsync(string action, ReadOnlyMemory<byte> arguments, Connection? caller, System.Collections.Immutable.ImmutableArray<string> callers, string? idempotencyKey, CancellationToken cancellationToken)
    {
        CallChain.ThrowIfCycle(callers, ActorId, Definition.Name, Key, action);
        Task durable;
        byte[] result;
        await EnterTurnAsync(cancellationToken).ConfigureAwait(false);
        _caller = caller;
        EnterActionFlow(callers);
        try
        {
            ThrowIfStopped();
            if (idempotencyKey is not null && Idempotency.Find(_idempotency, idempotencyKey) is { } seen)
            {
                result = Repeat(seen, action, idempotencyKey);
                // The first call's answer may still wait for its write: the repeat answers once that is durable too.
                durable = PendingDurability();
            }
            else
            {
                (durable, result) = await RunInTurnAsync(action, arguments, idempotencyKey, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ExitTurn();
        }
        // The turn is free while the write runs: later actions share the next write (group commit).
        if (!durable.IsCompletedSuccessfully)
        {
            await AwaitDurableAsync(durable, action).ConfigureAwait(false);
        }
        return result;
    }

    /// <summary>Runs the action in the turn; returns its result and the completion of its write.</summary>
    private async ValueTask<(Task Durable, byte[] Result)> RunInTurnAsync(string action, ReadOnlyMemory<byte> arguments, string? idempotencyKey, CancellationToken cancellationToken)
    {
        _resultBuffer.ResetWrittenCount();
        _resultWriter.Reset(_resultBuffer);
        // The action's token has one meaning on every host: the caller cancelled (where the transport carries it),
        // the action ran past its ActionTimeout, or the actor is stopping (sleep, destroy, host shutdown).
        var actionToken = TakeActionSource(cancellationToken);
        var timeout = Actor.EffectiveActionTimeout;
        var timed = timeout != Timeout.InfiniteTimeSpan;
        if (timed)
        {
            StartActionTimeout(actionToken, timeout);
        }
        ReadOnlyMemory<byte> output;
        try
        {
            await Definition.DispatchAsync(Actor, action, arguments, _resultWriter, actionToken.Token).ConfigureAwait(false);
            _resultWriter.Flush();
            output = Actor.RunOnBeforeActionResponse(action, _resultBuffer.WrittenMemory);
        }
        catch (Exception ex)
        {
            RestoreSavedState();
            throw Translate(ex, action, cancellationToken, actionToken.IsCancellationRequested);
        }
        finally
        {
            ReturnActionSource(actionToken, cancellationToken, reusable: !timed || EndActionTimeout());
        }
        if (idempotencyKey is not null)
        {
            _idempotency = Idempotency.Remember(_idempotency,
                new IdempotencyEntry(idempotencyKey, action, output.Length <= Idempotency.MaxResultSize ? output.ToArray() : null));
            _idempotencyChanged = true;
        }
        if (_hibernatableCount != 0 && ChangedConnectionStates() is { } changedConnections)
        {
            // Connection records are written once the state they go with is durable, so this turn waits.
            await PersistIfChangedAsync(action, cancellationToken).ConfigureAwait(false);
            await WriteConnectionStatesAsync(changedConnections, action).ConfigureAwait(false);
            return (Task.CompletedTask, output.ToArray());
        }
        var durable = StageIfChanged(action, cancellationToken, deferred: idempotencyKey is null && Actor.EffectiveStateSaveInterval is not null);
        return (durable, output.ToArray());
    }

    private byte[] Repeat(IdempotencyEntry seen, string action, string key)
    {
        if (!string.Equals(seen.Action, action, StringComparison.Ordinal))
        {
            throw new RivetException(RivetErrors.ActorGroup, Idempotency.KeyConflictCode,
                $"Idempotency key '{key}' of actor '{Definition.Name}' {Key} was used for action '{seen.Action}'; it cannot be reused for '{action}'.")
            { ActorId = ActorId };
        }
        LogIdempotentRepeat(_logger, Definition.Name, Key, action, key);
        return seen.Result ?? throw new RivetException(RivetErrors.ActorGroup, Idempotency.ResultNotKeptCode,
            $"Action '{action}' of actor '{Definition.Name}' {Key} already ran with idempotency key '{key}'; it did not run again, but its result "
            + $"was larger than {Idempotency.MaxResultSize} bytes and was not kept.")
        { ActorId = ActorId };
    }

    /// <summary>The error of an action cut short because the actor stopped (RivetKit's <c>actor.aborted</c>).</summary>
    public const string AbortedCode = "aborted";

    /// <summary>The error of an action that ended on its timeout (RivetKit's <c>actor.action_timed_out</c>).</summary>
    public const string ActionTimedOutCode = "action_timed_out";

    private ReadOnlyMemory<byte> SerializeState()
    {
        _stateBuffer.ResetWrittenCount();
        _stateWriter.Reset(_stateBuffer);
        // The generated writer, when the state type has one (docs/performance.md, "Embedded state save, fifth round");
        // else, or when it declines this value, System.Text.Json's metadata path, which also throws the errors.
        if (!Definition.TryWriteState(Actor, _stateWriter))
        {
            _stateBuffer.ResetWrittenCount();
            _stateWriter.Reset(_stateBuffer);
            Actor.WriteState(Definition, _stateWriter);
        }
        _stateWriter.Flush();
        return _stateBuffer.WrittenMemory;
    }

    private void RestoreSavedState()
    {
        if (Actor.HasState)
        {
            Actor.ReadState(Definition, _savedState);
        }
        Schedule.Rollback();
    }

    private Exception Translate(Exception ex, string action, CancellationToken cancellationToken, bool actionTokenFired)
    {
        switch (ex)
        {
            case OperationCanceledException when cancellationToken.IsCancellationRequested:
                return ex;
            case OperationCanceledException when actionTokenFired && _stopping.IsCancellationRequested:
                return new RivetException(RivetErrors.ActorGroup, AbortedCode,
                    $"Actor '{Definition.Name}' {Key} stopped while action '{action}' ran; the action's changes were discarded.", innerException: ex) { ActorId = ActorId };
            case OperationCanceledException when actionTokenFired:
                return new RivetException(RivetErrors.ActorGroup, ActionTimedOutCode,
                    $"Action '{action}' of actor '{Definition.Name}' {Key} ran past its {Actor.EffectiveActionTimeout.TotalSeconds:0.###} s timeout; its changes were discarded.", innerException: ex) { ActorId = ActorId };
            case RivetException rivet:
                if (rivet.Group != RivetErrors.UserGroup)
                {
                    LogActionRejected(_logger, Definition.Name, Key, action, rivet.Id, rivet.Message);
                }
                return rivet;
            default:
                // As in RivetKit, unexpected exceptions reach callers as a generic internal error; the details go to
                // the log (and, in-process, to InnerException).
                LogActionFailed(_logger, ex, Definition.Name, Key, ActorId, action);
                return new RivetException(RivetErrors.ActorGroup, RivetErrors.InternalError, RivetErrors.InternalErrorMessage, innerException: ex) { ActorId = ActorId };
        }
    }

    /// <summary>Waits for the running action, then stops accepting new ones, without running hooks or saving (the
    /// storage may be gone: the host lost its engine). <see cref="StopAsync"/> is the orderly stop.</summary>
    public async ValueTask DisposeAsync()
    {
        Deactivate();
        // The running action's token fires first, so an action that watches it ends now instead of holding the turn
        // (a lost runner waited for it, unbounded); a run loop may hold the turn too (a received message): it ends first.
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (!_runLoop.IsCompleted)
        {
            await WaitForRunLoopAsync().ConfigureAwait(false);
        }
        await _turn.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_stopped)
            {
                return;
            }
            _stopped = true;
            StopActionTimer();
            RivetMetrics.Stopped(this);
            LogStopped(_logger, Definition.Name, Key, ActorId);
        }
        finally
        {
            await CloseDatabaseAsync().ConfigureAwait(false);
            _turn.Release();
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Actor {Name} {Key} ({ActorId}) started")]
    private static partial void LogStarted(ILogger logger, string name, ActorKey key, string actorId);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "Actor {Name} {Key} ({ActorId}) failed to start")]
    private static partial void LogStartFailed(ILogger logger, Exception exception, string name, ActorKey key, string actorId);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "Action {Action} of actor {Name} {Key} ({ActorId}) threw an unexpected exception; the caller receives actor.internal_error")]
    private static partial void LogActionFailed(ILogger logger, Exception exception, string name, ActorKey key, string actorId, string action);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Action {Action} of actor {Name} {Key} was rejected: {ErrorId} {ErrorMessage}")]
    private static partial void LogActionRejected(ILogger logger, string name, ActorKey key, string action, string errorId, string errorMessage);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "Saving the state of actor {Name} {Key} ({ActorId}) after action {Action} failed; the action's changes were discarded")]
    private static partial void LogSaveFailed(ILogger logger, Exception exception, string name, ActorKey key, string actorId, string action);

    [LoggerMessage(EventId = 9, Level = LogLevel.Debug, Message = "Action {Action} of actor {Name} {Key} repeated with idempotency key {IdempotencyKey}: answered the remembered result")]
    private static partial void LogIdempotentRepeat(ILogger logger, string name, ActorKey key, string action, string idempotencyKey);

    [LoggerMessage(EventId = 6, Level = LogLevel.Debug, Message = "Actor {Name} {Key} ({ActorId}) stopped")]
    private static partial void LogStopped(ILogger logger, string name, ActorKey key, string actorId);
}
