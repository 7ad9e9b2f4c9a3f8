using System;
using System.Collections.Generic;
using Microsoft.Extensions.Logging;
using Rivet.Runtime;

namespace Rivet.AspNetCore;

/// <summary>Settings of the serverless endpoints (<see cref="RivetServerlessEndpointExtensions.MapRivet"/>).</summary>
public sealed class RivetServerlessOptions
{
    /// <summary>The largest <c>/start</c> body accepted (RivetKit's limit, 16 MiB); bigger bodies get 413.</summary>
    public const int DefaultMaxStartPayloadBytes = 16 * 1024 * 1024;

    /// <summary>The actors served here. Defaults to <see cref="ActorRegistry.Default"/> (every generated actor of the loaded assemblies).</summary>
    public ActorRegistry? Registry { get; set; }

    /// <summary>
    /// The shared secret the engine must present on <c>/start</c> and <c>/metadata</c>, as header <c>x-rivet-token</c> or
    /// <c>Authorization: Bearer</c> (put the same value in the pool's headers:
    /// <see cref="RivetServerlessPoolOptions.ServerlessToken"/>). A request without it gets 401, one with another value
    /// 403, and nothing runs. Required: without it the endpoints refuse to start, unless
    /// <see cref="AllowUnauthenticatedStart"/> is set.
    /// </summary>
    public string? Token { get; set; }

    /// <summary>
    /// Opts out of <see cref="Token"/>: anyone who reaches <c>/start</c> can run the registered actors on this process
    /// (still only against <see cref="EngineEndpoint"/>, for <see cref="PoolNames"/>). Only for endpoints the public
    /// cannot reach (a private network the engine alone can call). Logged as a warning at start-up. Default
    /// <see langword="false"/>.
    /// </summary>
    public bool AllowUnauthenticatedStart { get; set; }

    /// <summary>
    /// The token the envoy connections present to the engine (engine auth: the engine's admin token or a token it
    /// accepts). Sent only to <see cref="EngineEndpoint"/> (or an <see cref="AllowedEngineEndpoints"/> entry), never
    /// taken from a request.
    /// </summary>
    public string? EngineToken { get; set; }

    /// <summary>
    /// The engine the envoy connections go to, e.g. <c>http://127.0.0.1:6420</c>. The <c>x-rivet-endpoint</c> header of
    /// <c>/start</c> is then ignored: a request cannot make this process connect anywhere else. Required unless
    /// <see cref="AllowedEngineEndpoints"/> is set.
    /// </summary>
    public Uri? EngineEndpoint { get; set; }

    /// <summary>
    /// When <see cref="EngineEndpoint"/> is not set: the engine URLs the <c>x-rivet-endpoint</c> header of <c>/start</c>
    /// may name (scheme, host, port and path must match); any other value gets 403 <c>config.endpoint_not_allowed</c> and
    /// nothing is dialled. For engines with several datacenters, each calling with its own public URL.
    /// </summary>
    public IList<Uri> AllowedEngineEndpoints { get; set; } = new List<Uri>();

    /// <summary>The namespace served (default <c>default</c>); <c>/start</c> for another gets 403 <c>config.namespace_mismatch</c>.</summary>
    public string Namespace { get; set; } = "default";

    /// <summary>
    /// The pools served (default <c>default</c>); <c>/start</c> for another gets 403 <c>config.pool_not_allowed</c>, so a
    /// request cannot make this process open an envoy connection per invented pool name.
    /// </summary>
    public ICollection<string> PoolNames { get; set; } = new List<string> { "default" };

    /// <summary>
    /// The most envoy connections this process keeps (one per engine endpoint and pool; default 4). A <c>/start</c> that
    /// would need another gets 503 <c>envoy.too_many_connections</c>.
    /// </summary>
    public int MaxEnvoyConnections { get; set; } = 4;

    /// <summary>
    /// How long a <c>/start</c> waits for a new envoy connection to the engine (default 10 s); after that it gets 503
    /// <c>envoy.connect_failed</c> instead of holding the engine's request.
    /// </summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The deployment version the envoy reports and <c>/metadata</c> announces (default 1).</summary>
    public uint RunnerVersion { get; set; } = 1;

    /// <summary>How often the <c>/start</c> stream sends <c>event: ping</c> (default 1 s, as RivetKit).</summary>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The largest <c>/start</c> body accepted.</summary>
    public int MaxStartPayloadBytes { get; set; } = DefaultMaxStartPayloadBytes;

    /// <summary>Timeout of one KV request of an actor to the engine.</summary>
    public TimeSpan KvTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long stopping the application waits for the engine to move the actors away (each saves its state).</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Where the endpoints and the actors log. Defaults to the application's <see cref="ILoggerFactory"/>.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }
}
