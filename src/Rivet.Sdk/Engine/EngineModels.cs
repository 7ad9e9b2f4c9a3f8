using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rivet.Engine;

/// <summary>An actor as the engine REST API reports it (<c>GET/POST/PUT /actors</c>). Timestamps are epoch milliseconds.</summary>
internal sealed record EngineActor
{
    /// <summary>The engine's 30-character actor id.</summary>
    public required string ActorId { get; init; }

    /// <summary>The actor name (the actor type).</summary>
    public required string Name { get; init; }

    /// <summary>The serialized key (<see cref="ActorKey.Serialize"/>), or <see langword="null"/> for an actor without key.</summary>
    public string? Key { get; init; }

    /// <summary>The id of the namespace the actor lives in.</summary>
    public string? NamespaceId { get; init; }

    /// <summary>The datacenter name, e.g. <c>default</c>.</summary>
    public string? Datacenter { get; init; }

    /// <summary>The pool (runner name) the actor runs on.</summary>
    public string? RunnerNameSelector { get; init; }

    /// <summary><c>restart</c>, <c>sleep</c> or <c>destroy</c>.</summary>
    public string? CrashPolicy { get; init; }

    /// <summary>When the actor was created.</summary>
    public long CreateTs { get; init; }

    /// <summary>When the actor last started.</summary>
    public long? StartTs { get; init; }

    /// <summary>When the actor started waiting for allocation.</summary>
    public long? PendingAllocationTs { get; init; }

    /// <summary>Non-null while the actor is running and reachable.</summary>
    public long? ConnectableTs { get; init; }

    /// <summary>Non-null while the actor is asleep.</summary>
    public long? SleepTs { get; init; }

    /// <summary>When the actor was last rescheduled.</summary>
    public long? RescheduleTs { get; init; }

    /// <summary>Non-null once the actor is destroyed.</summary>
    public long? DestroyTs { get; init; }

    /// <summary>Why the last run failed: a string (<c>"no_capacity"</c>) or an object (<c>{"crashed":{...}}</c>).</summary>
    public JsonElement? Error { get; init; }

    /// <summary>The key parsed back into its parts, or <see langword="null"/> when the actor has no key.</summary>
    [JsonIgnore]
    public ActorKey? ParsedKey => Key is null ? (ActorKey?)null : ActorKey.Parse(Key);

    /// <summary>Whether the engine reports the actor destroyed.</summary>
    [JsonIgnore]
    public bool IsDestroyed => DestroyTs is not null;
}

/// <summary>What to create with <c>POST /actors</c> or <c>PUT /actors</c>.</summary>
internal sealed record EngineCreateActorRequest
{
    /// <summary>The actor name.</summary>
    public required string Name { get; init; }

    /// <summary>The key; required for get-or-create.</summary>
    public ActorKey? Key { get; init; }

    /// <summary>The pool the actor runs on (RivetKit's default is <c>default</c>).</summary>
    public string RunnerNameSelector { get; init; } = "default";

    /// <summary><c>restart</c>, <c>sleep</c> (RivetKit's choice) or <c>destroy</c>.</summary>
    public string CrashPolicy { get; init; } = "sleep";

    /// <summary>Input bytes handed to the actor at creation (RivetKit puts CBOR here).</summary>
    public ReadOnlyMemory<byte>? Input { get; init; }

    /// <summary>The datacenter to create the actor in; the engine picks one when <see langword="null"/>.</summary>
    public string? Datacenter { get; init; }
}

/// <summary>The outcome of get-or-create (<c>PUT /actors</c>).</summary>
/// <param name="Actor">The actor found or created.</param>
/// <param name="Created">Whether this call created it.</param>
internal sealed record EngineGetOrCreateResult(EngineActor Actor, bool Created);

/// <summary>One page of actors.</summary>
/// <param name="Actors">The actors on this page.</param>
/// <param name="Cursor">The cursor of the next page, or <see langword="null"/>.</param>
internal sealed record EngineActorPage(IReadOnlyList<EngineActor> Actors, string? Cursor);

/// <summary><c>GET /health</c>.</summary>
internal sealed record EngineHealth
{
    /// <summary><c>ok</c> when healthy.</summary>
    public required string Status { get; init; }

    /// <summary><c>engine</c>.</summary>
    public string? Runtime { get; init; }

    /// <summary>The engine version, e.g. <c>2.3.19</c>.</summary>
    public string? Version { get; init; }
}

/// <summary><c>GET /metadata</c>.</summary>
internal sealed record EngineMetadata
{
    /// <summary><c>engine</c>.</summary>
    public string? Runtime { get; init; }

    /// <summary>The engine version, e.g. <c>2.3.19</c>.</summary>
    public required string Version { get; init; }

    /// <summary>The git commit the engine was built from.</summary>
    public string? GitSha { get; init; }

    /// <summary>The envoy protocol version the engine speaks (8 for 2.3.19).</summary>
    public int? EnvoyProtocolVersion { get; init; }

    /// <summary>The epoxy (replication) protocol version.</summary>
    public int? EpoxyProtocolVersion { get; init; }
}

/// <summary>One datacenter from <c>GET /datacenters</c>.</summary>
internal sealed record EngineDatacenter
{
    /// <summary>The numeric label (1 for the default datacenter).</summary>
    public int Label { get; init; }

    /// <summary>The name used as key in runner configs, e.g. <c>default</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The public URL of the datacenter.</summary>
    public string? Url { get; init; }
}

/// <summary>
/// A runner (pool) configuration for one datacenter, as sent with <c>PUT /runner-configs/{pool}</c>: exactly one of
/// <see cref="Normal"/> (envoys connect to the engine) or <see cref="Serverless"/> (the engine calls an HTTP endpoint).
/// </summary>
internal sealed record EngineRunnerConfig
{
    /// <summary>Set for a pool of envoys that connect to the engine themselves.</summary>
    public EngineNormalRunnerConfig? Normal { get; init; }

    /// <summary>Set for a serverless pool.</summary>
    public EngineServerlessRunnerConfig? Serverless { get; init; }

    /// <summary>Whether envoys of an older version are drained when a newer one connects (RivetKit sends <see langword="true"/>).</summary>
    public bool? DrainOnVersionUpgrade { get; init; }

    /// <summary>Free-form metadata stored with the config.</summary>
    public JsonElement? Metadata { get; init; }

    /// <summary>The configuration RivetKit upserts before an envoy connects.</summary>
    public static EngineRunnerConfig ForEnvoys() => new() { Normal = new EngineNormalRunnerConfig(), DrainOnVersionUpgrade = true };

    /// <summary>A serverless pool whose backend serves <c>{url}/start</c> and <c>{url}/metadata</c>.</summary>
    public static EngineRunnerConfig ForServerless(string url, int requestLifespanSeconds = 3600, IReadOnlyDictionary<string, string>? headers = null) => new()
    {
        Serverless = new EngineServerlessRunnerConfig
        {
            Url = url,
            RequestLifespan = requestLifespanSeconds,
            Headers = headers ?? new Dictionary<string, string>(),
        },
        DrainOnVersionUpgrade = true,
    };
}

/// <summary>Settings of a normal (envoy) pool; all optional.</summary>
internal sealed record EngineNormalRunnerConfig
{
    /// <summary>Drain older envoy versions when a newer one connects.</summary>
    public bool? DrainOnVersionUpgrade { get; init; }

    /// <summary>Delay before evicting actors (ms).</summary>
    public long? ActorEvictionDelay { get; init; }

    /// <summary>Eviction period (ms).</summary>
    public long? ActorEvictionPeriod { get; init; }

    /// <summary>Eviction rate.</summary>
    public double? ActorEvictionRate { get; init; }
}

/// <summary>Settings of a serverless pool.</summary>
internal sealed record EngineServerlessRunnerConfig
{
    /// <summary>Base URL; the engine appends <c>/start</c> and <c>/metadata</c>.</summary>
    public required string Url { get; init; }

    /// <summary>Headers sent verbatim on every engine → backend call.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>How long one <c>/start</c> request may live, in seconds.</summary>
    public int RequestLifespan { get; init; } = 3600;

    /// <summary>Grace period for draining, in seconds.</summary>
    public int? DrainGracePeriod { get; init; }

    /// <summary>How often the engine polls <c>/metadata</c>, in milliseconds.</summary>
    public int? MetadataPollInterval { get; init; }

    /// <summary>Maximum runners (RivetKit sends 100000).</summary>
    public int? MaxRunners { get; init; }

    /// <summary>Minimum runners.</summary>
    public int? MinRunners { get; init; }

    /// <summary>Extra runners kept warm.</summary>
    public int? RunnersMargin { get; init; }

    /// <summary>Actors per runner.</summary>
    public int? SlotsPerRunner { get; init; }

    /// <summary>Maximum concurrent actors.</summary>
    public int? MaxConcurrentActors { get; init; }
}

/// <summary>A stored runner config for one datacenter, as <c>GET /runner-configs</c> reports it (defaults filled in).</summary>
internal sealed record EngineStoredRunnerConfig
{
    /// <summary>Present for an envoy pool.</summary>
    public EngineNormalRunnerConfig? Normal { get; init; }

    /// <summary>Present for a serverless pool.</summary>
    public EngineServerlessRunnerConfig? Serverless { get; init; }

    /// <summary>The envoy protocol version, known once an envoy connected or metadata was fetched.</summary>
    public int? ProtocolVersion { get; init; }

    /// <summary>Stored metadata.</summary>
    public JsonElement? Metadata { get; init; }

    /// <summary>Why the engine could not use a serverless pool, if it reported a reason.</summary>
    public JsonElement? RunnerPoolError { get; init; }
}

/// <summary>The value of one actor KV key (<c>GET /actors/{id}/kv/keys/{key}</c>).</summary>
/// <param name="Value">The stored bytes.</param>
/// <param name="UpdateTs">When the key was last written (epoch ms).</param>
internal sealed record EngineKvEntry(byte[] Value, long UpdateTs);

/// <summary>A connected envoy (<c>GET /envoys</c>).</summary>
internal sealed record EngineEnvoy
{
    /// <summary>The key the envoy connected with.</summary>
    public string? EnvoyKey { get; init; }

    /// <summary>The pool it serves.</summary>
    public string? PoolName { get; init; }

    /// <summary>The version it announced.</summary>
    public long? Version { get; init; }

    /// <summary>Its actor slots.</summary>
    public long? Slots { get; init; }

    /// <summary>When it last answered a ping (epoch ms).</summary>
    public long? LastPingTs { get; init; }

    /// <summary>Its last round-trip time (ms).</summary>
    public long? LastRtt { get; init; }

    /// <summary>The metadata it announced.</summary>
    public JsonElement? Metadata { get; init; }
}

// Wire shapes: bodies and envelopes that only the client sees.

internal sealed record EngineErrorBody(string? Group, string? Code, string? Message, JsonElement? Metadata);

internal sealed record CreateActorBody(
    string Name,
    string? Key,
    string RunnerNameSelector,
    string CrashPolicy,
    string? Input,
    string? Datacenter);

internal sealed record ActorEnvelope(EngineActor Actor);

internal sealed record GetOrCreateEnvelope(EngineActor Actor, bool Created);

internal sealed record Pagination(string? Cursor);

internal sealed record ActorsEnvelope(List<EngineActor> Actors, Pagination? Pagination);

internal sealed record ActorNameInfo(JsonElement? Metadata);

internal sealed record ActorNamesEnvelope(Dictionary<string, ActorNameInfo> Names, Pagination? Pagination);

internal sealed record DatacentersEnvelope(List<EngineDatacenter> Datacenters, Pagination? Pagination);

internal sealed record RunnerConfigUpsertBody(Dictionary<string, EngineRunnerConfig> Datacenters);

internal sealed record RunnerConfigUpsertResult(bool EndpointConfigChanged);

internal sealed record StoredRunnerConfigDatacenters(Dictionary<string, EngineStoredRunnerConfig> Datacenters);

internal sealed record RunnerConfigsEnvelope(Dictionary<string, StoredRunnerConfigDatacenters> RunnerConfigs, Pagination? Pagination);

internal sealed record KvGetBody(string? Value, long UpdateTs);

internal sealed record EnvoysEnvelope(List<EngineEnvoy> Envoys, Pagination? Pagination);

internal sealed record EmptyBody;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DictionaryKeyPolicy = JsonKnownNamingPolicy.Unspecified,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    PropertyNameCaseInsensitive = false)]
[JsonSerializable(typeof(EngineErrorBody))]
[JsonSerializable(typeof(EngineHealth))]
[JsonSerializable(typeof(EngineMetadata))]
[JsonSerializable(typeof(CreateActorBody))]
[JsonSerializable(typeof(ActorEnvelope))]
[JsonSerializable(typeof(GetOrCreateEnvelope))]
[JsonSerializable(typeof(ActorsEnvelope))]
[JsonSerializable(typeof(ActorNamesEnvelope))]
[JsonSerializable(typeof(DatacentersEnvelope))]
[JsonSerializable(typeof(RunnerConfigUpsertBody))]
[JsonSerializable(typeof(RunnerConfigUpsertResult))]
[JsonSerializable(typeof(RunnerConfigsEnvelope))]
[JsonSerializable(typeof(KvGetBody))]
[JsonSerializable(typeof(EnvoysEnvelope))]
[JsonSerializable(typeof(EmptyBody))]
internal sealed partial class EngineJsonContext : JsonSerializerContext;
