using System;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Storage;

namespace Rivet.Runtime;

/// <summary>What the runtime keeps for an actor in its KV store.</summary>
internal sealed class PersistedActorState
{
    /// <summary>The creation input as Rivet JSON, or empty.</summary>
    public ReadOnlyMemory<byte> Input { get; init; }

    /// <summary>Whether the create hooks ran to completion.</summary>
    public bool HasInitialized { get; init; }

    /// <summary>The state as Rivet JSON (<c>null</c> for stateless actors).</summary>
    public ReadOnlyMemory<byte> State { get; init; }
}

/// <summary>Loads and saves an actor's persisted record through its KV store (the same on every host).</summary>
internal sealed class ActorStateStore(IActorKv kv)
{
    private static readonly byte[] s_persistKey = [1];

    public IActorKv Kv { get; } = kv;

    public async ValueTask<PersistedActorState?> LoadAsync(CancellationToken cancellationToken)
    {
        var values = await Kv.GetAsync([s_persistKey], cancellationToken).ConfigureAwait(false);
        return values[0] is { } bytes ? PersistedActorFormat.Decode(bytes) : null;
    }

    public ValueTask SaveAsync(PersistedActorState state, CancellationToken cancellationToken) =>
        Kv.PutAsync([new KvEntry(s_persistKey, PersistedActorFormat.Encode(state))], cancellationToken);
}
