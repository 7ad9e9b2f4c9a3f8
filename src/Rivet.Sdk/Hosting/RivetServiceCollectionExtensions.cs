using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Rivet.Hosting;

/// <summary>Registers Rivet in a Microsoft.Extensions.Hosting application.</summary>
public static class RivetServiceCollectionExtensions
{
    /// <summary>
    /// Adds a <see cref="RivetHost"/> that starts and stops with the application, and its <see cref="RivetClient"/>
    /// as a singleton. Embedded by default; a runner on the engine when <c>RIVET_ENDPOINT</c> (or
    /// <see cref="RivetHostOptions.Runner"/>) is set, in which case stopping the application (e.g. on SIGTERM) tells the
    /// engine, lets running actions finish and the actors move away, then closes. The host logs through the
    /// application's <see cref="ILoggerFactory"/> unless <paramref name="configure"/> sets another.
    /// </summary>
    public static IServiceCollection AddRivet(this IServiceCollection services, Action<RivetHostOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton(provider =>
        {
            var options = new RivetHostOptions { LoggerFactory = provider.GetService<ILoggerFactory>() };
            configure?.Invoke(options);
            return new RivetHostedService(RivetHost.Create(options));
        });
        services.AddHostedService(provider => provider.GetRequiredService<RivetHostedService>());
        services.AddSingleton(provider => provider.GetRequiredService<RivetHostedService>().Host);
        services.AddSingleton(provider => provider.GetRequiredService<RivetHostedService>().Host.Client);
        return services;
    }
}

/// <summary>Ties a <see cref="RivetHost"/> to the application's lifetime: stopping the app lets actions finish, then stops the actors.</summary>
internal sealed class RivetHostedService(RivetHost host) : IHostedService, IAsyncDisposable
{
    public RivetHost Host { get; } = host;

    public Task StartAsync(CancellationToken cancellationToken) => Host.StartCoreAsync(cancellationToken);

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // The stop is bounded by the runner's ShutdownTimeout; the host's own limit bounds the wait too.
        try
        {
            await Host.DisposeAsync().AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
