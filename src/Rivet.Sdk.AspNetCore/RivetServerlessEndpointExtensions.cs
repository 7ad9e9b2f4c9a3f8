using System;
using System.Text;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Rivet.Hosting.Serverless;

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
            return new ServerlessRuntime(options, provider.GetService<ILoggerFactory>());
        });
        return services;
    }

    /// <summary>
    /// Maps the endpoints the Rivet Engine calls for a serverless pool under <paramref name="basePath"/>:
    /// <c>GET {base}/metadata</c>, <c>POST {base}/start</c> (GET accepted too), <c>GET {base}/health</c> and
    /// <c>GET {base}</c>. Configure the pool with <see cref="RivetServerless.ConfigurePoolAsync"/> pointing at
    /// <c>https://your-app{basePath}</c>. <paramref name="configure"/> applies when the runtime was not registered
    /// with <see cref="AddRivetServerless"/>.
    /// </summary>
    /// <example>
    /// <code>
    /// var app = WebApplication.CreateBuilder(args).Build();
    /// app.MapRivet("/api/rivet", o => o.Token = Environment.GetEnvironmentVariable("RIVET_SERVERLESS_TOKEN"));
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
            runtime = new ServerlessRuntime(options, endpoints.ServiceProvider.GetService<ILoggerFactory>());
            if (endpoints.ServiceProvider.GetService<IHostApplicationLifetime>() is { } lifetime)
            {
                lifetime.ApplicationStopped.Register(() => runtime.DisposeAsync().AsTask().GetAwaiter().GetResult());
            }
        }
        if (endpoints.ServiceProvider.GetService<IHostApplicationLifetime>() is { } appLifetime)
        {
            appLifetime.ApplicationStopping.Register(() => runtime.DrainAsync().GetAwaiter().GetResult());
        }
        var prefix = "/" + basePath.Trim('/');
        var group = endpoints.MapGroup(prefix == "/" ? "" : prefix);
        group.MapGet("/metadata", (HttpContext context) => Results.Bytes(runtime.MetadataJson(), "application/json"));
        group.MapMethods("/start", ["POST", "GET"], (HttpContext context) => runtime.HandleStartAsync(context));
        group.MapGet("/health", () => Results.Text(
            $"{{\"status\":\"ok\",\"runtime\":\"rivetkit\",\"version\":\"{ServerlessRuntime.SdkVersion}\"}}", "application/json", Encoding.UTF8));
        group.MapGet("/", () => Results.Text("This is a Rivet.Sdk serverless endpoint (RivetKit-compatible); the Rivet Engine calls /metadata and /start here.\n", "text/plain", Encoding.UTF8));
        return group;
    }

    /// <summary>The runtime behind the mapped endpoints (tests and diagnostics).</summary>
    internal static ServerlessRuntime? GetServerlessRuntime(this IServiceProvider services) => services.GetService<ServerlessRuntime>();
}
