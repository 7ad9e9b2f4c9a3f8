using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Storage;

namespace Rivet.Testing;

/// <summary>
/// The test host's storage: every actor store of an inner <see cref="IActorStorage"/>, with the write faults of
/// <see cref="TestFaults"/> in front. Once the host is lost (<see cref="IsDown"/>) nothing more is written: what the
/// next host finds is exactly what was durable when the process "died".
/// The actors' SQLite databases (<c>Db</c>) pass through untouched: the faults are the state's writes.
/// </summary>
internal class FaultyStorage(IActorStorage inner) : IActorStorage
{
    private const string DirectoryStoreId = Hosting.Embedded.EmbeddedDirectory.StoreId;

    private readonly Lock _gate = new();
    private readonly List<WriteFault> _faults = [];
    private volatile bool _down;

    public IActorStorage Inner { get; } = inner;

    /// <summary>
    /// Wraps <paramref name="inner"/>, keeping its actors' databases when it has them: the embedded host gives an
    /// actor a <c>Db</c> only when its storage keeps databases, so hiding them would break every actor that uses one.
    /// </summary>
    public static FaultyStorage Over(IActorStorage inner) =>
        inner is Database.IActorDatabaseStorage ? new WithDatabases(inner) : new FaultyStorage(inner);

    /// <summary>Whether the host is lost: writes fail and change nothing.</summary>
    public bool IsDown => _down;

    public void Add(WriteFault fault)
    {
        lock (_gate)
        {
            _faults.Add(fault);
        }
    }

    /// <summary>The host is lost: from now on no write reaches the storage.</summary>
    public void GoDown() => _down = true;

    /// <summary>A new process: the storage takes writes again (pending faults are dropped).</summary>
    public void ComeBack()
    {
        lock (_gate)
        {
            _faults.Clear();
        }
        _down = false;
    }

    public IActorKv ForActor(string actorId) => new Store(this, actorId, Inner.ForActor(actorId));

    public ValueTask DisposeAsync() => default;

    /// <summary>Applies the first pending fault that matches a write of <paramref name="actorId"/>; what to do with the write.</summary>
    private WriteFaultKind Take(string actorId)
    {
        if (_down)
        {
            return WriteFaultKind.Fail;
        }
        if (actorId == DirectoryStoreId)
        {
            return WriteFaultKind.None; // faults target actor state, not the host's directory of actors
        }
        lock (_gate)
        {
            for (var i = 0; i < _faults.Count; i++)
            {
                if (_faults[i].ActorId is null || _faults[i].ActorId == actorId)
                {
                    var kind = _faults[i].Kind;
                    _faults.RemoveAt(i);
                    return kind;
                }
            }
        }
        return WriteFaultKind.None;
    }

    private async ValueTask WriteAsync(string actorId, Func<ValueTask> write)
    {
        switch (Take(actorId))
        {
            case WriteFaultKind.Fail:
                throw new IOException(_down
                    ? $"The test host is lost: the write of actor {actorId} did not reach the storage."
                    : $"Injected fault: the write of actor {actorId} failed (TestFaults.FailNextWrite).");
            case WriteFaultKind.LoseHostAfter:
                await write().ConfigureAwait(false);
                GoDown();
                throw new IOException($"Injected fault: the write of actor {actorId} is durable, but the host was lost before it could answer (TestFaults.LoseHostAfterNextWrite).");
            default:
                await write().ConfigureAwait(false);
                return;
        }
    }

    private sealed class Store(FaultyStorage owner, string actorId, IActorKv inner) : IActorKv
    {
        public ValueTask<byte[]?[]> GetAsync(IReadOnlyList<byte[]> keys, CancellationToken cancellationToken = default) =>
            inner.GetAsync(keys, cancellationToken);

        public ValueTask<IReadOnlyList<KvEntry>> ListPrefixAsync(byte[] prefix, int? limit = null, bool reverse = false, CancellationToken cancellationToken = default) =>
            inner.ListPrefixAsync(prefix, limit, reverse, cancellationToken);

        public ValueTask PutAsync(IReadOnlyList<KvEntry> entries, CancellationToken cancellationToken = default) =>
            owner.WriteAsync(actorId, () => inner.PutAsync(entries, cancellationToken));

        public ValueTask DeleteAsync(IReadOnlyList<byte[]> keys, CancellationToken cancellationToken = default) =>
            owner.WriteAsync(actorId, () => inner.DeleteAsync(keys, cancellationToken));

        public ValueTask DeleteAllAsync(CancellationToken cancellationToken = default) =>
            owner.WriteAsync(actorId, () => inner.DeleteAllAsync(cancellationToken));
    }

    private sealed class WithDatabases(IActorStorage inner) : FaultyStorage(inner), Database.IActorDatabaseStorage
    {
        public Database.ISqlBackend OpenDatabase(string actorId) => ((Database.IActorDatabaseStorage)Inner).OpenDatabase(actorId);
    }
}

/// <summary>What an injected write fault does.</summary>
internal enum WriteFaultKind
{
    None,
    /// <summary>The write fails and changes nothing.</summary>
    Fail,
    /// <summary>The write lands, then the host is lost before it can answer.</summary>
    LoseHostAfter,
}

/// <summary>A pending write fault, for one actor or (<see langword="null"/>) the next actor that writes.</summary>
internal sealed record WriteFault(WriteFaultKind Kind, string? ActorId);
