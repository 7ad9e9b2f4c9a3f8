using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Runtime;

namespace Rivet;

/// <summary>
/// Base class of every actor. Derive from <see cref="Actor{TState}"/> for an actor with durable state, or from
/// this class for a stateless one, and mark the <c>partial</c> class with <see cref="ActorAttribute"/>.
/// </summary>
/// <remarks>
/// <para>An actor instance handles one action at a time: its members need no locking.</para>
/// <para>Fields of the actor class are ephemeral (RivetKit's <c>vars</c>): every start — the first creation and
/// every wake after a sleep or a host restart — creates a new object, so fields start from their initializers and
/// <see cref="OnWakeAsync"/> is the place to set them up. Only <c>State</c> and the schedule are durable.</para>
/// </remarks>
public abstract partial class Actor
{
    private ActorContext? _context;

    /// <summary>The running actor's identity, logger and client. Available in actions and lifecycle hooks.</summary>
    protected ActorContext Context => _context ?? throw new InvalidOperationException(
        $"Actor '{GetType().FullName}' is not running: its Context is only available inside actions and lifecycle hooks.");

    /// <summary>Runs once, the first time this actor (name + key) is created, after its state was created.</summary>
    protected virtual ValueTask OnCreateAsync(CancellationToken cancellationToken) => default;

    /// <summary>Runs every time the actor starts (first creation and every later wake), before its first action.</summary>
    protected virtual ValueTask OnWakeAsync(CancellationToken cancellationToken) => default;

    /// <summary>
    /// Runs before the actor goes to sleep (idle for <see cref="SleepTimeout"/>, <see cref="Sleep"/>, or the host
    /// stopping); its state is saved afterwards. The next request wakes it as a new object (<see cref="OnWakeAsync"/>).
    /// </summary>
    protected virtual ValueTask OnSleepAsync(CancellationToken cancellationToken) => default;

    /// <summary>Runs once when the actor is destroyed (<see cref="Destroy"/>, or deleted through the engine), before its storage is deleted.</summary>
    protected virtual ValueTask OnDestroyAsync(CancellationToken cancellationToken) => default;

    /// <summary>Runs when a client connection was accepted (after <see cref="IConnectionParams{TParams}.OnBeforeConnectAsync"/>
    /// and the connection state were created), before the client receives its <c>Init</c>.</summary>
    protected virtual ValueTask OnConnectAsync(Connection connection, CancellationToken cancellationToken) => default;

    /// <summary>Runs when a connection closed (client closed it, it dropped for good, or <see cref="Connection.Disconnect"/>).</summary>
    protected virtual ValueTask OnDisconnectAsync(Connection connection, CancellationToken cancellationToken) => default;

    /// <summary>
    /// How long the actor may stay idle (no action running, no connection open except hibernatable engine connections,
    /// which stay open at the gateway while it sleeps) before it goes to sleep. Default 30
    /// seconds, as in RivetKit; <see cref="Timeout.InfiniteTimeSpan"/> keeps it awake until its host stops.
    /// </summary>
    protected virtual TimeSpan SleepTimeout => DefaultSleepTimeout;

    /// <summary>The default <see cref="SleepTimeout"/>: 30 seconds.</summary>
    public static readonly TimeSpan DefaultSleepTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long one action may run before its <see cref="CancellationToken"/> fires; an action that then ends by throwing
    /// <see cref="OperationCanceledException"/> fails with <c>actor.action_timed_out</c> and its changes are discarded.
    /// Default 60 seconds, RivetKit's <c>actionTimeout</c>; <see cref="Timeout.InfiniteTimeSpan"/> for no limit. The
    /// token is cooperative: an action that ignores it runs to its end (and the actor takes no other call meanwhile).
    /// </summary>
    protected virtual TimeSpan ActionTimeout => DefaultActionTimeout;

    /// <summary>The default <see cref="ActionTimeout"/>: 60 seconds.</summary>
    public static readonly TimeSpan DefaultActionTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Opt-in throttled saving, RivetKit's <c>stateSaveInterval</c>: when set, an action's caller gets its answer
    /// without waiting for the state to be durable, and the state is written at most once per interval (plus at
    /// sleep and at stop). Default <see langword="null"/>: every action's changes are durable before its caller hears
    /// back. What a throttled actor can lose: the changes of actions answered within the last interval, when its
    /// process dies (crash, kill, power loss) before the next write, or when that write fails (the state then goes back
    /// to the last durable one). Hooks, scheduled actions, idempotency keys and connection-state changes are still
    /// saved before they count as done. See docs/persistence.md.
    /// </summary>
    protected virtual TimeSpan? StateSaveInterval => null;

    /// <summary>The open client connections.</summary>
    protected IReadOnlyCollection<Connection> Connections => RequireInstance().ConnectionList;

    /// <summary>
    /// The connection that sent the running action, or <see langword="null"/> when it came without one (a stateless
    /// HTTP call, a scheduled action) or outside an action (lifecycle hooks receive their connection as an argument).
    /// </summary>
    protected Connection? Caller => Instance?.CurrentCaller;

    /// <summary>Puts the actor to sleep once the current action completes; the next request wakes it.</summary>
    protected void Sleep() => RequireInstance().RequestSleep();

    /// <summary>
    /// Destroys the actor once the current action completes: <see cref="OnDestroyAsync"/> runs, its state and
    /// schedule are deleted, and its key can be used to create a new actor.
    /// </summary>
    protected void Destroy() => RequireInstance().RequestDestroy();

    /// <summary>Sends the event <paramref name="eventName"/> to every connection subscribed to it.</summary>
    /// <param name="eventName">The event's wire name.</param>
    /// <param name="argumentsJson">The event's arguments as a UTF-8 JSON array.</param>
    protected void Broadcast(string eventName, ReadOnlyMemory<byte> argumentsJson)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        RequireInstance().Broadcast(eventName, argumentsJson);
    }

    /// <summary>Broadcasts a generated event. Used by generated code.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected void BroadcastEvent(string eventName, ActionArguments arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        Broadcast(eventName, arguments.Complete());
    }

    // Hooks are protected (overridable from any assembly); the runtime calls them through these.
    internal ValueTask RunOnCreateAsync(CancellationToken cancellationToken) => OnCreateAsync(cancellationToken);

    internal ValueTask RunOnWakeAsync(CancellationToken cancellationToken) => OnWakeAsync(cancellationToken);

    internal ValueTask RunOnSleepAsync(CancellationToken cancellationToken) => OnSleepAsync(cancellationToken);

    internal ValueTask RunOnDestroyAsync(CancellationToken cancellationToken) => OnDestroyAsync(cancellationToken);

    internal ValueTask RunOnConnectAsync(Connection connection, CancellationToken cancellationToken) => OnConnectAsync(connection, cancellationToken);

    internal ValueTask RunOnDisconnectAsync(Connection connection, CancellationToken cancellationToken) => OnDisconnectAsync(connection, cancellationToken);

    internal TimeSpan EffectiveSleepTimeout => SleepTimeout;

    internal TimeSpan EffectiveActionTimeout => ActionTimeout;

    internal TimeSpan? EffectiveStateSaveInterval => StateSaveInterval is { } interval && interval > TimeSpan.Zero ? interval : null;

    /// <summary>The runtime object hosting this actor; set before any hook runs.</summary>
    internal ActorInstance? Instance { get; set; }

    private ActorInstance RequireInstance() => Instance ?? throw new InvalidOperationException(
        $"Actor '{GetType().FullName}' is not running: connections, events, Sleep() and Destroy() are only available inside actions and lifecycle hooks.");

    internal ActorDefinition? Definition { get; private set; }

    internal void Attach(ActorDefinition definition, ActorContext context)
    {
        Definition = definition;
        _context = context;
    }

    // State plumbing, overridden by Actor<TState>; stateless actors keep these defaults.
    internal virtual bool HasState => false;

    internal virtual void CreateInitialState(ActorDefinition definition, ReadOnlySpan<byte> inputJson) { }

    internal virtual void WriteState(ActorDefinition definition, Utf8JsonWriter writer) => writer.WriteNullValue();

    internal virtual void ReadState(ActorDefinition definition, ReadOnlySpan<byte> stateJson) { }

    internal virtual void LoadInput(ActorDefinition definition, ReadOnlySpan<byte> inputJson) { }
}

/// <summary>An actor whose <see cref="State"/> is persisted after every action that completes.</summary>
/// <typeparam name="TState">The state type; it must be serializable (the generator checks it).</typeparam>
public abstract class Actor<TState> : Actor where TState : class
{
    private TState? _state;

    /// <summary>
    /// The actor's durable state. Mutate it freely inside actions: it is saved after each action that completes,
    /// and rolled back to the last saved value when an action throws.
    /// </summary>
    protected TState State
    {
        get => _state ?? throw new InvalidOperationException($"The state of actor '{GetType().FullName}' is not loaded yet.");
        set => _state = value ?? throw new ArgumentNullException(nameof(value), $"The state of actor '{GetType().FullName}' cannot be null.");
    }

    /// <summary>
    /// Creates the initial state the first time the actor is created. The default uses the state type's public
    /// parameterless constructor; override it when there is none, or to compute the initial value.
    /// </summary>
    protected virtual TState CreateState() => Definition?.DefaultState is { } factory
        ? (TState)factory()
        : throw new InvalidOperationException(
            $"Actor '{GetType().FullName}' must override CreateState(): its state type '{typeof(TState).FullName}' has no public parameterless constructor.");

    internal override bool HasState => true;

    internal override void CreateInitialState(ActorDefinition definition, ReadOnlySpan<byte> inputJson)
    {
        State = CreateStateCore(definition, inputJson);
    }

    internal virtual TState CreateStateCore(ActorDefinition definition, ReadOnlySpan<byte> inputJson) => CreateState();

    internal override void WriteState(ActorDefinition definition, Utf8JsonWriter writer) =>
        JsonSerializer.Serialize(writer, State, (JsonTypeInfo<TState>)definition.StateType!);

    internal override void ReadState(ActorDefinition definition, ReadOnlySpan<byte> stateJson)
    {
        var value = JsonSerializer.Deserialize(stateJson, (JsonTypeInfo<TState>)definition.StateType!);
        State = value ?? throw new JsonException($"The stored state of actor '{definition.Name}' is null.");
    }
}

/// <summary>An actor with durable state that receives a typed creation input.</summary>
/// <typeparam name="TState">The state type.</typeparam>
/// <typeparam name="TInput">The input clients pass to <c>Create</c> or <c>GetOrCreate</c>.</typeparam>
public abstract class Actor<TState, TInput> : Actor<TState> where TState : class
{
    /// <summary>The input this actor was created with (the default value when none was given).</summary>
    protected TInput? Input { get; private set; }

    /// <summary>Creates the initial state from the creation input. The default ignores the input and calls <see cref="Actor{TState}.CreateState()"/>.</summary>
    protected virtual TState CreateState(TInput? input) => CreateState();

    internal override TState CreateStateCore(ActorDefinition definition, ReadOnlySpan<byte> inputJson)
    {
        LoadInput(definition, inputJson);
        return CreateState(Input);
    }

    internal override void LoadInput(ActorDefinition definition, ReadOnlySpan<byte> inputJson) => Input = ReadInput(definition, inputJson);

    private static TInput? ReadInput(ActorDefinition definition, ReadOnlySpan<byte> inputJson) =>
        inputJson.IsEmpty ? default : JsonSerializer.Deserialize(inputJson, (JsonTypeInfo<TInput>)definition.InputType!);
}
