using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace Rivet.Storage;

/// <summary>Actor storage that lives in memory and is lost with the process: for tests and throwaway hosts.</summary>
/// <remarks>Share one instance between hosts to simulate a restart that keeps the data.</remarks>
public sealed partial class InMemoryActorStorage : IActorStorage
{
    private readonly ConcurrentDictionary<string, Store> _actors = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public IActorKv ForActor(string actorId)
    {
        ArgumentException.ThrowIfNullOrEmpty(actorId);
        return _actors.GetOrAdd(actorId, static _ => new Store());
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => default;

    private sealed class Store : IActorKv
    {
        private readonly SortedDictionary<byte[], byte[]> _data = new(KeyComparer.Instance);
        private readonly Lock _gate = new();

        public ValueTask<byte[]?[]> GetAsync(IReadOnlyList<byte[]> keys, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(keys);
            var result = new byte[]?[keys.Count];
            lock (_gate)
            {
                for (var i = 0; i < keys.Count; i++)
                {
                    result[i] = _data.TryGetValue(keys[i], out var value) ? value.ToArray() : null;
                }
            }
            return ValueTask.FromResult(result);
        }

        public ValueTask PutAsync(IReadOnlyList<KvEntry> entries, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(entries);
            lock (_gate)
            {
                for (var i = 0; i < entries.Count; i++)
                {
                    var entry = entries[i];
                    // A value of the same length is overwritten in place: stored arrays never leave this class
                    // (reads return copies), and a state save usually keeps its length.
                    if (_data.TryGetValue(entry.Key, out var stored) && stored.Length == entry.Value.Length)
                    {
                        entry.Value.CopyTo(stored, 0);
                    }
                    else
                    {
                        _data[entry.Key.ToArray()] = entry.Value.ToArray();
                    }
                }
            }
            return default;
        }

        public ValueTask DeleteAsync(IReadOnlyList<byte[]> keys, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(keys);
            lock (_gate)
            {
                foreach (var key in keys)
                {
                    _data.Remove(key);
                }
            }
            return default;
        }

        public ValueTask<IReadOnlyList<KvEntry>> ListPrefixAsync(byte[] prefix, int? limit = null, bool reverse = false, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(prefix);
            List<KvEntry> matches;
            lock (_gate)
            {
                matches = _data.Where(kv => kv.Key.AsSpan().StartsWith(prefix))
                    .Select(kv => new KvEntry(kv.Key.ToArray(), kv.Value.ToArray()))
                    .ToList();
            }
            if (reverse)
            {
                matches.Reverse();
            }
            if (limit is { } max && matches.Count > max)
            {
                matches.RemoveRange(max, matches.Count - max);
            }
            return ValueTask.FromResult<IReadOnlyList<KvEntry>>(matches);
        }

        public ValueTask DeleteAllAsync(CancellationToken cancellationToken = default)
        {
            lock (_gate)
            {
                _data.Clear();
            }
            return default;
        }
    }
}
