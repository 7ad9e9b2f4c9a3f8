using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Codecs.Cbor;
using Rivet.Engine;
using Rivet.Engine.MultiNode;
using Rivet.Protocol.Client;

namespace Rivet.Client.Engine;

/// <summary>
/// Reaches actors through a Rivet Engine, as RivetKit's TypeScript client does: action calls go to the engine's
/// gateway (<c>POST /gateway/…/action/{name}</c>) in the configured encoding, and creation and resolution use the
/// engine's REST API (<c>/actors</c>); realtime connections (<see cref="ActorHandle.ConnectAsync(ReadOnlyMemory{byte}, CancellationToken)"/>)
/// are <c>/connect</c> WebSockets to the gateway, routed the same way. Thread-safe; share one per application (it
/// pools its connections).
/// </summary>
/// <remarks>
/// <para>Routing:</para>
/// <list type="bullet">
/// <item><see cref="ActorQueryKind.Get"/>: <c>/gateway/{name}/action/{action}?rvt-namespace=…&amp;rvt-method=get&amp;rvt-key=a,b</c>.</item>
/// <item><see cref="ActorQueryKind.GetOrCreate"/>: the same with <c>rvt-method=getOrCreate&amp;rvt-runner={pool}</c>,
/// <c>rvt-crash-policy=sleep</c> and, with an input, <c>rvt-input</c> (base64url of its CBOR, no padding).</item>
/// <item><see cref="ActorQueryKind.ForId"/>: <c>/gateway/{actorId}/action/{action}</c>.</item>
/// <item>Keys are read as the gateway reads <c>rvt-key</c> on every path (<see cref="GatewayKey"/>): a part holding
/// <c>,</c> is several parts, as with RivetKit's client.</item>
/// <item>Keys with an empty part (which the engine's query route never resolves) and inputs over
/// <see cref="MaxQueryInputSize"/> bytes of CBOR are resolved through the REST API instead (get by key, or get-or-create),
/// and the call is routed to the actor's id. Those ids are cached per name and key; the entry is dropped (and
/// the call retried once) when the gateway answers <c>actor.not_found</c> for it.</item>
/// <item>After the first successful call by query, the id is resolved in the background and later calls go by id
/// (the gateway would otherwise resolve the key on every call); <c>actor.not_found</c> drops it again.</item>
/// </list>
/// <para>Errors: an actor's error reaches the caller as a <see cref="RivetException"/> with its group, code, message
/// and metadata; so do the engine's (<c>actor.not_found</c>, <c>guard.actor_ready_timeout</c>, …), which the engine
/// always writes in JSON. Errors that mean the call never reached the actor (<see cref="IsUndeliveredRoutingError"/>)
/// are retried on every route, up to 4 sends in all. A call the engine does not answer in time throws
/// <see cref="TimeoutException"/>; an engine
/// that cannot be reached throws <see cref="RivetException"/> <c>engine.unreachable</c>. Both messages name the actor,
/// the action and the endpoint.</para>
/// </remarks>
public sealed partial class EngineActorTransport : IActorTransport
{
    /// <summary>The largest CBOR input sent in a gateway URL (RivetKit's default <c>maxInputSize</c>); bigger inputs go through the REST API.</summary>
    public const int MaxQueryInputSize = 4 * 1024;

    /// <summary>The group of errors raised by this client itself rather than by the engine or an actor.</summary>
    public const string ClientErrorGroup = "engine";

    private const string CrashPolicy = "sleep";
    private const string TokenHeader = "x-rivet-token";
    private const string ActorHeader = "x-rivet-actor";
    private const string RayIdHeader = "x-rivet-ray-id";

    private static readonly ProductInfoHeaderValue s_userAgent = new("Rivet.Sdk", Rivet.Hosting.SdkVersion.Current);

    private readonly SocketsHttpHandler _handler;
    private readonly HttpMessageHandler _routing;
    private readonly HttpClient _http;
    private readonly EngineApiClient _api;
    private readonly ClientEncodingKind _encoding;
    private readonly string _encodingName;
    private readonly string _contentType;
    private readonly string _baseUrl;
    private readonly ConcurrentDictionary<(string Name, ActorKey Key), string> _resolved = new();
    private readonly Microsoft.Extensions.Logging.ILoggerFactory _loggerFactory;
    private readonly ConcurrentDictionary<(string Name, ActorKey Key), byte> _resolving = new();
    private readonly Microsoft.Extensions.Logging.ILogger _logger;
    private int _disposed;

    /// <summary>Creates a transport to the engine described by <paramref name="options"/> (copied; later changes have no effect).</summary>
    /// <exception cref="ArgumentException">An option is invalid (the message names it).</exception>
    public EngineActorTransport(RivetClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var endpoint = options.Endpoint ?? throw new ArgumentException("RivetClientOptions.Endpoint is required.", nameof(options));
        if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"RivetClientOptions.Endpoint '{endpoint}' must be an absolute http or https URL.", nameof(options));
        }
        if (endpoint.Query.Length > 0 || endpoint.Fragment.Length > 0)
        {
            throw new ArgumentException($"RivetClientOptions.Endpoint '{endpoint}' cannot have a query string or a fragment.", nameof(options));
        }
        var @namespace = options.Namespace;
        var token = options.Token;
        if (endpoint.UserInfo.Length > 0)
        {
            // RivetKit's https://namespace:token@host form.
            var userInfo = endpoint.UserInfo.Split(':', 2);
            if (userInfo[0].Length > 0)
            {
                @namespace = Uri.UnescapeDataString(userInfo[0]);
            }
            if (userInfo.Length == 2 && userInfo[1].Length > 0)
            {
                token = Uri.UnescapeDataString(userInfo[1]);
            }
            endpoint = new UriBuilder(endpoint) { UserName = string.Empty, Password = string.Empty }.Uri;
        }
        if (string.IsNullOrEmpty(@namespace))
        {
            throw new ArgumentException("RivetClientOptions.Namespace is required.", nameof(options));
        }
        if (string.IsNullOrEmpty(options.PoolName))
        {
            throw new ArgumentException("RivetClientOptions.PoolName is required.", nameof(options));
        }
        if (options.RequestTimeout <= TimeSpan.Zero && options.RequestTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentException($"RivetClientOptions.RequestTimeout must be positive or infinite, not {options.RequestTimeout}.", nameof(options));
        }
        if (options.ConnectTimeout <= TimeSpan.Zero && options.ConnectTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentException($"RivetClientOptions.ConnectTimeout must be positive or infinite, not {options.ConnectTimeout}.", nameof(options));
        }

        Endpoint = endpoint;
        Namespace = @namespace;
        PoolName = options.PoolName;
        Encoding = options.Encoding;
        RequestTimeout = options.RequestTimeout;
        Token = string.IsNullOrEmpty(token) ? null : token;
        _encoding = options.Encoding switch
        {
            RivetEncoding.Json => ClientEncodingKind.Json,
            RivetEncoding.Cbor => ClientEncodingKind.Cbor,
            RivetEncoding.Bare => ClientEncodingKind.Bare,
            _ => throw new ArgumentException($"RivetClientOptions.Encoding {options.Encoding} is not a known encoding.", nameof(options)),
        };
        _encodingName = ClientEncoding.Name(_encoding);
        _contentType = ClientEncoding.ContentType(_encoding);
        _baseUrl = endpoint.AbsoluteUri.TrimEnd('/');
        _loggerFactory = options.LoggerFactory ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance;
        _logger = Microsoft.Extensions.Logging.LoggerFactoryExtensions.CreateLogger<EngineActorTransport>(_loggerFactory);

        _handler = CreateHandler(options.ConnectTimeout);
        EngineEndpointList.Validate("RivetClientOptions.FailoverEndpoints", options.FailoverEndpoints);
        // Several nodes of one cluster: requests are built for the first and re-addressed to the node in use.
        _routing = options.FailoverEndpoints is { Count: > 0 } failovers
            ? new EndpointFailoverHandler([endpoint, .. failovers], _handler, _logger)
            : _handler;
        _http = new HttpClient(_routing, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
        // The REST client shares the handler, hence the connection pool; it must not dispose it.
        _api = new EngineApiClient(endpoint, Namespace, Token, RequestTimeout, new SharedHandler(_routing));
    }

    /// <summary>The engine endpoint (without user info).</summary>
    public Uri Endpoint { get; }

    /// <summary>The namespace of the actors.</summary>
    public string Namespace { get; }

    /// <summary>The runner pool of actors this transport creates.</summary>
    public string PoolName { get; }

    /// <summary>The encoding of action calls.</summary>
    public RivetEncoding Encoding { get; }

    /// <summary>The timeout of one request.</summary>
    public TimeSpan RequestTimeout { get; }

    private string? Token { get; }

    /// <inheritdoc />
    public async Task<ReadOnlyMemory<byte>> InvokeAsync(ActorQuery query, string action, ReadOnlyMemory<byte> arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentException.ThrowIfNullOrEmpty(action);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var body = EncodeArguments(query, action, arguments);

        if (query.Kind == ActorQueryKind.ForId)
        {
            return await SendRoutedActionAsync(query, action, IdPath(query.ActorId!, action), body, cancellationToken).ConfigureAwait(false);
        }

        query = WithGatewayKey(query);
        var inputCbor = InputCbor(query);
        if (CanRouteByQuery(query.Key) && (inputCbor is null || inputCbor.Length <= MaxQueryInputSize))
        {
            if (CacheQueryRoutes && _resolved.TryGetValue((query.Name, query.Key), out var knownId))
            {
                // The gateway resolves a query route (name + key) on every call, which costs about as much as the
                // call itself; once the id is known, route by id. A destroyed actor answers actor.not_found: forget
                // the id and take the query route again (which creates it anew for getOrCreate).
                try
                {
                    return await SendRoutedActionAsync(query, action, IdPath(knownId, action), body, cancellationToken).ConfigureAwait(false);
                }
                catch (RivetException e) when (IsActorNotFound(e))
                {
                    _resolved.TryRemove(new KeyValuePair<(string, ActorKey), string>((query.Name, query.Key), knownId));
                }
            }
            var output = await SendRoutedActionAsync(query, action, QueryPath(query, action, inputCbor), body, cancellationToken).ConfigureAwait(false);
            LearnIdInBackground(query, inputCbor);
            return output;
        }

        // The key or the input does not fit a gateway URL: get or create the actor over REST and route by id.
        for (var attempt = 0; ; attempt++)
        {
            var actorId = await ResolveKeyAsync(query, inputCbor, action, cancellationToken).ConfigureAwait(false);
            try
            {
                return await SendRoutedActionAsync(query, action, IdPath(actorId, action), body, cancellationToken).ConfigureAwait(false);
            }
            catch (RivetException e) when (attempt == 0 && IsActorNotFound(e) && _resolved.TryRemove(new KeyValuePair<(string, ActorKey), string>((query.Name, query.Key), actorId)))
            {
                // The cached actor is gone (destroyed); resolve again once.
            }
        }
    }

    /// <summary>
    /// Sends an action call on one route (by id or by query), and sends it again, up to <see cref="MaxRoutingAttempts"/>
    /// times in all, when the gateway answers an error that means the call never reached the actor
    /// (<see cref="IsUndeliveredRoutingError"/>): the same on every route, so a handle behaves the same on its first
    /// call (by key) and on later ones (by the learned id). Before retrying
    /// <c>guard.actor_ready_timeout</c>, the actor is looked up: one that lives in another runner pool fails at once
    /// with a message that says so.
    /// </summary>
    private Task<ReadOnlyMemory<byte>> SendRoutedActionAsync(ActorQuery query, string action, string url, byte[] body, CancellationToken cancellationToken) =>
        SendRoutedAsync(query, action, ct => SendActionAsync(query, action, url, body, ct), cancellationToken);

    /// <summary>Sends a request on one route with <see cref="SendRoutedActionAsync"/>'s retries (actions and queue sends).</summary>
    private async Task<T> SendRoutedAsync<T>(ActorQuery query, string action, Func<CancellationToken, Task<T>> send, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await send(cancellationToken).ConfigureAwait(false);
            }
            catch (RivetException e) when (IsUndeliveredRoutingError(e))
            {
                var explained = await ExplainSchedulingErrorAsync(query, action, e, cancellationToken).ConfigureAwait(false);
                if (explained is not null)
                {
                    throw explained;
                }
                if (attempt >= MaxRoutingAttempts)
                {
                    throw;
                }
                Log.RetryingUndelivered(_logger, action, query.ToString(), e.Id, attempt, MaxRoutingAttempts);
                // The gateway gave up finding or starting the actor before delivering the call, so trying again
                // cannot run the action twice. A loaded engine can take longer than its route timeouts to place an
                // actor; a few attempts ride that out.
                await Task.Delay(TimeSpan.FromMilliseconds(250 * attempt), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// For <c>guard.actor_ready_timeout</c>: looks the actor up (bounded by the request timeout) and, when it belongs
    /// to another runner pool than this client's, returns the same error with a message that says so. <see langword="null"/> when there is nothing more to say (then the caller
    /// retries), including when the lookup itself fails.
    /// </summary>
    private async Task<RivetException?> ExplainSchedulingErrorAsync(ActorQuery query, string action, RivetException error, CancellationToken cancellationToken)
    {
        if (error.Id != "guard.actor_ready_timeout")
        {
            return null;
        }
        var actorId = error.ActorId ?? MetadataString(error, "actor_id") ?? query.ActorId;
        EngineActor? actor;
        try
        {
            actor = actorId is not null
                ? await _api.GetActorAsync(actorId, cancellationToken).ConfigureAwait(false)
                : await _api.GetActorByKeyAsync(query.Name, query.Key, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RivetException or TimeoutException or HttpRequestException)
        {
            return null;
        }
        if (actor?.RunnerNameSelector is not { } pool || string.Equals(pool, PoolName, StringComparison.Ordinal))
        {
            return null;
        }
        return new RivetException(error.Group, error.Code,
            $"Action '{action}' of actor {query}: the actor {actor.ActorId} lives in runner pool '{pool}', not in this client's pool "
            + $"'{PoolName}', and no runner of pool '{pool}' made it ready in time ({error.Message}). Start a runner of pool '{pool}', "
            + "or call it with a client whose PoolName is that pool.",
            error.Metadata, error)
        {
            ActorId = actor.ActorId,
        };
    }

    private static string? MetadataString(RivetException error, string name) =>
        error.Metadata is { ValueKind: System.Text.Json.JsonValueKind.Object } metadata
        && metadata.TryGetProperty(name, out var value) && value.ValueKind == System.Text.Json.JsonValueKind.String
            ? value.GetString()
            : null;

    /// <summary>
    /// Whether calls by name and key go by id once the id is known (default). Internal: the load tool turns it off
    /// to measure the query route side by side with the cached one.
    /// </summary>
    internal bool CacheQueryRoutes { get; set; } = true;

    /// <summary>
    /// After a call by query succeeded, resolves the actor's id over REST (idempotent: the actor exists now) without
    /// holding up the caller, so the next calls can go by id. At most one resolution per name and key at a time.
    /// </summary>
    private void LearnIdInBackground(ActorQuery query, byte[]? inputCbor)
    {
        var cacheKey = (query.Name, query.Key);
        if (!CacheQueryRoutes || _resolved.ContainsKey(cacheKey) || !_resolving.TryAdd(cacheKey, 0))
        {
            return;
        }
        _ = Task.Run(async () =>
        {
            try
            {
                // A plain lookup, never get-or-create: the call that just ran may have destroyed the actor, and a
                // lookup must not create a new one nobody asked for.
                if (_resolved.Count >= MaxCachedRoutes)
                {
                    _resolved.Clear(); // bounded: a service addressing very many keys keeps only recent ones
                }
                await ResolveKeyAsync(ActorQuery.Get(query.Name, query.Key), inputCbor: null, action: null, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is RivetException or TimeoutException or ObjectDisposedException or HttpRequestException)
            {
                // Only an optimisation: the calls keep taking the query route.
            }
            finally
            {
                _resolving.TryRemove(cacheKey, out _);
            }
        });
    }

    /// <inheritdoc />
    public async Task<string> ResolveAsync(ActorQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (query.Kind == ActorQueryKind.ForId)
        {
            return query.ActorId!;
        }
        // An explicit resolve asks the engine: the cached id may belong to an actor destroyed since (its key then
        // names a new actor). The answer refreshes the cache.
        query = WithGatewayKey(query);
        _resolved.TryRemove((query.Name, query.Key), out _);
        return await ResolveKeyAsync(query, InputCbor(query), action: null, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<string> CreateAsync(string name, ActorKey key, ReadOnlyMemory<byte> input, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        key = GatewayKey(key);
        var request = new EngineCreateActorRequest
        {
            Name = name,
            Key = key,
            RunnerNameSelector = PoolName,
            CrashPolicy = CrashPolicy,
            Input = input.IsEmpty ? null : ToCbor(input, $"the input of actor {name}{key}"),
        };
        EngineActor actor;
        try
        {
            actor = await CallApiAsync($"creating actor {name}{key}", null, ct => _api.CreateActorAsync(request, ct), cancellationToken).ConfigureAwait(false);
        }
        catch (RivetException e) when (e.Id == DestroyedDuringCreation)
        {
            // Seen when the key was already taken (the engine's key reservation lost the race instead of reporting
            // duplicate_key): report the duplicate if an actor holds the key, otherwise create again once.
            var existing = await CallApiAsync($"resolving actor {name}{key}", null, ct => _api.GetActorByKeyAsync(name, key, ct), cancellationToken).ConfigureAwait(false);
            if (existing is not null)
            {
                throw new RivetException(RivetErrors.ActorGroup, RivetErrors.DuplicateKey,
                    $"An actor with the name '{name}' and key {key} already exists (engine answered {e.Id}: {e.Message}).",
                    DuplicateMetadata(existing.ActorId, key), e) { ActorId = existing.ActorId };
            }
            actor = await CallApiAsync($"creating actor {name}{key}", null, ct => _api.CreateActorAsync(request, ct), cancellationToken).ConfigureAwait(false);
        }
        _resolved[(name, key)] = actor.ActorId;
        return actor.ActorId;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _api.Dispose();
            _webSockets?.Dispose();
            _http.Dispose();
            _handler.Dispose();
        }
        return default;
    }

    /// <inheritdoc />
    public override string ToString() => $"Rivet Engine at {Endpoint} (namespace {Namespace}, pool {PoolName}, {_encodingName})";

    // ----- routing -----

    /// <summary>
    /// The key as the engine's gateway reads it from <c>rvt-key</c>, which is how RivetKit's TypeScript client sends
    /// every call and connection of a get or get-or-create handle (<c>key.join(",")</c>): the parts joined by
    /// <c>,</c> and split again, so a part holding <c>,</c> becomes several parts (<c>["a,b"]</c> is <c>["a", "b"]</c>),
    /// and a key whose only part is empty is the empty key. Every path of this client (query routes, REST lookups,
    /// get-or-create and create) uses this form, so one logical key is one actor whichever path a call takes, and the
    /// same actor RivetKit's client reaches.
    /// </summary>
    internal static ActorKey GatewayKey(ActorKey key)
    {
        var reshaped = key.Count == 1 && key[0].Length == 0;
        foreach (var part in key.Parts)
        {
            reshaped |= part.Contains(',', StringComparison.Ordinal);
        }
        if (!reshaped)
        {
            return key;
        }
        var joined = string.Join(',', key.Parts);
        return joined.Length == 0 ? ActorKey.Empty : new ActorKey(joined.Split(','));
    }

    /// <summary>
    /// Whether the gateway's query route serves a key in <see cref="GatewayKey"/> form: engine 2.3.19 never resolves a
    /// query whose key has an empty part (<c>rvt-key=a,</c> ends in <c>pegboard.route_resolve_query_timeout</c>, for
    /// RivetKit's client too), so those go through the REST API.
    /// </summary>
    internal static bool CanRouteByQuery(ActorKey gatewayKey)
    {
        foreach (var part in gatewayKey.Parts)
        {
            if (part.Length == 0)
            {
                return false;
            }
        }
        return true;
    }

    private static ActorQuery WithGatewayKey(ActorQuery query)
    {
        var key = GatewayKey(query.Key);
        if (key == query.Key)
        {
            return query;
        }
        return query.Kind == ActorQueryKind.Get ? ActorQuery.Get(query.Name, key) : ActorQuery.GetOrCreate(query.Name, key, query.Input);
    }

    private string IdPath(string actorId, string action) => GatewayIdUrl(_baseUrl, actorId, "/action/" + Uri.EscapeDataString(action), Token);

    /// <summary><c>{baseUrl}/gateway/{actorId}[@token]{rest}</c>.</summary>
    private static string GatewayIdUrl(string baseUrl, string actorId, string rest, string? token)
    {
        var path = new StringBuilder(baseUrl.Length + actorId.Length + rest.Length + 32)
            .Append(baseUrl).Append("/gateway/").Append(Uri.EscapeDataString(actorId));
        if (token is not null)
        {
            path.Append('@').Append(Uri.EscapeDataString(token));
        }
        return path.Append(rest).ToString();
    }

    private string QueryPath(ActorQuery query, string action, byte[]? inputCbor) =>
        GatewayQueryUrl(_baseUrl, query, "/action/" + Uri.EscapeDataString(action), inputCbor, Token);

    /// <summary><c>{baseUrl}/gateway/{name}{rest}?rvt-namespace=…&amp;rvt-method=…</c> for a get or get-or-create query.</summary>
    private string GatewayQueryUrl(string baseUrl, ActorQuery query, string rest, byte[]? inputCbor, string? token)
    {
        var url = new StringBuilder(baseUrl.Length + 160)
            .Append(baseUrl).Append("/gateway/").Append(Uri.EscapeDataString(query.Name))
            .Append(rest)
            .Append("?rvt-namespace=").Append(Uri.EscapeDataString(Namespace));
        if (query.Kind == ActorQueryKind.Get)
        {
            url.Append("&rvt-method=get");
            AppendKey(url, query.Key);
        }
        else
        {
            url.Append("&rvt-method=getOrCreate&rvt-runner=").Append(Uri.EscapeDataString(PoolName));
            AppendKey(url, query.Key);
            if (inputCbor is not null)
            {
                url.Append("&rvt-input=").Append(Base64Url(inputCbor));
            }
            url.Append("&rvt-crash-policy=").Append(CrashPolicy);
        }
        if (token is not null)
        {
            url.Append("&rvt-token=").Append(Uri.EscapeDataString(token));
        }
        return url.ToString();

        static void AppendKey(StringBuilder url, ActorKey key)
        {
            // RivetKit omits rvt-key for the empty key; the engine reads that as the key with no parts ("/").
            if (key.Count > 0)
            {
                url.Append("&rvt-key=").Append(Uri.EscapeDataString(string.Join(',', key.Parts)));
            }
        }
    }

    private async Task<string> ResolveKeyAsync(ActorQuery query, byte[]? inputCbor, string? action, CancellationToken cancellationToken)
    {
        var cacheKey = (query.Name, query.Key);
        if (_resolved.TryGetValue(cacheKey, out var cached))
        {
            return cached;
        }
        string actorId;
        if (query.Kind == ActorQueryKind.Get)
        {
            var actor = await CallApiAsync($"resolving actor {query}", action, ct => _api.GetActorByKeyAsync(query.Name, query.Key, ct), cancellationToken).ConfigureAwait(false);
            if (actor is null)
            {
                throw new RivetException(RivetErrors.ActorGroup, RivetErrors.NotFound,
                    $"The actor does not exist or was destroyed (no actor {query} in namespace {Namespace}).");
            }
            actorId = actor.ActorId;
        }
        else
        {
            var request = new EngineCreateActorRequest
            {
                Name = query.Name,
                Key = query.Key,
                RunnerNameSelector = PoolName,
                CrashPolicy = CrashPolicy,
                Input = inputCbor,
            };
            EngineGetOrCreateResult result;
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    result = await CallApiAsync($"getting or creating actor {query}", action, ct => _api.GetOrCreateActorAsync(request, ct), cancellationToken).ConfigureAwait(false);
                    break;
                }
                catch (Exception e) when (attempt < MaxRoutingAttempts && (e is TimeoutException || e is EngineApiException { StatusCode: >= System.Net.HttpStatusCode.InternalServerError } || (e is RivetException r && IsUndeliveredRoutingError(r))))
                {
                    // PUT /actors is idempotent; a loaded engine has been seen to leave it unanswered or answer 500
                    // ("pegboard_actor_create timed out"): ask again.
                    await Task.Delay(TimeSpan.FromMilliseconds(250 * attempt), cancellationToken).ConfigureAwait(false);
                }
            }
            actorId = result.Actor.ActorId;
        }
        return _resolved.GetOrAdd(cacheKey, actorId);
    }

    // ----- HTTP -----

    private async Task<ReadOnlyMemory<byte>> SendActionAsync(ActorQuery query, string action, string url, byte[] body, CancellationToken cancellationToken) =>
        ClientEncoding.DecodeActionOutput(_encoding, await PostAsync(query, action, url, body, RequestTimeout, cancellationToken).ConfigureAwait(false));

    /// <summary>Posts a client-protocol request (an action call, or a queue send when <paramref name="action"/> names one)
    /// bounded by <paramref name="requestTimeout"/>; returns the body of a success, throws the error of a failure.</summary>
    private async Task<byte[]> PostAsync(ActorQuery query, string action, string url, byte[] body, TimeSpan requestTimeout, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Version = HttpVersion.Version11,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(_contentType);
        request.Headers.TryAddWithoutValidation(ClientEncoding.EncodingHeader, _encodingName);
        request.Headers.UserAgent.Add(s_userAgent);
        if (Token is not null)
        {
            request.Headers.TryAddWithoutValidation(TokenHeader, Token);
        }
        if (Rivet.Runtime.Idempotency.Current is { } idempotencyKey)
        {
            // The actor answers a key it remembers with the remembered result (a retry or a gateway re-delivery).
            request.Headers.TryAddWithoutValidation(Rivet.Runtime.Idempotency.Header, idempotencyKey);
        }
        if (Rivet.Runtime.CallChain.CurrentHeaderValue() is { } callChain)
        {
            // Sent from an actor's action: the callee fails a call that would wait on an actor of its own chain.
            request.Headers.TryAddWithoutValidation(Rivet.Runtime.CallChain.Header, callChain);
        }
        // W3C trace context of the call's client span: the actor's span continues this trace.
        Rivet.Diagnostics.RivetTracing.Inject(request.Headers, static (headers, name, value) => headers.TryAddWithoutValidation(name, value));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (requestTimeout != Timeout.InfiniteTimeSpan)
        {
            timeout.CancelAfter(requestTimeout);
        }
        HttpResponseMessage response;
        byte[] responseBody;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
            responseBody = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"Action '{action}' of actor {query} got no answer from the Rivet Engine at {Endpoint} within {requestTimeout.TotalSeconds:0.###} s.", e);
        }
        catch (HttpRequestException e)
        {
            throw new RivetException(ClientErrorGroup, "unreachable",
                $"Action '{action}' of actor {query} could not reach the Rivet Engine at {Endpoint}: {e.Message}", innerException: e);
        }

        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                return responseBody;
            }
            throw ReadError(query, action, response, responseBody);
        }
    }

    private RivetException ReadError(ActorQuery query, string action, HttpResponseMessage response, byte[] body)
    {
        // Errors from the engine or gateway itself are JSON whatever the request encoding; the actor's are in the request encoding.
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        var kind = mediaType is not null && mediaType.Contains("json", StringComparison.OrdinalIgnoreCase) ? ClientEncodingKind.Json : _encoding;
        var error = body.Length > 0 ? ClientEncoding.TryDecodeError(kind, body) : null;
        var actorId = response.Headers.TryGetValues(ActorHeader, out var ids) ? First(ids) : null;
        if (error is not null)
        {
            return error.ActorId is null && actorId is not null
                ? new RivetException(error.Group, error.Code, error.Message, error.Metadata) { ActorId = actorId }
                : error;
        }
        var rayId = response.Headers.TryGetValues(RayIdHeader, out var rays) ? First(rays) : null;
        return new RivetException(ClientErrorGroup, "http_error",
            $"Action '{action}' of actor {query} failed with HTTP {(int)response.StatusCode} {response.ReasonPhrase} from the Rivet Engine at {Endpoint}"
            + (rayId is null ? "" : $" (ray {rayId})") + $": {Describe(body)}")
        {
            ActorId = actorId,
        };
    }

    private async Task<T> CallApiAsync<T>(string what, string? action, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call(cancellationToken).ConfigureAwait(false);
        }
        catch (EngineApiException e) when (e.Group == EngineApiException.EngineGroup)
        {
            // The call itself failed (engine unreachable, unreadable answer): say what it was for.
            throw new RivetException(ClientErrorGroup, e.Code, $"{Context(what, action)}: {e.Message}", e.Metadata, e);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{Context(what, action)}: {e.Message}", e);
        }

        static string Context(string what, string? action) => action is null ? $"While {what}" : $"Action '{action}': while {what}";
    }

    // ----- bodies -----

    private byte[] EncodeArguments(ActorQuery query, string action, ReadOnlyMemory<byte> arguments)
    {
        var json = arguments.IsEmpty ? "[]"u8 : arguments.Span;
        try
        {
            return ClientEncoding.EncodeActionArguments(_encoding, json);
        }
        catch (CborJsonException e)
        {
            throw new RivetException(RivetErrors.ActorGroup, RivetErrors.InvalidRequest,
                $"The arguments of action '{action}' of actor {query} are not valid JSON: {e.Message}", innerException: e);
        }
    }

    private static byte[]? InputCbor(ActorQuery query) =>
        query.Kind == ActorQueryKind.GetOrCreate && !query.Input.IsEmpty ? ToCbor(query.Input, $"the input of actor {query}") : null;

    private static byte[] ToCbor(ReadOnlyMemory<byte> json, string what)
    {
        try
        {
            // As RivetKit's client encodes inputs (encodeCborCompat): compat arrays stay arrays.
            return CborJson.JsonToCborCompat(json.Span);
        }
        catch (CborJsonException e)
        {
            throw new RivetException(RivetErrors.ActorGroup, RivetErrors.InvalidRequest, $"{char.ToUpperInvariant(what[0])}{what[1..]} is not valid JSON: {e.Message}", innerException: e);
        }
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool IsActorNotFound(RivetException e) => e.Group == RivetErrors.ActorGroup && e.Code == RivetErrors.NotFound;

    /// <summary>
    /// Errors the gateway raises before the call reaches an actor: a step of resolving the route timed out
    /// (<c>pegboard.route_*_timeout</c>: resolving a get-or-create query, seen after 15 s on a loaded machine, or
    /// subscribing to the actor's routing events, seen after 2 s at load ~30 with 40 calls at once; fetching the actor,
    /// its auth check, its wake signal: the engine answers all of them before it forwards anything), or the actor did not become
    /// ready (<c>guard.actor_ready_timeout</c>, which RivetKit's client also retries), or the actor it was creating was
    /// destroyed before it ran (<c>actor.destroyed_during_creation</c>, seen under load), or the runner the gateway chose
    /// does not run the actor (<c>envoy.actor_not_found</c>: it was stopping there, or the runner restarted; the runner
    /// then asks the engine to place it again).
    /// </summary>
    internal static bool IsUndeliveredRoutingError(RivetException e) =>
        e.Id is "guard.actor_ready_timeout" or DestroyedDuringCreation or EnvoyActorNotFound
        || (e.Group == "pegboard" && e.Code is "route_resolve_query_timeout" or "route_subscribe_timeout" or "route_fetch_actor_timeout"
            or "route_auth_check_timeout" or "route_wake_signal_timeout");

    private const string EnvoyActorNotFound = "envoy.actor_not_found";

    private const string DestroyedDuringCreation = "actor.destroyed_during_creation";

    /// <summary>How many times a call whose route the engine could not resolve is sent in all.</summary>
    private const int MaxRoutingAttempts = 4;

    /// <summary>How many learned actor ids the client keeps before starting over.</summary>
    private const int MaxCachedRoutes = 10_000;

    private static System.Text.Json.JsonElement DuplicateMetadata(string actorId, ActorKey key)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(96);
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("existing_actor_id", actorId);
            writer.WriteString("key", key.Serialize());
            writer.WriteEndObject();
        }
        using var document = System.Text.Json.JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    private static string? First(IEnumerable<string> values)
    {
        foreach (var value in values)
        {
            return value;
        }
        return null;
    }

    private static string Describe(byte[] body)
    {
        if (body.Length == 0)
        {
            return "(empty body)";
        }
        var length = Math.Min(body.Length, 300);
        var text = System.Text.Encoding.UTF8.GetString(body, 0, length);
        return body.Length > length ? text + "…" : text;
    }

    // ----- connections -----

    /// <summary>
    /// The handler of all requests: pooled keep-alive connections with Nagle's algorithm off (small request/response
    /// bodies must not wait for delayed ACKs), a connect timeout so a closed port fails fast.
    /// </summary>
    internal static SocketsHttpHandler CreateHandler(TimeSpan connectTimeout) => new()
    {
        ConnectTimeout = connectTimeout,
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        PooledConnectionLifetime = TimeSpan.FromMinutes(10),
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        AllowAutoRedirect = false,
        // The default connect callback also sets NoDelay; it is spelt out here so it cannot silently change.
        ConnectCallback = static (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, cancellationToken),
    };

    internal static async ValueTask<System.IO.Stream> ConnectAsync(DnsEndPoint endPoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Lends the transport's handler to the REST client without letting it dispose it.</summary>
    private sealed class SharedHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override void Dispose(bool disposing)
        {
            // The transport owns and disposes the inner handler.
        }
    }

    private static partial class Log
    {
        [Microsoft.Extensions.Logging.LoggerMessage(EventId = 700, Level = Microsoft.Extensions.Logging.LogLevel.Information,
            Message = "Action {Action} of actor {Actor} did not reach the actor ({Error}); sending it again (attempt {Attempt} of {MaxAttempts} failed)")]
        public static partial void RetryingUndelivered(Microsoft.Extensions.Logging.ILogger logger, string action, string actor, string error, int attempt, int maxAttempts);
    }
}
