using System;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Rivet.AspNetCore;

/// <summary>Serverless hosting of Rivet actors in ASP.NET Core (RivetKit's <c>registry.handler()</c>).</summary>
public static class RivetServerlessEndpointExtensions
{
    /// <summary>
    /// Registers the serverless runtime: one envoy connection per engine endpoint and pool, shared by every
    /// <c>/start</c> call of this process. <see cref="MapRivet"/> calls it for you if you did not.
    /// </summary>
    public static IServiceCollection AddRivetServerless(this IServiceCollection services, Action<RivetServerlessOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(provider =>
        {
            var options = new RivetServerlessOptions();
            configure?.Invoke(options);
            return new ServerlessRuntime(options, provider.GetService<ILoggerFactory>(), provider.GetService<IHostEnvironment>()?.EnvironmentName);
        });
        // The host awaits the drain and the close on shutdown (bounded by ShutdownTimeout), without blocking a thread.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ServerlessShutdownService>());
        return services;
    }

    /// <summary>
    /// Maps the endpoints the Rivet Engine calls for a serverless pool under <paramref name="basePath"/>:
    /// <c>GET {base}/metadata</c> and <c>POST {base}/start</c> (GET accepted too), both requiring
    /// <see cref="RivetServerlessOptions.Token"/>, and the public probes <c>GET {base}/health</c> (<c>{"status":"ok"}</c>)
    /// and <c>GET {base}</c>. Configure the pool with <see cref="RivetServerless.ConfigurePoolAsync"/> pointing at
    /// <c>https://your-app{basePath}</c>. <paramref name="configure"/> applies when the runtime was not registered
    /// with <see cref="AddRivetServerless"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// <see cref="RivetServerlessOptions.Token"/> (or the explicit opt-out), <see cref="RivetServerlessOptions.EngineEndpoint"/>
    /// (or <see cref="RivetServerlessOptions.AllowedEngineEndpoints"/>) or another option is missing or out of range.
    /// </exception>
    /// <example>
    /// <code>
    /// var app = WebApplication.CreateBuilder(args).Build();
    /// app.MapRivet("/api/rivet", o =>
    /// {
    ///     o.Token = Environment.GetEnvironmentVariable("RIVET_SERVERLESS_TOKEN");   // the engine presents it
    ///     o.EngineEndpoint = new Uri("http://127.0.0.1:6420");                    // the only engine dialled
    ///     o.PoolNames = ["serverless"];
    /// });
    /// app.Run();
    /// </code>
    /// </example>
    public static IEndpointConventionBuilder MapRivet(this IEndpointRouteBuilder endpoints, string basePath = "/api/rivet", Action<RivetServerlessOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(basePath);
        var runtime = endpoints.ServiceProvider.GetService<ServerlessRuntime>();
        if (runtime is null)
        {
            var options = new RivetServerlessOptions();
            configure?.Invoke(options);
            runtime = new ServerlessRuntime(options, endpoints.ServiceProvider.GetService<ILoggerFactory>(), endpoints.ServiceProvider.GetService<IHostEnvironment>()?.EnvironmentName);
            if (endpoints.ServiceProvider.GetService<IHostApplicationLifetime>() is { } lifetime)
            {
                // Not registered with AddRivetServerless, so no hosted service awaits the close: it starts once the
                // application stopped, and the host does not wait for it (AddRivetServerless makes it awaited).
                var unregistered = runtime;
                lifetime.ApplicationStopped.Register(() => _ = unregistered.DisposeAsync().AsTask());
            }
        }
        if (endpoints.ServiceProvider.GetService<IHostApplicationLifetime>() is { } appLifetime)
        {
            // Starts the drain as soon as the application is stopping (the server keeps serving the /start streams
            // meanwhile, and its own shutdown waits for them; they end by ShutdownTimeout). Nothing blocks here.
            var draining = runtime;
            appLifetime.ApplicationStopping.Register(() => _ = draining.DrainAsync());
        }
        var prefix = "/" + basePath.Trim('/');
        var group = endpoints.MapGroup(prefix == "/" ? "" : prefix);
        // /metadata lists the actor names and versions: only for the engine, which sends the pool's token here too.
        group.MapGet("/metadata", async (HttpContext context) =>
        {
            if (runtime.Authenticate(context.Request) is { } refusal)
            {
                await ServerlessRuntime.WriteErrorAsync(context, refusal).ConfigureAwait(false);
                return;
            }
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(runtime.MetadataJson(), context.RequestAborted).ConfigureAwait(false);
        });
        group.MapMethods("/start", ["POST", "GET"], (HttpContext context) => runtime.HandleStartAsync(context));
        // Public liveness probes: they say the process answers, nothing about what it runs.
        // RequestDelegate handlers (not Delegate ones, which need runtime code generation): Native AOT compatible.
        group.MapGet("/health", context => Results.Text("{\"status\":\"ok\"}", "application/json", Encoding.UTF8).ExecuteAsync(context));
        group.MapGet("/", context => Results.Text("This is a Rivet serverless endpoint; the Rivet Engine calls it.\n", "text/plain", Encoding.UTF8).ExecuteAsync(context));
        return group;
    }

    /// <summary>The runtime behind the mapped endpoints (tests and diagnostics).</summary>
    internal static ServerlessRuntime? GetServerlessRuntime(this IServiceProvider services) => services.GetService<ServerlessRuntime>();
}

/// <summary>
/// Shuts the serverless runtime down with the host: waits for the drain the stopping application started
/// (<see cref="RivetServerlessOptions.ShutdownTimeout"/>), then closes the envoy connections.
/// </summary>
internal sealed class ServerlessShutdownService(ServerlessRuntime runtime) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // The drain is bounded by ShutdownTimeout on its own; the host's token (its shutdown limit) bounds it too.
        try
        {
            await runtime.DrainAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        await runtime.DisposeAsync().ConfigureAwait(false);
    }
}
