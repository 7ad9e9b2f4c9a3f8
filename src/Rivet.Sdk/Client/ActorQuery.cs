using System;

namespace Rivet;

/// <summary>How a handle finds its actor.</summary>
public enum ActorQueryKind
{
    /// <summary>The actor with this name and key; it must exist.</summary>
    Get,
    /// <summary>The actor with this name and key, created (with the input) if it does not exist.</summary>
    GetOrCreate,
    /// <summary>The actor with this id.</summary>
    ForId,
}

/// <summary>Identifies the actor a handle talks to. Immutable.</summary>
public sealed class ActorQuery
{
    private ActorQuery(ActorQueryKind kind, string name, ActorKey key, string? actorId, ReadOnlyMemory<byte> input)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Kind = kind;
        Name = name;
        Key = key;
        ActorId = actorId;
        Input = input;
    }

    /// <summary>How the actor is found.</summary>
    public ActorQueryKind Kind { get; }

    /// <summary>The actor name.</summary>
    public string Name { get; }

    /// <summary>The actor key (empty for <see cref="ActorQueryKind.ForId"/>).</summary>
    public ActorKey Key { get; }

    /// <summary>The actor id, for <see cref="ActorQueryKind.ForId"/>.</summary>
    public string? ActorId { get; }

    /// <summary>The creation input as JSON, for <see cref="ActorQueryKind.GetOrCreate"/>; empty when none.</summary>
    public ReadOnlyMemory<byte> Input { get; }

    /// <summary>The running instance the embedded host found for this query last: a handle called again reaches it
    /// without a lookup while it still serves (<see cref="Runtime.ActorInstance.IsServing"/>).</summary>
    internal Runtime.ActorInstance? InProcessInstance { get; set; }

    /// <summary>The actor with this name and key.</summary>
    public static ActorQuery Get(string name, ActorKey key) => new(ActorQueryKind.Get, name, key, null, default);

    /// <summary>The actor with this name and key, created with <paramref name="input"/> if missing.</summary>
    public static ActorQuery GetOrCreate(string name, ActorKey key, ReadOnlyMemory<byte> input = default) => new(ActorQueryKind.GetOrCreate, name, key, null, input);

    /// <summary>The actor with this id.</summary>
    public static ActorQuery ForId(string name, string actorId)
    {
        ArgumentException.ThrowIfNullOrEmpty(actorId);
        return new(ActorQueryKind.ForId, name, ActorKey.Empty, actorId, default);
    }

    /// <inheritdoc />
    public override string ToString() => Kind == ActorQueryKind.ForId ? $"{Name}#{ActorId}" : $"{Name}{Key}";
}
