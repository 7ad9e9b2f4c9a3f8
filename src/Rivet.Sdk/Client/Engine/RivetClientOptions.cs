using System;
using System.Collections.Generic;
using System.Threading;
using Rivet.Engine.MultiNode;

namespace Rivet;

/// <summary>
/// Where and how a <see cref="RivetClient"/> created by <see cref="RivetClient.Create(RivetClientOptions)"/> reaches
/// actors through a Rivet Engine: the engine endpoint (REST API and gateway), namespace, token, runner pool and
/// encoding. <see cref="FromEnvironment()"/> reads the same environment variables as RivetKit.
/// </summary>
public sealed class RivetClientOptions
{
    /// <summary>The endpoint used when none is configured: a local engine's default port.</summary>
    public static readonly Uri DefaultEndpoint = new("http://127.0.0.1:6420");

    /// <summary>The timeout of one call when none is configured.</summary>
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The engine endpoint, e.g. <c>http://127.0.0.1:6420</c>; a path prefix is kept. RivetKit's URL form
    /// <c>https://namespace:token@host</c> is accepted: the user part sets <see cref="Namespace"/> and <see cref="Token"/>.
    /// </summary>
    public Uri Endpoint { get; set; } = DefaultEndpoint;

    /// <summary>
    /// More nodes of the same engine cluster. A request that cannot reach the node in use goes to the next one
    /// (<see cref="Endpoint"/> first) when that cannot run anything twice: the connection was never made, or the step
    /// is idempotent (resolving, get-or-create, lookups, connection upgrades, and actions called with an idempotency
    /// key); the node that answered stays in use. <c>RIVET_ENDPOINT</c> sets them as a comma-separated list after the
    /// first endpoint. Empty by default; see docs/deployment.md for the errors a caller sees while a node is lost.
    /// </summary>
    public IList<Uri> FailoverEndpoints { get; set; } = new List<Uri>();

    /// <summary>The token sent to the engine (<c>Authorization: Bearer</c> on the REST API, <c>x-rivet-token</c> on the gateway), if any.</summary>
    public string? Token { get; set; }

    /// <summary>The engine namespace of the actors.</summary>
    public string Namespace { get; set; } = "default";

    /// <summary>The runner pool that hosts actors this client creates (the engine's <c>runner_name_selector</c>).</summary>
    public string PoolName { get; set; } = "default";

    /// <summary>The encoding of action calls. JSON by default.</summary>
    public RivetEncoding Encoding { get; set; } = RivetEncoding.Json;

    /// <summary>
    /// The time one call may take: the gateway request of an action, or one REST call while resolving or creating an
    /// actor. <see cref="Timeout.InfiniteTimeSpan"/> disables it (the caller's cancellation token still applies).
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = DefaultRequestTimeout;

    /// <summary>The time to open a TCP connection to the engine; a closed port fails within it.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Where the client's realtime connections log (drops, reconnects, failing event handlers); none by default.</summary>
    public Microsoft.Extensions.Logging.ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>
    /// Options from the environment, as RivetKit reads it: <c>RIVET_ENDPOINT</c> (else <c>RIVET_ENGINE</c>, else
    /// <see cref="DefaultEndpoint"/>; several nodes separated by commas: the first is <see cref="Endpoint"/>, the others
    /// <see cref="FailoverEndpoints"/>), <c>RIVET_TOKEN</c>, <c>RIVET_NAMESPACE</c> (default <c>default</c>) and
    /// <c>RIVET_RUNNER</c> for the pool name (else <c>RIVET_POOL</c>, else <c>default</c>).
    /// </summary>
    /// <exception cref="FormatException">The endpoint variable is not an absolute http(s) URL.</exception>
    public static RivetClientOptions FromEnvironment() => FromEnvironment(Environment.GetEnvironmentVariable);

    internal static RivetClientOptions FromEnvironment(Func<string, string?> lookup)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        string? Variable(string name) => lookup(name) is { } value && value.Trim() is { Length: > 0 } trimmed ? trimmed : null;
        var options = new RivetClientOptions();
        var endpoint = Variable("RIVET_ENDPOINT") ?? Variable("RIVET_ENGINE");
        if (endpoint is not null)
        {
            var parts = EngineEndpointList.Split(endpoint);
            if (parts.Length > 1)
            {
                try
                {
                    options.FailoverEndpoints = EngineEndpointList.ParseFailovers("RIVET_ENDPOINT", parts);
                }
                catch (ArgumentException e)
                {
                    throw new FormatException(e.Message, e);
                }
            }
            endpoint = parts.Length > 0 ? parts[0] : endpoint;
            if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri))
            {
                throw new FormatException($"RIVET_ENDPOINT '{endpoint}' is not an absolute URL.");
            }
            options.Endpoint = uri;
        }
        options.Token = Variable("RIVET_TOKEN");
        options.Namespace = Variable("RIVET_NAMESPACE") ?? options.Namespace;
        options.PoolName = Variable("RIVET_RUNNER") ?? Variable("RIVET_POOL") ?? options.PoolName;
        return options;
    }

    /// <summary>A copy of these options.</summary>
    public RivetClientOptions Clone()
    {
        var clone = (RivetClientOptions)MemberwiseClone();
        clone.FailoverEndpoints = new List<Uri>(FailoverEndpoints ?? []);
        return clone;
    }
}
