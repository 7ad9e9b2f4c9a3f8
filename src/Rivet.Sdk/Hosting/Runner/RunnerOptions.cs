using System;

namespace Rivet.Hosting.Runner;

/// <summary>
/// How a runner connects to the Rivet Engine. Every setting has the environment variable RivetKit users know;
/// <see cref="FromEnvironment"/> reads them.
/// </summary>
public sealed class RunnerOptions
{
    /// <summary>The engine endpoint, e.g. <c>http://127.0.0.1:6420</c> (<c>RIVET_ENDPOINT</c>).</summary>
    public Uri? Endpoint { get; set; }

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

    /// <summary>Options from <c>RIVET_ENDPOINT</c>, <c>RIVET_TOKEN</c>, <c>RIVET_NAMESPACE</c>, <c>RIVET_RUNNER</c>, <c>RIVET_RUNNER_KEY</c> and <c>RIVET_RUNNER_VERSION</c>.</summary>
    /// <exception cref="ArgumentException">A variable holds an invalid value; the message names it.</exception>
    public static RunnerOptions FromEnvironment()
    {
        var options = new RunnerOptions();
        if (Read("RIVET_ENDPOINT") is { } endpoint)
        {
            options.Endpoint = Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
                ? uri
                : throw new ArgumentException($"RIVET_ENDPOINT must be an http:// or https:// URL, got '{endpoint}'.");
        }
        options.Token = Read("RIVET_TOKEN");
        options.Namespace = Read("RIVET_NAMESPACE") ?? options.Namespace;
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
    }

    private static string? Read(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value.Trim() : null;
}
