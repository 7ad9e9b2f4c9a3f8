using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Rivet.Storage;

/// <summary>One key and its value in an actor's key/value store.</summary>
/// <param name="Key">The raw key; keys sort bytewise.</param>
/// <param name="Value">The raw value.</param>
public readonly record struct KvEntry(byte[] Key, byte[] Value);

/// <summary>
/// One actor's durable key/value store: exactly what the Rivet Engine gives each actor, so the same persistence
/// code runs on the embedded store and on the engine. Keys sort bytewise; every call is one atomic batch.
/// </summary>
public interface IActorKv
{
    /// <summary>Reads keys; the result has one entry per requested key, <see langword="null"/> where it is missing.</summary>
    ValueTask<byte[]?[]> GetAsync(IReadOnlyList<byte[]> keys, CancellationToken cancellationToken = default);

    /// <summary>Writes entries atomically.</summary>
    ValueTask PutAsync(IReadOnlyList<KvEntry> entries, CancellationToken cancellationToken = default);

    /// <summary>Deletes keys atomically; missing keys are ignored.</summary>
    ValueTask DeleteAsync(IReadOnlyList<byte[]> keys, CancellationToken cancellationToken = default);

    /// <summary>Lists the entries whose key starts with <paramref name="prefix"/>, in key order (or reverse).</summary>
    ValueTask<IReadOnlyList<KvEntry>> ListPrefixAsync(byte[] prefix, int? limit = null, bool reverse = false, CancellationToken cancellationToken = default);

    /// <summary>Deletes every key of the actor.</summary>
    ValueTask DeleteAllAsync(CancellationToken cancellationToken = default);
}

/// <summary>Gives each actor its key/value store.</summary>
public interface IActorStorage : IAsyncDisposable
{
    /// <summary>The store of the actor with this id.</summary>
    IActorKv ForActor(string actorId);
}
