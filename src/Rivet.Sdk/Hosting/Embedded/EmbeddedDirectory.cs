using System;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Storage;

namespace Rivet.Hosting.Embedded;

/// <summary>An actor known to the embedded directory.</summary>
internal sealed record EmbeddedActorRecord(string ActorId, string Name, ActorKey Key, long CreateTs, ReadOnlyMemory<byte> Input);

/// <summary>
/// The embedded host's stand-in for the engine's actor registry: which actor id a name and key map to, and the
/// creation input, and when each sleeping actor must be woken (its alarm). Kept in the same storage as the actors,
/// under a reserved store id. Creation times come from the host's clock (<paramref name="time"/>).
/// </summary>
internal sealed class EmbeddedDirectory(IActorStorage storage, TimeProvider time)
{
    /// <summary>The store id of the directory itself; actor ids never contain '$'.</summary>
    public const string StoreId = "$rivet.directory";

    private readonly IActorKv _kv = storage.ForActor(StoreId);
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly ConcurrentDictionary<string, EmbeddedActorRecord> _byId = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Name, ActorKey Key), string> _byKey = new();

    public async ValueTask<EmbeddedActorRecord?> FindAsync(string name, ActorKey key, CancellationToken cancellationToken)
    {
        if (_byKey.TryGetValue((name, key), out var cachedId) && _byId.TryGetValue(cachedId, out var cached))
        {
            return cached;
        }
        var ids = await _kv.GetAsync([KeyEntry(name, key)], cancellationToken).ConfigureAwait(false);
        return ids[0] is { } id ? await FindByIdAsync(System.Text.Encoding.UTF8.GetString(id), cancellationToken).ConfigureAwait(false) : null;
    }

    public async ValueTask<EmbeddedActorRecord?> FindByIdAsync(string actorId, CancellationToken cancellationToken)
    {
        if (_byId.TryGetValue(actorId, out var cached))
        {
            return cached;
        }
        var values = await _kv.GetAsync([IdEntry(actorId)], cancellationToken).ConfigureAwait(false);
        if (values[0] is not { } bytes)
        {
            return null;
        }
        var record = Decode(actorId, bytes);
        Remember(record);
        return record;
    }

    /// <summary>Creates the actor; returns the existing one instead when <paramref name="failIfExists"/> is false.</summary>
    /// <exception cref="RivetException"><c>actor.duplicate_key</c> when it exists and <paramref name="failIfExists"/> is true.</exception>
    public async ValueTask<EmbeddedActorRecord> CreateAsync(string name, ActorKey key, ReadOnlyMemory<byte> input, bool failIfExists, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (await FindAsync(name, key, cancellationToken).ConfigureAwait(false) is { } existing)
            {
                return failIfExists
                    ? throw new RivetException(RivetErrors.ActorGroup, RivetErrors.DuplicateKey,
                        $"An actor named '{name}' with key {key} already exists (id {existing.ActorId}).") { ActorId = existing.ActorId }
                    : existing;
            }
            var record = new EmbeddedActorRecord(NewActorId(), name, key, time.GetUtcNow().ToUnixTimeMilliseconds(), input.ToArray());
            await _kv.PutAsync(
            [
                new KvEntry(IdEntry(record.ActorId), Encode(record)),
                new KvEntry(KeyEntry(name, key), System.Text.Encoding.UTF8.GetBytes(record.ActorId)),
            ], CancellationToken.None).ConfigureAwait(false);
            Remember(record);
            return record;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Forgets a destroyed actor: its id, its key (free for a new actor) and its alarm.</summary>
    public async ValueTask DeleteAsync(EmbeddedActorRecord record, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var keyEntry = KeyEntry(record.Name, record.Key);
            var current = await _kv.GetAsync([keyEntry], cancellationToken).ConfigureAwait(false);
            var keyIsOurs = current[0] is { } id && System.Text.Encoding.UTF8.GetString(id) == record.ActorId;
            await _kv.DeleteAsync(keyIsOurs
                ? [IdEntry(record.ActorId), AlarmEntry(record.ActorId), keyEntry]
                : [IdEntry(record.ActorId), AlarmEntry(record.ActorId)], CancellationToken.None).ConfigureAwait(false);
            _byId.TryRemove(record.ActorId, out _);
            _byKey.TryRemove(new((record.Name, record.Key), record.ActorId));
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Stores (or, with <see langword="null"/>, clears) the time the actor must be woken at.</summary>
    public async ValueTask SetAlarmAsync(string actorId, DateTimeOffset? at, CancellationToken cancellationToken)
    {
        if (at is { } time)
        {
            var value = new byte[8];
            System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(value, time.ToUnixTimeMilliseconds());
            await _kv.PutAsync([new KvEntry(AlarmEntry(actorId), value)], cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await _kv.DeleteAsync([AlarmEntry(actorId)], cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Every stored alarm (actor id, time).</summary>
    public async ValueTask<System.Collections.Generic.IReadOnlyList<(string ActorId, DateTimeOffset At)>> ListAlarmsAsync(CancellationToken cancellationToken)
    {
        var prefix = System.Text.Encoding.UTF8.GetBytes("t\0");
        var entries = await _kv.ListPrefixAsync(prefix, cancellationToken: cancellationToken).ConfigureAwait(false);
        var alarms = new System.Collections.Generic.List<(string, DateTimeOffset)>(entries.Count);
        foreach (var entry in entries)
        {
            if (entry.Value.Length == 8)
            {
                alarms.Add((System.Text.Encoding.UTF8.GetString(entry.Key.AsSpan(prefix.Length)),
                    DateTimeOffset.FromUnixTimeMilliseconds(System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(entry.Value))));
            }
        }
        return alarms;
    }

    private void Remember(EmbeddedActorRecord record)
    {
        _byId[record.ActorId] = record;
        _byKey[(record.Name, record.Key)] = record.ActorId;
    }

    // 30 lowercase alphanumerics, the length of engine actor ids.
    private static string NewActorId()
    {
        const string alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
        Span<char> id = stackalloc char[30];
        Span<byte> random = stackalloc byte[30];
        System.Security.Cryptography.RandomNumberGenerator.Fill(random);
        for (var i = 0; i < id.Length; i++)
        {
            id[i] = alphabet[random[i] % alphabet.Length];
        }
        return new string(id);
    }

    private static byte[] KeyEntry(string name, ActorKey key) => System.Text.Encoding.UTF8.GetBytes("k\0" + name + "\0" + key.Serialize());

    private static byte[] IdEntry(string actorId) => System.Text.Encoding.UTF8.GetBytes("a\0" + actorId);

    private static byte[] AlarmEntry(string actorId) => System.Text.Encoding.UTF8.GetBytes("t\0" + actorId);

    private static byte[] Encode(EmbeddedActorRecord record)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("name", record.Name);
            writer.WriteString("key", record.Key.Serialize());
            writer.WriteNumber("createTs", record.CreateTs);
            writer.WritePropertyName("input");
            if (record.Input.IsEmpty)
            {
                writer.WriteNullValue();
            }
            else
            {
                writer.WriteRawValue(record.Input.Span, skipInputValidation: true);
            }
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static EmbeddedActorRecord Decode(string actorId, byte[] bytes)
    {
        using var document = JsonDocument.Parse(bytes);
        var root = document.RootElement;
        var input = root.GetProperty("input");
        return new EmbeddedActorRecord(
            actorId,
            root.GetProperty("name").GetString()!,
            ActorKey.Parse(root.GetProperty("key").GetString()!),
            root.GetProperty("createTs").GetInt64(),
            input.ValueKind == JsonValueKind.Null ? ReadOnlyMemory<byte>.Empty : System.Text.Encoding.UTF8.GetBytes(input.GetRawText()));
    }
}
