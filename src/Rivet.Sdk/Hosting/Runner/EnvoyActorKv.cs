using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Protocol.Envoy;
using Rivet.Storage;

namespace Rivet.Hosting.Runner;

/// <summary>
/// An actor's KV store in the engine, over the runner's socket. Requests beyond the engine's limits (128 keys per
/// request, 2 KiB keys, 128 KiB values, 976 KiB per put) fail here with a clear error instead of a generic one
/// from the engine.
/// </summary>
internal sealed class EnvoyActorKv(EnvoyClient envoy, string actorId) : IActorKv
{
    public const int MaxKeysPerRequest = 128;
    public const int MaxKeySize = 2046;
    public const int MaxValueSize = 128 * 1024;
    public const int MaxPutPayload = 976 * 1024;

    public async ValueTask<byte[]?[]> GetAsync(IReadOnlyList<byte[]> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        CheckKeys(keys);
        var response = Expect<KvGetResponse>(await envoy.KvAsync(actorId, new KvGetRequest { Keys = keys.ToArray() }, cancellationToken).ConfigureAwait(false));
        var found = new Dictionary<byte[], byte[]>(KeyComparer.Instance);
        for (var i = 0; i < response.Keys.Count; i++)
        {
            found[response.Keys[i]] = response.Values[i];
        }
        var result = new byte[]?[keys.Count];
        for (var i = 0; i < keys.Count; i++)
        {
            result[i] = found.TryGetValue(keys[i], out var value) ? value : null;
        }
        return result;
    }

    public async ValueTask PutAsync(IReadOnlyList<KvEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        CheckKeys(entries.Select(e => e.Key).ToArray());
        var payload = 0L;
        foreach (var entry in entries)
        {
            if (entry.Value.Length > MaxValueSize)
            {
                throw new ArgumentException($"A value of {entry.Value.Length} bytes exceeds the engine's limit of {MaxValueSize} bytes per KV value (actor {actorId}).", nameof(entries));
            }
            payload += entry.Key.Length + entry.Value.Length;
        }
        if (payload > MaxPutPayload)
        {
            throw new ArgumentException($"A put of {payload} bytes exceeds the engine's limit of {MaxPutPayload} bytes per request (actor {actorId}).", nameof(entries));
        }
        Expect<KvPutResponse>(await envoy.KvAsync(actorId, new KvPutRequest
        {
            Keys = entries.Select(e => e.Key).ToArray(),
            Values = entries.Select(e => e.Value).ToArray(),
        }, cancellationToken).ConfigureAwait(false));
    }

    public async ValueTask DeleteAsync(IReadOnlyList<byte[]> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        CheckKeys(keys);
        Expect<KvDeleteResponse>(await envoy.KvAsync(actorId, new KvDeleteRequest { Keys = keys.ToArray() }, cancellationToken).ConfigureAwait(false));
    }

    public async ValueTask<IReadOnlyList<KvEntry>> ListPrefixAsync(byte[] prefix, int? limit = null, bool reverse = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (limit is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, "The limit must not be negative.");
        }
        IKvListQuery query = prefix.Length == 0 ? KvListAllQuery.Instance : new KvListPrefixQuery { Key = prefix };
        var response = Expect<KvListResponse>(await envoy.KvAsync(actorId, new KvListRequest
        {
            Query = query,
            Reverse = reverse ? true : null,
            Limit = limit is { } l ? (ulong)l : null,
        }, cancellationToken).ConfigureAwait(false));
        var entries = new KvEntry[response.Keys.Count];
        for (var i = 0; i < entries.Length; i++)
        {
            entries[i] = new KvEntry(response.Keys[i], response.Values[i]);
        }
        return entries;
    }

    public async ValueTask DeleteAllAsync(CancellationToken cancellationToken = default) =>
        Expect<KvDropResponse>(await envoy.KvAsync(actorId, KvDropRequest.Instance, cancellationToken).ConfigureAwait(false));

    private T Expect<T>(IKvResponseData response) where T : IKvResponseData => response switch
    {
        T expected => expected,
        KvErrorResponse error => throw new RivetException("kv", "request_failed", $"The engine rejected a KV request of actor {actorId}: {error.Message}") { ActorId = actorId },
        _ => throw new RivetException("kv", "unexpected_response", $"The engine answered a KV request of actor {actorId} with {response.GetType().Name}, expected {typeof(T).Name}.") { ActorId = actorId },
    };

    private void CheckKeys(IReadOnlyList<byte[]> keys)
    {
        if (keys.Count > MaxKeysPerRequest)
        {
            throw new ArgumentException($"A KV request of {keys.Count} keys exceeds the engine's limit of {MaxKeysPerRequest} keys per request (actor {actorId}).", nameof(keys));
        }
        foreach (var key in keys)
        {
            if (key.Length > MaxKeySize)
            {
                throw new ArgumentException($"A key of {key.Length} bytes exceeds the engine's limit of {MaxKeySize} bytes (actor {actorId}).", nameof(keys));
            }
        }
    }
}
