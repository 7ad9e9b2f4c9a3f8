using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Rivet.Engine.MultiNode;

/// <summary>
/// Sends each request to the engine node in use and, when that node cannot be reached, to the next one: requests
/// are built against any of the endpoints (the first, usually) and re-addressed here, so the code above needs no
/// knowledge of the other nodes. A node that answered stays in use until it fails (no flapping back to the first).
/// </summary>
/// <remarks>
/// A request is sent to another node only when that cannot run anything twice: the connection was never made (the
/// request did not leave), or the request is idempotent (GET, HEAD, PUT, DELETE, OPTIONS, or an action carrying an
/// idempotency key, which the actor answers once per key). An action without a key whose node died after it was
/// sent fails with the error it got (the client reports <c>engine.unreachable</c>): it may have run.
/// </remarks>
internal sealed partial class EndpointFailoverHandler : DelegatingHandler
{
    /// <summary>The header that makes an action call safe to send again (see <see cref="Rivet.Runtime.Idempotency"/>).</summary>
    private const string IdempotencyHeader = "x-rivet-idempotency-key";

    private readonly string[] _bases;
    private readonly ILogger _logger;
    private int _current;

    /// <summary>Creates a handler over <paramref name="endpoints"/> (at least one; the first is used first) sending through <paramref name="inner"/>.</summary>
    public EndpointFailoverHandler(IReadOnlyList<Uri> endpoints, HttpMessageHandler inner, ILogger? logger = null)
        : base(inner)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (endpoints.Count == 0)
        {
            throw new ArgumentException("At least one engine endpoint is needed.", nameof(endpoints));
        }
        _bases = new string[endpoints.Count];
        for (var i = 0; i < endpoints.Count; i++)
        {
            var absolute = endpoints[i].AbsoluteUri;
            _bases[i] = absolute.EndsWith('/') ? absolute : absolute + "/";
        }
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The endpoint requests go to now.</summary>
    public Uri Current => new(_bases[Volatile.Read(ref _current)]);

    /// <summary>How many endpoints this handler fails over between.</summary>
    public int Count => _bases.Length;

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var original = request.RequestUri;
        if (original is null || !TrySplit(original, out var rest, out var webSocket))
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        var start = Volatile.Read(ref _current);
        for (var tried = 0; ; tried++)
        {
            var index = (start + tried) % _bases.Length;
            request.RequestUri = Address(index, rest, webSocket);
            try
            {
                var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                if (index != start && Interlocked.CompareExchange(ref _current, index, start) == start)
                {
                    LogMoved(_logger, _bases[start], _bases[index]);
                }
                return response;
            }
            catch (HttpRequestException e) when (tried + 1 < _bases.Length && !cancellationToken.IsCancellationRequested && MaySendAgain(request, e))
            {
                LogFailingOver(_logger, request.Method.Method, _bases[index], _bases[(index + 1) % _bases.Length], e.HttpRequestError.ToString(), e.Message);
            }
        }
    }

    /// <summary>Whether a request that failed with <paramref name="error"/> may go to another node without running anything twice.</summary>
    internal static bool MaySendAgain(HttpRequestMessage request, HttpRequestException error) =>
        error.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError
        || IsIdempotent(request);

    private static bool IsIdempotent(HttpRequestMessage request)
    {
        var method = request.Method;
        return method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Put || method == HttpMethod.Delete
            || method == HttpMethod.Options || request.Headers.Contains(IdempotencyHeader);
    }

    /// <summary>The part of <paramref name="uri"/> after the endpoint it was built on; WebSocket URLs (ws, wss) are matched as http, https.</summary>
    private bool TrySplit(Uri uri, out string rest, out bool webSocket)
    {
        var text = uri.AbsoluteUri;
        webSocket = uri.Scheme is "ws" or "wss";
        if (webSocket)
        {
            text = "http" + text["ws".Length..];
        }
        foreach (var prefix in _bases)
        {
            if (text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                rest = text[prefix.Length..];
                return true;
            }
        }
        rest = string.Empty;
        return false;
    }

    private Uri Address(int index, string rest, bool webSocket)
    {
        var text = _bases[index] + rest;
        return new Uri(webSocket ? "ws" + text["http".Length..] : text);
    }

    [LoggerMessage(EventId = 1900, Level = LogLevel.Warning, Message = "Engine node {From} could not be reached for a {Method} ({Error}: {Reason}); sending it to {To}")]
    private static partial void LogFailingOver(ILogger logger, string method, string from, string to, string error, string reason);

    [LoggerMessage(EventId = 1901, Level = LogLevel.Information, Message = "Requests to the Rivet Engine now go to {To} instead of {From}")]
    private static partial void LogMoved(ILogger logger, string from, string to);
}
