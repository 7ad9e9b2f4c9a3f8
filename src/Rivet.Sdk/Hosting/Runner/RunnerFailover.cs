using System;
using System.Collections.Generic;
using System.Net.Http;
using Microsoft.Extensions.Logging;
using Rivet.Engine.MultiNode;

namespace Rivet.Hosting.Runner;

/// <summary>How a runner uses several nodes of one engine cluster (<see cref="RunnerOptions.FailoverEndpoints"/>).</summary>
internal static partial class RunnerFailover
{
    /// <summary>
    /// The connect timeout of the runner's socket: with one node there is nowhere else to go, so it waits long (30 s);
    /// with several, a node that does not answer the handshake within 5 s is passed over for the next.
    /// </summary>
    public static TimeSpan ConnectTimeout(IReadOnlyList<Uri> endpoints) => TimeSpan.FromSeconds(endpoints.Count > 1 ? 5 : 30);

    /// <summary>The handler of the runner's REST calls: failing over between the nodes when there are several; null (the default handler) otherwise.</summary>
    public static HttpMessageHandler? CreateApiHandler(IReadOnlyList<Uri> endpoints, ILogger logger) =>
        endpoints.Count > 1
            ? new EndpointFailoverHandler(endpoints, new SocketsHttpHandler
            {
                ConnectTimeout = TimeSpan.FromSeconds(5),
                PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            }, logger)
            : null;

    [LoggerMessage(EventId = 1910, Level = LogLevel.Warning, Message = "Runner {Key} lost engine node {From}; reconnecting through {To} under the same key")]
    public static partial void LogMovingTo(ILogger logger, Uri from, Uri to, string key);
}
