using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;

namespace Rivet.Engine;

/// <summary>
/// A client of the Rivet Engine REST API (guard port, <c>/actors</c>, <c>/runner-configs</c>, ...). Every call carries
/// the namespace and the bearer token, and has its own timeout: the engine has been seen to leave
/// <c>POST /actors</c> unanswered, so no call may wait forever. Engine errors (<c>{"group","code","message","metadata"}</c>)
/// surface as <see cref="EngineApiException"/>, a <see cref="RivetException"/> with the same group, code, message and metadata.
/// </summary>
internal sealed class EngineApiClient : IDisposable
{
    /// <summary>The timeout of a call when none is given.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly string? _token;

    /// <summary>Creates a client of the engine at <paramref name="endpoint"/> (e.g. <c>http://127.0.0.1:6420</c>).</summary>
    /// <param name="endpoint">The engine's guard endpoint.</param>
    /// <param name="namespace">The namespace sent with every call.</param>
    /// <param name="token">The bearer token (the engine's <c>auth.admin_token</c>), if any.</param>
    /// <param name="timeout">The timeout of each call; <see cref="DefaultTimeout"/> when <see langword="null"/>.</param>
    /// <param name="handler">The HTTP handler to use; a new <see cref="SocketsHttpHandler"/> when <see langword="null"/>.</param>
    public EngineApiClient(Uri endpoint, string @namespace = "default", string? token = null, TimeSpan? timeout = null, HttpMessageHandler? handler = null)
        : this(CreateHttpClient(endpoint, handler), ownsHttp: true, @namespace, token, timeout ?? DefaultTimeout)
    {
    }

    private EngineApiClient(HttpClient http, bool ownsHttp, string @namespace, string? token, TimeSpan timeout)
    {
        ArgumentException.ThrowIfNullOrEmpty(@namespace);
        if (timeout <= TimeSpan.Zero && timeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must be positive.");
        }
        _http = http;
        _ownsHttp = ownsHttp;
        _token = token;
        Namespace = @namespace;
        Timeout = timeout;
    }

    /// <summary>The engine endpoint.</summary>
    public Uri Endpoint => _http.BaseAddress!;

    /// <summary>The namespace sent with every call.</summary>
    public string Namespace { get; }

    /// <summary>The timeout of each call.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>A client of the same engine for another namespace, sharing this client's connections.</summary>
    public EngineApiClient WithNamespace(string @namespace) => new(_http, ownsHttp: false, @namespace, _token, Timeout);

    /// <summary>A client of the same engine with another per-call timeout, sharing this client's connections.</summary>
    public EngineApiClient WithTimeout(TimeSpan timeout) => new(_http, ownsHttp: false, Namespace, _token, timeout);

    // ----- engine -----

    /// <summary><c>GET /health</c>.</summary>
    public Task<EngineHealth> GetHealthAsync(CancellationToken cancellationToken = default)
        => SendAsync("GetHealth", HttpMethod.Get, "/health", null, EngineJsonContext.Default.EngineHealth, cancellationToken, withNamespace: false);

    /// <summary><c>GET /metadata</c>: version and protocol versions.</summary>
    public Task<EngineMetadata> GetMetadataAsync(CancellationToken cancellationToken = default)
        => SendAsync("GetMetadata", HttpMethod.Get, "/metadata", null, EngineJsonContext.Default.EngineMetadata, cancellationToken, withNamespace: false);

    /// <summary><c>GET /datacenters</c>.</summary>
    public async Task<IReadOnlyList<EngineDatacenter>> ListDatacentersAsync(CancellationToken cancellationToken = default)
    {
        var result = await SendAsync("ListDatacenters", HttpMethod.Get, "/datacenters", null, EngineJsonContext.Default.DatacentersEnvelope, cancellationToken).ConfigureAwait(false);
        return result.Datacenters;
    }

    // ----- runner configs -----

    /// <summary>
    /// <c>PUT /runner-configs/{pool}</c>: creates or replaces the pool's config in the given datacenters, or in every
    /// datacenter of the engine when <paramref name="datacenters"/> is <see langword="null"/> (what RivetKit does).
    /// Idempotent. Returns whether the endpoint configuration changed.
    /// </summary>
    public async Task<bool> UpsertRunnerConfigAsync(string pool, EngineRunnerConfig config, IEnumerable<string>? datacenters = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(pool);
        ArgumentNullException.ThrowIfNull(config);
        if ((config.Normal is null) == (config.Serverless is null))
        {
            throw new ArgumentException("A runner config needs exactly one of Normal or Serverless.", nameof(config));
        }
        var names = datacenters?.ToList() ?? (await ListDatacentersAsync(cancellationToken).ConfigureAwait(false)).Select(d => d.Name).ToList();
        var body = new RunnerConfigUpsertBody(names.ToDictionary(n => n, _ => config, StringComparer.Ordinal));
        var result = await SendAsync(
            "UpsertRunnerConfig", HttpMethod.Put, "/runner-configs/" + Uri.EscapeDataString(pool),
            JsonContent(body, EngineJsonContext.Default.RunnerConfigUpsertBody),
            EngineJsonContext.Default.RunnerConfigUpsertResult, cancellationToken).ConfigureAwait(false);
        return result.EndpointConfigChanged;
    }

    /// <summary>
    /// <c>GET /runner-configs</c>: the stored configs by pool name, then by datacenter name, with the engine's defaults
    /// filled in. <paramref name="pools"/> narrows the answer to those pools.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, EngineStoredRunnerConfig>>> ListRunnerConfigsAsync(
        IEnumerable<string>? pools = null, CancellationToken cancellationToken = default)
    {
        var query = pools is null ? null : "runner_names=" + string.Join(',', pools.Select(Uri.EscapeDataString));
        var result = await SendAsync("ListRunnerConfigs", HttpMethod.Get, "/runner-configs", null, EngineJsonContext.Default.RunnerConfigsEnvelope, cancellationToken, query: query).ConfigureAwait(false);
        return result.RunnerConfigs.ToDictionary(
            p => p.Key,
            p => (IReadOnlyDictionary<string, EngineStoredRunnerConfig>)p.Value.Datacenters,
            StringComparer.Ordinal);
    }

    /// <summary><c>DELETE /runner-configs/{pool}</c>.</summary>
    public Task DeleteRunnerConfigAsync(string pool, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(pool);
        return SendAsync("DeleteRunnerConfig", HttpMethod.Delete, "/runner-configs/" + Uri.EscapeDataString(pool), null, EngineJsonContext.Default.EmptyBody, cancellationToken);
    }

    // ----- actors -----

    /// <summary><c>POST /actors</c>: creates an actor. A taken key fails with <c>actor.duplicate_key</c> (metadata <c>existing_actor_id</c>).</summary>
    public async Task<EngineActor> CreateActorAsync(EngineCreateActorRequest request, CancellationToken cancellationToken = default)
    {
        var result = await SendAsync("CreateActor", HttpMethod.Post, "/actors", CreateBody(request, keyRequired: false), EngineJsonContext.Default.ActorEnvelope, cancellationToken).ConfigureAwait(false);
        return result.Actor;
    }

    /// <summary><c>PUT /actors</c>: returns the actor with the request's name and key, creating it when there is none.</summary>
    public async Task<EngineGetOrCreateResult> GetOrCreateActorAsync(EngineCreateActorRequest request, CancellationToken cancellationToken = default)
    {
        var result = await SendAsync("GetOrCreateActor", HttpMethod.Put, "/actors", CreateBody(request, keyRequired: true), EngineJsonContext.Default.GetOrCreateEnvelope, cancellationToken).ConfigureAwait(false);
        return new EngineGetOrCreateResult(result.Actor, result.Created);
    }

    /// <summary><c>GET /actors?actor_ids=id</c>: the actor, destroyed or not, or <see langword="null"/> when the engine does not know it.</summary>
    public async Task<EngineActor?> GetActorAsync(string actorId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(actorId);
        var actors = await GetActorsAsync([actorId], cancellationToken).ConfigureAwait(false);
        return actors.FirstOrDefault(a => a.ActorId == actorId);
    }

    /// <summary><c>GET /actors?actor_ids=a,b</c>: the known actors among those ids, destroyed ones included.</summary>
    public async Task<IReadOnlyList<EngineActor>> GetActorsAsync(IEnumerable<string> actorIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actorIds);
        var ids = actorIds.ToList();
        if (ids.Count == 0)
        {
            return [];
        }
        var query = "actor_ids=" + string.Join(',', ids.Select(Uri.EscapeDataString)) + "&include_destroyed=true";
        var result = await SendAsync("GetActors", HttpMethod.Get, "/actors", null, EngineJsonContext.Default.ActorsEnvelope, cancellationToken, query: query).ConfigureAwait(false);
        return result.Actors;
    }

    /// <summary><c>GET /actors?name=N&amp;key=K</c>: the live actor with that name and key, or <see langword="null"/>.</summary>
    public async Task<EngineActor?> GetActorByKeyAsync(string name, ActorKey key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var query = "name=" + Uri.EscapeDataString(name) + "&key=" + Uri.EscapeDataString(key.Serialize());
        var result = await SendAsync("GetActorByKey", HttpMethod.Get, "/actors", null, EngineJsonContext.Default.ActorsEnvelope, cancellationToken, query: query).ConfigureAwait(false);
        return result.Actors.FirstOrDefault();
    }

    /// <summary><c>GET /actors?name=N</c>: one page of actors with that name.</summary>
    public async Task<EngineActorPage> ListActorsAsync(string name, int? limit = null, string? cursor = null, bool includeDestroyed = false, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var query = new StringBuilder("name=").Append(Uri.EscapeDataString(name));
        if (limit is { } l)
        {
            query.Append("&limit=").Append(l.ToString(CultureInfo.InvariantCulture));
        }
        if (cursor is not null)
        {
            query.Append("&cursor=").Append(Uri.EscapeDataString(cursor));
        }
        if (includeDestroyed)
        {
            query.Append("&include_destroyed=true");
        }
        var result = await SendAsync("ListActors", HttpMethod.Get, "/actors", null, EngineJsonContext.Default.ActorsEnvelope, cancellationToken, query: query.ToString()).ConfigureAwait(false);
        return new EngineActorPage(result.Actors, result.Pagination?.Cursor);
    }

    /// <summary><c>GET /actors/names</c>: the actor names of the namespace with their metadata.</summary>
    public async Task<IReadOnlyDictionary<string, JsonElement?>> ListActorNamesAsync(CancellationToken cancellationToken = default)
    {
        var result = await SendAsync("ListActorNames", HttpMethod.Get, "/actors/names", null, EngineJsonContext.Default.ActorNamesEnvelope, cancellationToken).ConfigureAwait(false);
        return result.Names.ToDictionary(n => n.Key, n => n.Value.Metadata, StringComparer.Ordinal);
    }

    /// <summary><c>DELETE /actors/{id}</c>: destroys the actor (also succeeds when it already is).</summary>
    public Task DestroyActorAsync(string actorId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(actorId);
        return SendAsync("DestroyActor", HttpMethod.Delete, "/actors/" + Uri.EscapeDataString(actorId), null, EngineJsonContext.Default.EmptyBody, cancellationToken);
    }

    /// <summary><c>POST /actors/{id}/sleep</c>: asks the running actor to sleep.</summary>
    public Task SleepActorAsync(string actorId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(actorId);
        return SendAsync("SleepActor", HttpMethod.Post, "/actors/" + Uri.EscapeDataString(actorId) + "/sleep",
            JsonContent(new EmptyBody(), EngineJsonContext.Default.EmptyBody), EngineJsonContext.Default.EmptyBody, cancellationToken);
    }

    /// <summary>
    /// <c>GET /gateway/{id}/health</c> with <c>x-rivet-skip-ready-wait: 1</c>: a request through the gateway, which
    /// sends the actor's workflow a wake (a sleeping actor is started at once on an eligible runner) without waiting
    /// for the actor to be ready. Returns the gateway's status code; whatever it is, the wake was sent once the gateway
    /// found the actor.
    /// </summary>
    public async Task<int> WakeActorAsync(string actorId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(actorId);
        using var request = new HttpRequestMessage(HttpMethod.Get, "gateway/" + Uri.EscapeDataString(actorId) + "/health");
        request.Headers.Add("x-rivet-skip-ready-wait", "1");
        if (_token is not null)
        {
            request.Headers.Add("x-rivet-token", _token);
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (Timeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            timeout.CancelAfter(Timeout);
        }
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            return (int)response.StatusCode;
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The gateway ({Endpoint}) did not answer a wake of actor {actorId} within {Timeout.TotalSeconds:0.###} s.", e);
        }
    }

    /// <summary><c>POST /actors/{id}/reschedule</c>: moves the actor to another envoy.</summary>
    public Task RescheduleActorAsync(string actorId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(actorId);
        return SendAsync("RescheduleActor", HttpMethod.Post, "/actors/" + Uri.EscapeDataString(actorId) + "/reschedule",
            JsonContent(new EmptyBody(), EngineJsonContext.Default.EmptyBody), EngineJsonContext.Default.EmptyBody, cancellationToken);
    }

    /// <summary>
    /// <c>GET /actors/{id}/kv/keys/{base64 key}</c>: one raw engine KV entry of the actor, or <see langword="null"/>
    /// when the key does not exist (<c>actor.kv_key_not_found</c>).
    /// </summary>
    public async Task<EngineKvEntry?> ReadKvAsync(string actorId, ReadOnlyMemory<byte> key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(actorId);
        var path = "/actors/" + Uri.EscapeDataString(actorId) + "/kv/keys/" + Uri.EscapeDataString(Convert.ToBase64String(key.Span));
        try
        {
            var result = await SendAsync("ReadKv", HttpMethod.Get, path, null, EngineJsonContext.Default.KvGetBody, cancellationToken).ConfigureAwait(false);
            return new EngineKvEntry(result.Value is null ? [] : Convert.FromBase64String(result.Value), result.UpdateTs);
        }
        catch (EngineApiException e) when (e.Group == "actor" && e.Code == "kv_key_not_found")
        {
            return null;
        }
    }

    /// <summary><c>GET /envoys</c>: the connected envoys, of one pool when <paramref name="pool"/> is given.</summary>
    public async Task<IReadOnlyList<EngineEnvoy>> ListEnvoysAsync(string? pool = null, CancellationToken cancellationToken = default)
    {
        var query = pool is null ? null : "name=" + Uri.EscapeDataString(pool);
        var result = await SendAsync("ListEnvoys", HttpMethod.Get, "/envoys", null, EngineJsonContext.Default.EnvoysEnvelope, cancellationToken, query: query).ConfigureAwait(false);
        return result.Envoys;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    // ----- plumbing -----

    private static HttpClient CreateHttpClient(Uri endpoint, HttpMessageHandler? handler)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (!endpoint.IsAbsoluteUri)
        {
            throw new ArgumentException($"The engine endpoint '{endpoint}' must be an absolute URI.", nameof(endpoint));
        }
        handler ??= new SocketsHttpHandler
        {
            // A closed port must fail fast, never hang; the per-call timeout bounds everything else.
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        };
        var baseAddress = endpoint.AbsoluteUri.EndsWith('/') ? endpoint : new Uri(endpoint.AbsoluteUri + "/");
        return new HttpClient(handler, disposeHandler: true)
        {
            BaseAddress = baseAddress,
            Timeout = System.Threading.Timeout.InfiniteTimeSpan,
        };
    }

    private static HttpContent CreateBody(EngineCreateActorRequest request, bool keyRequired)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.Name);
        if (keyRequired && request.Key is null)
        {
            throw new ArgumentException("Get-or-create needs a key.", nameof(request));
        }
        var body = new CreateActorBody(
            request.Name,
            request.Key?.Serialize(),
            request.RunnerNameSelector,
            request.CrashPolicy,
            request.Input is { } input ? Convert.ToBase64String(input.Span) : null,
            request.Datacenter);
        return JsonContent(body, EngineJsonContext.Default.CreateActorBody);
    }

    private static ByteArrayContent JsonContent<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(value, typeInfo));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private async Task<T> SendAsync<T>(
        string operation,
        HttpMethod method,
        string path,
        HttpContent? content,
        JsonTypeInfo<T> responseType,
        CancellationToken cancellationToken,
        bool withNamespace = true,
        string? query = null)
    {
        var relative = path.TrimStart('/');
        var parts = new List<string>(2);
        if (withNamespace)
        {
            parts.Add("namespace=" + Uri.EscapeDataString(Namespace));
        }
        if (!string.IsNullOrEmpty(query))
        {
            parts.Add(query);
        }
        if (parts.Count > 0)
        {
            relative += "?" + string.Join('&', parts);
        }
        var describe = $"{method} {path}";

        using var request = new HttpRequestMessage(method, relative) { Content = content };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (_token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (Timeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            timeout.CancelAfter(Timeout);
        }
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
            var bytes = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw CreateError(operation, describe, response, bytes);
            }
            try
            {
                return JsonSerializer.Deserialize(bytes, responseType)
                    ?? throw new JsonException("The body is JSON null.");
            }
            catch (JsonException e)
            {
                throw new EngineApiException(
                    EngineApiException.EngineGroup, "invalid_response",
                    $"Engine API {operation} ({describe}) answered {(int)response.StatusCode} with a body this client cannot read: {e.Message} Body: {Truncate(bytes)}",
                    null, e)
                { Operation = operation, StatusCode = response.StatusCode, RayId = RayId(response) };
            }
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Engine API {operation} ({describe} on {Endpoint}) did not answer within {Timeout.TotalSeconds:0.###} s.", e);
        }
        catch (HttpRequestException e)
        {
            throw new EngineApiException(
                EngineApiException.EngineGroup, "unreachable",
                $"Engine API {operation} ({describe}) could not reach the engine at {Endpoint}: {e.Message}",
                null, e)
            { Operation = operation };
        }
    }

    private static EngineApiException CreateError(string operation, string describe, HttpResponseMessage response, byte[] bytes)
    {
        EngineErrorBody? body = null;
        try
        {
            body = JsonSerializer.Deserialize(bytes, EngineJsonContext.Default.EngineErrorBody);
        }
        catch (JsonException)
        {
        }
        if (body is { Group: { Length: > 0 } group, Code: { Length: > 0 } code })
        {
            return new EngineApiException(group, code, body.Message ?? $"{group}.{code}", body.Metadata)
            {
                Operation = operation,
                StatusCode = response.StatusCode,
                RayId = RayId(response),
            };
        }
        return new EngineApiException(
            EngineApiException.EngineGroup, "http_error",
            $"Engine API {operation} ({describe}) failed with HTTP {(int)response.StatusCode} {response.ReasonPhrase}: {Truncate(bytes)}")
        {
            Operation = operation,
            StatusCode = response.StatusCode,
            RayId = RayId(response),
        };
    }

    private static string? RayId(HttpResponseMessage response)
        => response.Headers.TryGetValues("x-rivet-ray-id", out var values) ? values.FirstOrDefault() : null;

    private static string Truncate(byte[] bytes)
    {
        var text = Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, 500));
        return bytes.Length > 500 ? text + "…" : text;
    }
}

/// <summary>
/// An error from the engine REST API: the engine's own <c>group</c>/<c>code</c>/<c>message</c>/<c>metadata</c>, or group
/// <c>engine</c> for failures of the call itself (<c>unreachable</c>, <c>http_error</c>, <c>invalid_response</c>).
/// </summary>
internal sealed class EngineApiException : RivetException
{
    /// <summary>The group of errors raised by the client rather than by the engine.</summary>
    public const string EngineGroup = "engine";

    /// <summary>Creates the error.</summary>
    public EngineApiException(string group, string code, string message, JsonElement? metadata = null, Exception? innerException = null)
        : base(group, code, message, metadata, innerException)
    {
    }

    /// <summary>The client operation that failed, e.g. <c>CreateActor</c>.</summary>
    public required string Operation { get; init; }

    /// <summary>The HTTP status, when the engine answered.</summary>
    public HttpStatusCode? StatusCode { get; init; }

    /// <summary>The engine's <c>x-rivet-ray-id</c> of the request, for its logs.</summary>
    public string? RayId { get; init; }

    /// <inheritdoc />
    public override string ToString()
        => $"{GetType().FullName}: [{Id}] {Message} (operation {Operation}"
           + (StatusCode is { } s ? $", HTTP {(int)s}" : string.Empty)
           + (RayId is not null ? $", ray {RayId}" : string.Empty)
           + (Metadata is { } m ? $", metadata {m.GetRawText()}" : string.Empty)
           + ")" + (InnerException is not null ? Environment.NewLine + " ---> " + InnerException : string.Empty);
}
