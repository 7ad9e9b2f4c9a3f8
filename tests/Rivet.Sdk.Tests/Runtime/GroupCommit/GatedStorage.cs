using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Rivet.Storage;

namespace Rivet.Sdk.Tests.Runtime;

/// <summary>
/// In-memory storage whose writes the test controls: while <see cref="Hold"/> is set, every put waits until the test
/// lets it through or fails it (<see cref="NextHeldAsync"/>); otherwise puts complete asynchronously (never inline),
/// as a remote store's do.
/// </summary>
internal sealed class GatedStorage : IActorStorage
{
    private readonly Channel<HeldPut> _held = Channel.CreateUnbounded<HeldPut>();
    private int _writes;

    public InMemoryActorStorage Inner { get; } = new();

    private volatile bool _hold;

    /// <summary>Whether puts wait for the test.</summary>
    public bool Hold
    {
        get => _hold;
        set => _hold = value;
    }

    /// <summary>How many puts reached the inner store.</summary>
    public int Writes => Volatile.Read(ref _writes);

    public IActorKv ForActor(string actorId) => new GatedKv(Inner.ForActor(actorId), this);

    /// <summary>The next put that waits for the test (in arrival order).</summary>
    public async Task<HeldPut> NextHeldAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await _held.Reader.ReadAsync(timeout.Token);
    }

    public ValueTask DisposeAsync() => default;

    internal sealed class HeldPut
    {
        private readonly TaskCompletionSource<bool> _verdict = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<bool> Verdict => _verdict.Task;

        public void Succeed() => _verdict.SetResult(true);

        public void Fail() => _verdict.SetResult(false);
    }

    private sealed class GatedKv(IActorKv inner, GatedStorage owner) : IActorKv
    {
        public ValueTask<byte[]?[]> GetAsync(IReadOnlyList<byte[]> keys, CancellationToken cancellationToken = default) =>
            inner.GetAsync(keys, cancellationToken);

        public async ValueTask PutAsync(IReadOnlyList<KvEntry> entries, CancellationToken cancellationToken = default)
        {
            if (owner.Hold)
            {
                var held = new HeldPut();
                owner._held.Writer.TryWrite(held);
                if (!await held.Verdict)
                {
                    throw new IOException("Injected storage failure.");
                }
            }
            else
            {
                await Task.Yield();
            }
            await inner.PutAsync(entries, cancellationToken);
            Interlocked.Increment(ref owner._writes);
        }

        public ValueTask DeleteAsync(IReadOnlyList<byte[]> keys, CancellationToken cancellationToken = default) =>
            inner.DeleteAsync(keys, cancellationToken);

        public ValueTask<IReadOnlyList<KvEntry>> ListPrefixAsync(byte[] prefix, int? limit = null, bool reverse = false, CancellationToken cancellationToken = default) =>
            inner.ListPrefixAsync(prefix, limit, reverse, cancellationToken);

        public ValueTask DeleteAllAsync(CancellationToken cancellationToken = default) => inner.DeleteAllAsync(cancellationToken);
    }
}
