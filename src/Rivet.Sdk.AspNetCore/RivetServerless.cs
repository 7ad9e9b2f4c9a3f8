using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Rivet.Engine;

namespace Rivet.AspNetCore;

/// <summary>How <see cref="RivetServerless.ConfigurePoolAsync"/> registers a serverless pool with the engine.</summary>
public sealed class RivetServerlessPoolOptions
{
    /// <summary>The engine endpoint (its REST API), e.g. <c>http://127.0.0.1:6420</c>.</summary>
    public required Uri EngineEndpoint { get; set; }

    /// <summary>The engine's admin token when the engine has auth enabled.</summary>
    public string? EngineToken { get; set; }

    /// <summary>The namespace (default <c>default</c>).</summary>
    public string Namespace { get; set; } = "default";

    /// <summary>The pool name; clients select it as their pool/runner name.</summary>
    public string PoolName { get; set; } = "default";

    /// <summary>The base URL of the mapped endpoints, e.g. <c>https://my-app.example/api/rivet</c>; the engine appends <c>/metadata</c> and <c>/start</c>.</summary>
    public required Uri Url { get; set; }

    /// <summary>
    /// How long the engine keeps one <c>/start</c> request open (keep it below your platform's function timeout).
    /// At <c>RequestLifespan − DrainGracePeriod</c> the engine stops the actor (it saves its state) and starts it
    /// again through a new <c>/start</c>. Default 1 h.
    /// </summary>
    public TimeSpan RequestLifespan { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long before the end of the lifespan the engine starts draining; must not exceed
    /// <see cref="RequestLifespan"/>. Default: a quarter of the lifespan, at most 30 s.
    /// </summary>
    public TimeSpan? DrainGracePeriod { get; set; }

    /// <summary>
    /// A shared secret sent by the engine on every call as header <c>x-rivet-token</c>; set the same value as
    /// <see cref="RivetServerlessOptions.Token"/> so that only the engine can start actors.
    /// </summary>
    public string? ServerlessToken { get; set; }

    /// <summary>More headers the engine sends on every call to the backend.</summary>
    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>How often the engine polls <c>/metadata</c> (the engine uses at least 5 s). Default 1 s, as RivetKit.</summary>
    public TimeSpan MetadataPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The most concurrent <c>/start</c> requests (function instances) the engine opens. Default 100 000, as RivetKit.</summary>
    public int MaxRunners { get; set; } = 100_000;

    /// <summary>Actors per <c>/start</c> request (default 1).</summary>
    public int SlotsPerRunner { get; set; } = 1;

    /// <summary>
    /// How long <see cref="RivetServerless.ConfigurePoolAsync"/> waits for the engine to read <c>/metadata</c> from
    /// <see cref="Url"/> (default 30 s; <see cref="TimeSpan.Zero"/>: do not wait). Until it has, actors created in the
    /// pool do not start (the engine does not know yet that the pool speaks the envoy protocol), so the backend must
    /// be reachable when this is called.
    /// </summary>
    public TimeSpan MetadataTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>One-call serverless hosting (RivetKit's <c>registry.serve()</c>) and pool registration.</summary>
public static class RivetServerless
{
    /// <summary>
    /// Creates or updates the serverless runner config of a pool (<c>PUT /runner-configs/{pool}</c> in every
    /// datacenter of the engine), so the engine calls <see cref="RivetServerlessPoolOptions.Url"/> to run actors of
    /// that pool, then waits until the engine has read <c>/metadata</c> (actors created before that would not start).
    /// Idempotent; retries while a freshly started engine is not ready yet (up to 30 s).
    /// </summary>
    /// <example>
    /// <code>
    /// await RivetServerless.ConfigurePoolAsync(new RivetServerlessPoolOptions
    /// {
    ///     EngineEndpoint = new Uri("http://127.0.0.1:6420"),
    ///     PoolName = "serverless",
    ///     Url = new Uri("http://127.0.0.1:5000/api/rivet"),
    ///     RequestLifespan = TimeSpan.FromMinutes(5),
    /// });
    /// </code>
    /// </example>
    /// <exception cref="ArgumentException">The lifespan or drain grace period is out of range.</exception>
    /// <exception cref="RivetException">The engine refused the config; the message says why.</exception>
    /// <exception cref="TimeoutException">The engine did not read <c>/metadata</c> within <see cref="RivetServerlessPoolOptions.MetadataTimeout"/>.</exception>
    public static async Task ConfigurePoolAsync(RivetServerlessPoolOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var lifespan = (int)Math.Ceiling(options.RequestLifespan.TotalSeconds);
        if (lifespan < 1)
        {
            throw new ArgumentException("RequestLifespan must be at least 1 s.", nameof(options));
        }
        var grace = options.DrainGracePeriod is { } g ? (int)Math.Ceiling(g.TotalSeconds) : Math.Clamp(lifespan / 4, 1, 30);
        if (grace < 0 || grace > lifespan)
        {
            throw new ArgumentException($"DrainGracePeriod ({grace} s) must be between 0 and RequestLifespan ({lifespan} s): the engine refuses a lifespan below the drain grace period.", nameof(options));
        }
        var headers = new Dictionary<string, string>(options.Headers, StringComparer.OrdinalIgnoreCase);
        if (options.ServerlessToken is { Length: > 0 } token)
        {
            headers["x-rivet-token"] = token;
        }
        var config = new EngineRunnerConfig
        {
            Serverless = new EngineServerlessRunnerConfig
            {
                Url = options.Url.AbsoluteUri.TrimEnd('/'),
                Headers = headers,
                RequestLifespan = lifespan,
                DrainGracePeriod = grace,
                MetadataPollInterval = (int)options.MetadataPollInterval.TotalMilliseconds,
                MaxRunners = options.MaxRunners,
                MinRunners = 0,
                RunnersMargin = 0,
                SlotsPerRunner = options.SlotsPerRunner,
            },
            DrainOnVersionUpgrade = true,
        };
        using var api = new EngineApiClient(options.EngineEndpoint, options.Namespace, options.EngineToken);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await api.UpsertRunnerConfigAsync(options.PoolName, config, cancellationToken: cancellationToken).ConfigureAwait(false);
                break;
            }
            catch (EngineApiException ex) when ((ex.StatusCode is null || (int)ex.StatusCode >= 500 || ex.Id == "namespace.not_found") && DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(200 * attempt, 2000)), cancellationToken).ConfigureAwait(false);
            }
        }
        if (options.MetadataTimeout > TimeSpan.Zero)
        {
            await WaitForMetadataAsync(api, options, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Waits until the stored config shows the envoy protocol version the engine read from <c>/metadata</c>.</summary>
    private static async Task WaitForMetadataAsync(EngineApiClient api, RivetServerlessPoolOptions options, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + options.MetadataTimeout;
        string? lastError = null;
        while (true)
        {
            var configs = await api.ListRunnerConfigsAsync([options.PoolName], cancellationToken).ConfigureAwait(false);
            if (configs.TryGetValue(options.PoolName, out var datacenters) && datacenters.Count > 0)
            {
                if (datacenters.Values.All(dc => dc.ProtocolVersion is not null))
                {
                    return;
                }
                lastError = datacenters.Values.Select(dc => dc.RunnerPoolError?.GetRawText()).FirstOrDefault(e => e is not null) ?? lastError;
            }
            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"The engine did not read {options.Url.AbsoluteUri.TrimEnd('/')}/metadata for pool '{options.PoolName}' within {options.MetadataTimeout.TotalSeconds:0.#} s" +
                    (lastError is null ? "; is the backend reachable from the engine?" : $"; the engine reports: {lastError}"));
            }
            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs a minimal ASP.NET Core server on <paramref name="url"/> (e.g. <c>http://0.0.0.0:8080</c>) that serves
    /// only the serverless endpoints under <c>/api/rivet</c>, until <paramref name="cancellationToken"/> fires or the
    /// process is stopped (Ctrl+C / SIGTERM: the actors are moved away first). <paramref name="configure"/> must set
    /// at least <see cref="RivetServerlessOptions.Token"/> and <see cref="RivetServerlessOptions.EngineEndpoint"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">A required option is missing; the message names it.</exception>
    public static async Task ServeAsync(string url, Action<RivetServerlessOptions>? configure = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(url);
        await using var app = Build(url, "/api/rivet", configure);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Builds (without starting) the minimal server of <see cref="ServeAsync"/>, to add routes or start and stop it
    /// yourself.
    /// </summary>
    public static WebApplication Build(string url, string basePath = "/api/rivet", Action<RivetServerlessOptions>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Services.AddRivetServerless(configure);
        var app = builder.Build();
        app.MapRivet(basePath);
        return app;
    }
}
