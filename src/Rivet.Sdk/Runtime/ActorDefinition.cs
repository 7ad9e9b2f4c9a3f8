using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;

namespace Rivet.Runtime;

/// <summary>
/// Everything the runtime needs to host one actor type, emitted by the source generator: its name, a factory,
/// the action dispatch table, and the serializers of its state and input. Not meant to be written by hand.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class ActorDefinition
{
    /// <summary>Describes an actor type.</summary>
    /// <param name="name">The actor name on the wire.</param>
    /// <param name="actorType">The actor class.</param>
    /// <param name="actionNames">The wire names of its actions, in declaration order.</param>
    /// <param name="stateType">Serializer of the state, or <see langword="null"/> for a stateless actor.</param>
    /// <param name="inputType">Serializer of the creation input, or <see langword="null"/> when it takes none.</param>
    /// <param name="defaultState">Creates the default state with the public parameterless constructor, when there is one.</param>
    protected ActorDefinition(string name, Type actorType, IReadOnlyList<string> actionNames, JsonTypeInfo? stateType, JsonTypeInfo? inputType, Func<object>? defaultState)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(actorType);
        ArgumentNullException.ThrowIfNull(actionNames);
        Name = name;
        ActorType = actorType;
        ActionNames = actionNames;
        StateType = stateType;
        InputType = inputType;
        DefaultState = defaultState;
    }

    /// <summary>The actor name on the wire.</summary>
    public string Name { get; }

    /// <summary>The actor class.</summary>
    public Type ActorType { get; }

    /// <summary>The wire names of the actor's actions.</summary>
    public IReadOnlyList<string> ActionNames { get; }

    /// <summary>Serializer of the state, or <see langword="null"/> for a stateless actor.</summary>
    public JsonTypeInfo? StateType { get; }

    /// <summary>Serializer of the creation input, or <see langword="null"/>.</summary>
    public JsonTypeInfo? InputType { get; }

    /// <summary>Creates the default state, or <see langword="null"/> when the state type has no public parameterless constructor.</summary>
    public Func<object>? DefaultState { get; }

    /// <summary>Serializer of the connection parameters (<see cref="IConnectionParams{TParams}"/>), or <see langword="null"/> when the actor declares none.</summary>
    public virtual JsonTypeInfo? ConnectionParamsType => null;

    /// <summary>Serializer of the per-connection state (<see cref="IConnectionState{TParams, TConnState}"/>), or <see langword="null"/>.</summary>
    public virtual JsonTypeInfo? ConnectionStateType => null;

    /// <summary>The wire names of the actor's declared <see cref="EventAttribute">events</see>.</summary>
    public virtual IReadOnlyList<string> EventNames => [];

    /// <summary>The queues the actor declares (<see cref="QueueAttribute{TMessage}"/>), in declaration order.</summary>
    public virtual IReadOnlyList<QueueDeclaration> Queues => [];

    /// <summary>
    /// Writes the state of <paramref name="actor"/> as JSON with a writer the generator emitted for the state type,
    /// byte for byte what its <see cref="StateType"/> writes; <see langword="false"/> when the generator emitted
    /// none, or the value holds something it leaves to <see cref="StateType"/> (a <see langword="null"/> where the
    /// type says none may be). On <see langword="false"/> the caller discards what was written and uses <see cref="StateType"/>.
    /// </summary>
    /// <param name="actor">An instance of this definition's actor.</param>
    /// <param name="writer">The writer; on <see langword="false"/> its content is undefined.</param>
    public virtual bool TryWriteState(Actor actor, Utf8JsonWriter writer) => false;

    /// <summary>
    /// Writes the state of <paramref name="actor"/> as the CBOR its record stores, with a writer the generator emitted
    /// next to <see cref="TryWriteState"/>: the bytes that state's JSON transcodes to. <see langword="false"/> when there
    /// is none or it leaves this value to the transcoder; the content of <paramref name="writer"/> is then undefined.
    /// </summary>
    /// <param name="actor">An instance of this definition's actor.</param>
    /// <param name="writer">The writer.</param>
    public virtual bool TryWriteStateCbor(Actor actor, StateCborWriter writer) => false;

    /// <summary>Creates a new, not yet started, instance of the actor.</summary>
    public abstract Actor CreateInstance();

    /// <summary>
    /// Calls the action named <paramref name="action"/> on <paramref name="actor"/> with arguments read from
    /// <paramref name="arguments"/> (a JSON array) and writes its result as one JSON value to <paramref name="result"/>.
    /// </summary>
    /// <exception cref="RivetException">The action does not exist (<c>actor.action_not_found</c>) or the arguments
    /// do not fit it (<c>actor.invalid_request</c>); exceptions thrown by the action itself propagate unchanged.</exception>
    public abstract ValueTask DispatchAsync(Actor actor, string action, ReadOnlyMemory<byte> arguments, Utf8JsonWriter result, CancellationToken cancellationToken);
}

/// <summary>Implemented by the generator on every actor class, so hosts can register it without reflection.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IGeneratedActor
{
    /// <summary>The actor's generated definition.</summary>
    static abstract ActorDefinition Definition { get; }
}
