using System;
using System.Collections.Generic;
using System.Text.Json.Nodes;

namespace Rivet.Engine;

/// <summary>
/// How <see cref="RivetEngineProcess.StartAsync"/> runs a local Rivet Engine for development and tests. Every port is
/// bound to 127.0.0.1 and telemetry is off; everything else has a working default.
/// </summary>
public sealed class RivetEngineProcessOptions
{
    /// <summary>
    /// The <c>rivet-engine</c> binary. When <see langword="null"/>, the environment variable <c>RIVET_ENGINE_BINARY</c>
    /// is used, else the copy installed by <c>npm ci --prefix tools/engine</c> is searched for upward from the current
    /// directory and from the application's base directory.
    /// </summary>
    public string? BinaryPath { get; set; }

    /// <summary>
    /// The folder holding the engine's config, log, home and database. When <see langword="null"/>, a new folder under
    /// the system temp directory is created and deleted on dispose (unless <see cref="KeepDataDirectory"/>). A folder
    /// given here is never deleted.
    /// </summary>
    public string? DataDirectory { get; set; }

    /// <summary>Keep the generated data directory (database, config and log) after dispose.</summary>
    public bool KeepDataDirectory { get; set; }

    /// <summary>
    /// The engine's <c>auth.admin_token</c>. When set, the REST API wants <c>Authorization: Bearer &lt;token&gt;</c> and envoys
    /// must send the WebSocket subprotocol <c>rivet_token.&lt;token&gt;</c>. When <see langword="null"/>, the engine accepts any token.
    /// </summary>
    public string? AdminToken { get; set; }

    /// <summary>The public port (REST API, gateway, envoy WebSocket); 0 picks a free loopback port.</summary>
    public int GuardPort { get; set; }

    /// <summary>The internal api-peer port; 0 picks a free loopback port.</summary>
    public int ApiPeerPort { get; set; }

    /// <summary>The Prometheus metrics port; 0 picks a free loopback port.</summary>
    public int MetricsPort { get; set; }

    /// <summary>How long to wait for <c>GET /health</c> to answer <c>{"status":"ok"}</c>. Default 60 seconds.</summary>
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long to wait after SIGTERM before the process is killed. Default 10 seconds.</summary>
    public TimeSpan ShutdownGracePeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The engine's log filter (<c>RUST_LOG</c>). Default <c>info</c>.</summary>
    public string LogLevel { get; set; } = "info";

    /// <summary>
    /// Extra engine configuration, deep-merged over the generated one (objects are merged key by key, any other value
    /// replaces). For example <c>{"features":{"guard_gateway_v3":{"mode":"on","percentage":100}}}</c> or
    /// <c>{"guard":{"rate_limit":{"requests":1000,"period_ms":1000}}}</c>. The engine rejects unknown keys.
    /// </summary>
    public JsonObject? ExtraConfig { get; set; }

    /// <summary>Called with the final configuration (after <see cref="ExtraConfig"/>) just before it is written; may change it.</summary>
    public Action<JsonObject>? ConfigureConfig { get; set; }

    /// <summary>
    /// Extra environment variables for the engine process. Inherited <c>RIVET__*</c> variables (which would override
    /// the config file) are removed first; set them here to use them deliberately.
    /// </summary>
    public IDictionary<string, string> EnvironmentVariables { get; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
