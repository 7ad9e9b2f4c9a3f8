using System;
using Microsoft.Extensions.Logging;
using Rivet.Runtime;

namespace Rivet.Hosting.Serverless;

/// <summary>Settings of the serverless endpoints (<see cref="RivetServerlessEndpointExtensions.MapRivet"/>).</summary>
public sealed class RivetServerlessOptions
{
    /// <summary>The largest <c>/start</c> body accepted (RivetKit's limit, 16 MiB); bigger bodies get 413.</summary>
    public const int DefaultMaxStartPayloadBytes = 16 * 1024 * 1024;

    /// <summary>The actors served here. Defaults to <see cref="ActorRegistry.Default"/> (every generated actor of the loaded assemblies).</summary>
    public ActorRegistry? Registry { get; set; }

    /// <summary>
    /// A shared secret the engine must present on <c>/start</c>, as header <c>x-rivet-token</c> or
    /// <c>Authorization: Bearer</c> (put it in the pool's headers: <see cref="RivetServerlessPoolOptions.ServerlessToken"/>).
    /// A request without it gets 401, one with another value 403, and nothing runs. <see langword="null"/> (default):
    /// no check — only for endpoints the public cannot reach.
    /// </summary>
    public string? Token { get; set; }

    /// <summary>
    /// The token the envoy connection presents to the engine (engine auth). Defaults to the <c>x-rivet-token</c> the
    /// engine sent with <c>/start</c> when <see cref="Token"/> is not set, else none.
    /// </summary>
    public string? EngineToken { get; set; }

    /// <summary>
    /// The engine endpoint to connect to. Defaults to the <c>x-rivet-endpoint</c> header of each <c>/start</c> (the
    /// datacenter's public URL); set it when this backend reaches the engine under another address.
    /// </summary>
    public Uri? EngineEndpoint { get; set; }

    /// <summary>When set, <c>/start</c> requests for another namespace are refused with 400 (<c>config.namespace_mismatch</c>).</summary>
    public string? Namespace { get; set; }

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
