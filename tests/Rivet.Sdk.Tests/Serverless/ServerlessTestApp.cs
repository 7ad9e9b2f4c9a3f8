using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Rivet.AspNetCore;
using Rivet.Sdk.Tests.Engine;

namespace Rivet.Sdk.Tests.Serverless;

/// <summary>One request the engine sent to the serverless app.</summary>
internal sealed record CapturedRequest(DateTime At, string Method, string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public DateTime? EndedAt { get; set; }
}

/// <summary>A real Kestrel app on a free loopback port with <c>MapRivet</c>, recording every request the engine makes.</summary>
internal sealed class ServerlessTestApp : IAsyncDisposable
{
    private ServerlessTestApp(WebApplication app, Uri root)
    {
        App = app;
        Root = root;
    }

    public WebApplication App { get; }

    /// <summary>http://127.0.0.1:port</summary>
    public Uri Root { get; }

    /// <summary>The base URL of the mapped endpoints.</summary>
    public Uri BaseUrl => new(Root, "/api/rivet");

    public ConcurrentQueue<CapturedRequest> Requests { get; } = new();

    public ServerlessRuntime Runtime => App.Services.GetServerlessRuntime()!;

    public IReadOnlyList<CapturedRequest> Starts => Requests.Where(r => r.Path.EndsWith("/start", StringComparison.Ordinal)).ToList();

    /// <summary>The shared token the app requires on /start and /metadata (give it to the pool as ServerlessToken).</summary>
    public string? Token => Runtime.Options.Token;

    /// <summary>The app configured the secure way the docs describe: a random token, the engine's address, one pool.</summary>
    public static Task<ServerlessTestApp> StartForEngineAsync(Uri engineEndpoint, string pool, string? engineToken, Action<RivetServerlessOptions>? configure = null) =>
        StartAsync(options =>
        {
            options.Token = "sls-" + Guid.NewGuid().ToString("N");
            options.EngineEndpoint = engineEndpoint;
            options.EngineToken = engineToken;
            options.PoolNames = [pool];
            configure?.Invoke(options);
        });

    public static async Task<ServerlessTestApp> StartAsync(Action<RivetServerlessOptions> configure)
    {
        var app = RivetServerless.Build("http://127.0.0.1:0", "/api/rivet", options =>
        {
            options.LoggerFactory = LoggerFactory.Create(b => b.AddConsole().SetMinimumLevel(LogLevel.Warning));
            configure(options);
        });
        ServerlessTestApp? self = null;
        app.Use(async (HttpContext context, RequestDelegate next) =>
        {
            var body = Array.Empty<byte>();
            if (context.Request.Path.Value?.EndsWith("/start", StringComparison.Ordinal) == true)
            {
                context.Request.EnableBuffering();
                using var copy = new MemoryStream();
                await context.Request.Body.CopyToAsync(copy);
                context.Request.Body.Position = 0;
                body = copy.ToArray();
            }
            var captured = new CapturedRequest(DateTime.UtcNow, context.Request.Method, context.Request.Path.Value ?? "",
                context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()), body);
            self?.Requests.Enqueue(captured);
            try
            {
                await next(context);
            }
            finally
            {
                captured.EndedAt = DateTime.UtcNow;
            }
        });
        await app.StartAsync();
        var address = app.Urls.First();
        self = new ServerlessTestApp(app, new Uri(address));
        return self;
    }

    /// <summary>
    /// The teardown of a test class that configured <paramref name="pool"/> on <paramref name="engine"/> to call this
    /// app: the pool's runner config goes first (once the app is gone the engine would keep calling its /start on a
    /// closed port; a pool the test never configured or already deleted is fine), then the app stops.
    /// </summary>
    public async Task DeletePoolAndDisposeAsync(EngineFixture engine, string pool)
    {
        using (var api = engine.CreateClient())
        {
            try
            {
                await api.DeleteRunnerConfigAsync(pool);
            }
            catch (RivetException)
            {
            }
        }
        await DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await App.StopAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
        }
        await App.DisposeAsync();
    }
}
