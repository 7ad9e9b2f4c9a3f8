using System;
using System.Collections.Generic;
using Rivet.Engine.MultiNode;

namespace Rivet.Hosting.Runner;

/// <summary>
/// How a runner connects to the Rivet Engine. Every setting has the environment variable RivetKit users know;
/// <see cref="FromEnvironment"/> reads them.
/// </summary>
public sealed class RunnerOptions
{
    /// <summary>The engine endpoint, e.g. <c>http://127.0.0.1:6420</c> (<c>RIVET_ENDPOINT</c>).</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>
    /// More nodes of the same engine cluster (several engine nodes over one database and pubsub). When the node in use
    /// cannot be reached or drops the runner's connection, the runner reconnects to the next node in turn
    /// (<see cref="Endpoint"/> first), under the same <see cref="RunnerKey"/>, so the engine keeps its actors here.
    /// <c>RIVET_ENDPOINT</c> sets them as a comma-separated list after the first endpoint. Empty by default. See
    /// docs/deployment.md.
    /// </summary>
    public IList<Uri> FailoverEndpoints { get; set; } = new List<Uri>();

    /// <summary>The engine token, if the engine has auth enabled (<c>RIVET_TOKEN</c>).</summary>
    public string? Token { get; set; }

    /// <summary>The namespace (<c>RIVET_NAMESPACE</c>, default <c>default</c>).</summary>
    public string Namespace { get; set; } = "default";

    /// <summary>The runner pool this runner joins (<c>RIVET_RUNNER</c>, default <c>default</c>).</summary>
    public string PoolName { get; set; } = "default";

    /// <summary>
    /// This runner's unique key (<c>RIVET_RUNNER_KEY</c>; default: a new random key per process). A newer
    /// connection with the same key replaces this one, which then stops for good.
    /// </summary>
    public string RunnerKey { get; set; } = Guid.NewGuid().ToString("N");

    /// <summary>The deployment version reported to the engine (<c>RIVET_RUNNER_VERSION</c>, default 1).</summary>
    public uint Version { get; set; } = 1;

    /// <summary>Whether to create or update the pool's runner config before connecting (the engine refuses runners of a pool without one).</summary>
    public bool EnsureRunnerConfig { get; set; } = true;

    /// <summary>First reconnect delay; doubled on each failed attempt up to <see cref="MaxReconnectDelay"/>, with up to 25 % jitter.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Longest reconnect delay (default 10 s; RivetKit waits up to 30 s). Short, so that actors answer again soon
    /// after an engine outage ends: one attempt every 10 s is no load on an engine that is down.
    /// </summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Timeout of one KV request to the engine.</summary>
    public TimeSpan KvTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a graceful shutdown waits for the engine to move this runner's actors away.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The runner's liveness check for client connections (<c>/connect</c> sockets the engine tunnels here): a socket
    /// whose client sent nothing for this long is closed (1001 <c>connection.idle_timeout</c>) and its connection
    /// leaves the actor (<c>OnDisconnect</c> runs). The runner cannot tell a silent client from one that vanished
    /// without its close reaching the runner (the engine failed, or lost the close), so both go; clients (RivetKit's
    /// and this SDK's) reconnect and re-subscribe by themselves. Default 5 minutes; <see langword="null"/> turns the
    /// check off (a vanished client's connection then stays on the actor until the engine closes it).
    /// </summary>
    public TimeSpan? ConnectionIdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Options from <c>RIVET_ENDPOINT</c> (one URL, or several nodes of one cluster separated by commas: the first is
    /// <see cref="Endpoint"/>, the others <see cref="FailoverEndpoints"/>), <c>RIVET_TOKEN</c>, <c>RIVET_NAMESPACE</c>, <c>RIVET_RUNNER</c>, <c>RIVET_RUNNER_KEY</c>
    /// and <c>RIVET_RUNNER_VERSION</c>. An endpoint in RivetKit's <c>https://namespace:token@host</c> form gives the
    /// namespace and token (unless <c>RIVET_NAMESPACE</c> / <c>RIVET_TOKEN</c> are set) and is kept without them.
    /// </summary>
    /// <exception cref="ArgumentException">A variable holds an invalid value; the message names it.</exception>
    public static RunnerOptions FromEnvironment()
    {
        var options = new RunnerOptions();
        if (Read("RIVET_ENDPOINT") is { } endpoints)
        {
            var parts = EngineEndpointList.Split(endpoints);
            var endpoint = parts.Length > 0 ? parts[0] : endpoints;
            options.FailoverEndpoints = EngineEndpointList.ParseFailovers("RIVET_ENDPOINT", parts);
            options.Endpoint = Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
                ? uri
                // The value is not echoed: a mistyped URL may carry credentials (scheme://namespace:token@host).
                : throw new ArgumentException("RIVET_ENDPOINT must be an http:// or https:// URL.");
        }
        string? userNamespace = null, userToken = null;
        if (options.Endpoint is { UserInfo.Length: > 0 } withUserInfo)
        {
            // RivetKit's https://namespace:token@host form, as the client reads it: taken out of the endpoint, which is
            // logged and named in errors.
            var userInfo = withUserInfo.UserInfo.Split(':', 2);
            userNamespace = userInfo[0].Length > 0 ? Uri.UnescapeDataString(userInfo[0]) : null;
            userToken = userInfo.Length == 2 && userInfo[1].Length > 0 ? Uri.UnescapeDataString(userInfo[1]) : null;
            options.Endpoint = new UriBuilder(withUserInfo) { UserName = string.Empty, Password = string.Empty }.Uri;
        }
        options.Token = Read("RIVET_TOKEN") ?? userToken;
        options.Namespace = Read("RIVET_NAMESPACE") ?? userNamespace ?? options.Namespace;
        options.PoolName = Read("RIVET_RUNNER") ?? options.PoolName;
        options.RunnerKey = Read("RIVET_RUNNER_KEY") ?? options.RunnerKey;
        if (Read("RIVET_RUNNER_VERSION") is { } version)
        {
            options.Version = uint.TryParse(version, out var v) ? v : throw new ArgumentException($"RIVET_RUNNER_VERSION must be a whole number, got '{version}'.");
        }
        return options;
    }

    internal void Validate()
    {
        if (Endpoint is null)
        {
            throw new InvalidOperationException("RunnerOptions.Endpoint is not set (RIVET_ENDPOINT): the runner needs the engine's URL.");
        }
        if (Endpoint.IsAbsoluteUri && Endpoint.UserInfo.Length > 0)
        {
            // The endpoint is logged and named in errors: user info (namespace:token) there would leak the token.
            throw new ArgumentException("RunnerOptions.Endpoint (RIVET_ENDPOINT) must not carry user info: set the token in RunnerOptions.Token (RIVET_TOKEN) and the namespace in RunnerOptions.Namespace (RIVET_NAMESPACE).", nameof(Endpoint));
        }
        EngineEndpointList.Validate(nameof(FailoverEndpoints), FailoverEndpoints);
        if (RunnerKey is not { Length: >= 3 and <= 128 })
        {
            throw new ArgumentException($"The runner key must be 3 to 128 characters long, got '{RunnerKey}'.", nameof(RunnerKey));
        }
        if (string.IsNullOrWhiteSpace(PoolName) || PoolName.Length > 128)
        {
            throw new ArgumentException($"The pool name must be 1 to 128 characters long, got '{PoolName}'.", nameof(PoolName));
        }
        if (string.IsNullOrWhiteSpace(Namespace))
        {
            throw new ArgumentException("The namespace must not be empty.", nameof(Namespace));
        }
        if (ConnectionIdleTimeout is { } idle && idle <= TimeSpan.Zero)
        {
            throw new ArgumentException($"ConnectionIdleTimeout must be positive (or null to turn the check off), got {idle}.", nameof(ConnectionIdleTimeout));
        }
    }

    /// <summary>Every endpoint, <see cref="Endpoint"/> first (after <see cref="Validate"/>).</summary>
    internal IReadOnlyList<Uri> AllEndpoints => [Endpoint!, .. FailoverEndpoints ?? []];

    /// <summary>The options of the engine client a runner (or its host) makes for its actors: same nodes, token, namespace and pool.</summary>
    internal RivetClientOptions ToClientOptions() => new()
    {
        Endpoint = Endpoint!,
        FailoverEndpoints = [.. FailoverEndpoints ?? []],
        Token = Token,
        Namespace = Namespace,
        PoolName = PoolName,
    };

    private static string? Read(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value.Trim() : null;
}
