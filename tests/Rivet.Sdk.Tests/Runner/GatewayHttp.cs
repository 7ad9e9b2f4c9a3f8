using System;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging.Abstractions;
using Rivet.Hosting.Runner;
using Rivet.Runtime;

namespace Rivet.Sdk.Tests.Runner;

/// <summary>Calls actors through the engine's gateway exactly as RivetKit's client does (json encoding).</summary>
internal sealed class GatewayHttp(Uri endpoint, string pool) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };

    public async Task<(int Status, string Body)> PostAsync(string actor, string key, string action, string json, CancellationToken cancellationToken = default)
    {
        var url = new Uri(endpoint, $"/gateway/{actor}/action/{action}?rvt-namespace=default&rvt-method=getOrCreate&rvt-runner={pool}&rvt-key={Uri.EscapeDataString(key)}&rvt-crash-policy=sleep");
        using var response = await _http.PostAsync(url, new StringContent(json, Encoding.UTF8, "application/json"), cancellationToken);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    /// <summary>Calls until the call succeeds (the engine may be moving the actor), failing after <paramref name="timeout"/>.</summary>
    public async Task<string> PostUntilOkAsync(string actor, string key, string action, string json, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        (int Status, string Body) last = (0, "");
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                last = await PostAsync(actor, key, action, json);
                if (last.Status == 200)
                {
                    return last.Body;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                last = (0, ex.Message);
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"{actor}[{key}].{action} did not succeed within {timeout.TotalSeconds} s; last answer {last.Status}: {last.Body}");
    }

    public void Dispose() => _http.Dispose();

    public static Task<RivetRunner> StartRunnerAsync(Uri endpoint, string pool, string? key = null, Action<RunnerOptions>? configure = null)
    {
        var options = new RunnerOptions { Endpoint = endpoint, PoolName = pool, ReconnectDelay = TimeSpan.FromMilliseconds(200), MaxReconnectDelay = TimeSpan.FromSeconds(2) };
        if (key is not null)
        {
            options.RunnerKey = key;
        }
        configure?.Invoke(options);
        // No client given: the runner gives its actors an engine client of its own, so they can call other actors.
        return RivetRunner.StartAsync(options, ActorRegistry.Default, NullLoggerFactory.Instance, client: null, default);
    }
}
