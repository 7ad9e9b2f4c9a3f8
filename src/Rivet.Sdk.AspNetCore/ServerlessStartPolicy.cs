using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Rivet.AspNetCore;

/// <summary>Why a serverless request is refused: the HTTP status and RivetKit's error shape.</summary>
internal sealed record ServerlessRefusal(int Status, string Group, string Code, string Message);

/// <summary>
/// Who may call the serverless endpoints and what a <c>/start</c> may make this process do: the shared token, the
/// engine it connects to (configured, or an allow-listed <c>x-rivet-endpoint</c>), the namespace and the pools. The
/// options are checked once, when the endpoints are built, so a misconfigured app fails at start-up, not at the
/// first call.
/// </summary>
internal sealed partial class ServerlessStartPolicy
{
    private readonly RivetServerlessOptions _options;
    private readonly byte[]? _tokenHash;
    private readonly HashSet<string> _pools;
    private readonly HashSet<string> _allowedEndpoints;

    /// <exception cref="InvalidOperationException">An option is missing or out of range; the message names it.</exception>
    public ServerlessStartPolicy(RivetServerlessOptions options, string environmentName, ILogger logger)
    {
        _options = options;
        var allowed = options.AllowedEngineEndpoints ?? [];
        if (string.IsNullOrEmpty(options.Token) && !options.AllowUnauthenticatedStart)
        {
            throw new InvalidOperationException(
                "RivetServerlessOptions.Token is not set: without it anyone who reaches /start could run actors on this process. " +
                "Set Token (and the same value as RivetServerlessPoolOptions.ServerlessToken), or set AllowUnauthenticatedStart = true " +
                "for an endpoint only the engine can reach.");
        }
        if (options.EngineEndpoint is null && allowed.Count == 0)
        {
            throw new InvalidOperationException(
                "RivetServerlessOptions.EngineEndpoint is not set: the envoy connections only go to a configured engine, never to an address a request names. " +
                "Set EngineEndpoint (e.g. http://127.0.0.1:6420), or list the engine's public URLs in AllowedEngineEndpoints.");
        }
        foreach (var endpoint in allowed.Prepend(options.EngineEndpoint).OfType<Uri>())
        {
            if (!IsEngineUrl(endpoint))
            {
                throw new InvalidOperationException($"Engine endpoint '{endpoint}' must be an absolute http(s) URL without user info, query or fragment.");
            }
        }
        if (string.IsNullOrEmpty(options.Namespace))
        {
            throw new InvalidOperationException("RivetServerlessOptions.Namespace must not be empty.");
        }
        if (options.PoolNames is not { Count: > 0 } || options.PoolNames.Any(string.IsNullOrEmpty))
        {
            throw new InvalidOperationException("RivetServerlessOptions.PoolNames must list at least one pool name, none empty.");
        }
        if (options.MaxEnvoyConnections < 1)
        {
            throw new InvalidOperationException($"RivetServerlessOptions.MaxEnvoyConnections must be at least 1, it is {options.MaxEnvoyConnections}.");
        }
        if (options.ConnectTimeout <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"RivetServerlessOptions.ConnectTimeout must be positive, it is {options.ConnectTimeout}.");
        }
        _tokenHash = string.IsNullOrEmpty(options.Token) ? null : Hash(options.Token);
        _pools = new HashSet<string>(options.PoolNames, StringComparer.Ordinal);
        _allowedEndpoints = new HashSet<string>(allowed.OfType<Uri>().Select(Normalize), StringComparer.OrdinalIgnoreCase);
        if (_tokenHash is null)
        {
            LogUnauthenticated(logger, environmentName);
        }
    }

    /// <summary>
    /// Checks the shared token (<c>x-rivet-token</c> or <c>Authorization: Bearer</c>). The comparison hashes both
    /// sides first, so it takes the same time whatever the presented value's length. Any one <c>x-rivet-token</c>
    /// value may match: with auth on, engine 2.3.19 sends the pool's header and, as a second <c>x-rivet-token</c>, its
    /// own admin token.
    /// </summary>
    public ServerlessRefusal? Authenticate(HttpRequest request)
    {
        if (_tokenHash is null)
        {
            return null;
        }
        var presented = PresentedTokens(request);
        if (presented.Count == 0)
        {
            return new(401, "auth", "missing_token", "The request carries no token (x-rivet-token or Authorization: Bearer).");
        }
        var match = false;
        foreach (var token in presented)
        {
            match |= CryptographicOperations.FixedTimeEquals(Hash(token), _tokenHash);
        }
        return match ? null : new(403, "auth", "invalid_token", "The request carries a wrong token.");
    }

    /// <summary>
    /// The engine and pool a <c>/start</c> targets, or why it may not: the endpoint is the configured one (the header
    /// is ignored) or an allow-listed header value; the namespace and pool must be configured ones.
    /// </summary>
    public ServerlessRefusal? ResolveTarget(HttpRequest request, out Uri endpoint, out string pool)
    {
        endpoint = null!;
        pool = "";
        var namedPool = Header(request, "x-rivet-pool-name") ?? Header(request, "x-rivet-runner-name");
        if (namedPool is null)
        {
            return new(400, "request", "invalid", "Header x-rivet-pool-name (or x-rivet-runner-name) is required.");
        }
        if (!_pools.Contains(namedPool))
        {
            return new(403, "config", "pool_not_allowed", $"This backend serves pool(s) {string.Join(", ", _pools.Order(StringComparer.Ordinal).Select(p => $"'{p}'"))}, not '{Shorten(namedPool)}'.");
        }
        var ns = Header(request, "x-rivet-namespace-name");
        if (ns is null)
        {
            return new(400, "request", "invalid", "Header x-rivet-namespace-name is required.");
        }
        if (!string.Equals(ns, _options.Namespace, StringComparison.Ordinal))
        {
            return new(403, "config", "namespace_mismatch", $"This backend serves namespace '{_options.Namespace}', the request asked for '{Shorten(ns)}'.");
        }
        if (_options.EngineEndpoint is { } configured)
        {
            endpoint = configured;
        }
        else
        {
            var header = Header(request, "x-rivet-endpoint");
            if (header is null || !Uri.TryCreate(header, UriKind.Absolute, out var named) || !IsEngineUrl(named))
            {
                return new(400, "request", "invalid", "Header x-rivet-endpoint must be the engine's http(s) URL.");
            }
            if (!_allowedEndpoints.Contains(Normalize(named)))
            {
                return new(403, "config", "endpoint_not_allowed", $"Engine endpoint '{Shorten(header)}' is not in RivetServerlessOptions.AllowedEngineEndpoints.");
            }
            endpoint = named;
        }
        pool = namedPool;
        return null;
    }

    private static string? Header(HttpRequest request, string name) =>
        request.Headers.TryGetValue(name, out var values) && values.ToString() is { Length: > 0 } value ? value.Trim() : null;

    private static List<string> PresentedTokens(HttpRequest request)
    {
        var tokens = new List<string>();
        // Separate header lines arrive as separate values; a proxy may fold them into one comma-separated line.
        foreach (var value in request.Headers["x-rivet-token"])
        {
            tokens.AddRange((value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
        }
        var authorization = Header(request, "authorization");
        if (authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && authorization["Bearer ".Length..].Trim() is { Length: > 0 } bearer)
        {
            tokens.Add(bearer);
        }
        return tokens;
    }

    private static byte[] Hash(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));

    private static bool IsEngineUrl(Uri uri) =>
        uri.IsAbsoluteUri && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) &&
        uri.UserInfo.Length == 0 && uri.Query.Length == 0 && uri.Fragment.Length == 0;

    /// <summary>Scheme, host, port and path without the trailing slash: the engine sends <c>http://host:port/</c>.</summary>
    private static string Normalize(Uri uri) => uri.GetLeftPart(UriPartial.Path).TrimEnd('/');

    /// <summary>Request values echoed in errors are cut short: a header can be kilobytes long.</summary>
    private static string Shorten(string value) => value.Length <= 128 ? value : value[..128] + "…";

    [LoggerMessage(EventId = 510, Level = LogLevel.Warning, Message = "The serverless /start endpoint accepts unauthenticated calls (AllowUnauthenticatedStart, environment {Environment}): anyone who reaches it can run actors on this process. Set RivetServerlessOptions.Token unless only the engine can reach it.")]
    private static partial void LogUnauthenticated(ILogger logger, string environment);
}
