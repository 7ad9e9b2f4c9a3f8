using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Protocol.Client;
using Rivet.Runtime;

namespace Rivet.Hosting.ActorHttp;

/// <summary>An HTTP response the actor sends back through the engine.</summary>
internal sealed record ActorHttpResponse(ushort Status, Dictionary<string, string> Headers, byte[] Body);

/// <summary>
/// The actor side of RivetKit's client protocol over HTTP, for requests the engine's gateway tunnels to an actor:
/// <c>POST /action/{name}</c> in json, cbor or bare, and raw requests (<c>/request/…</c>: <see cref="RawRequestEndpoint"/>). Bad requests get a 4xx with RivetKit's error shape and leave
/// the actor untouched.
/// </summary>
internal static partial class ActorHttpEndpoint
{
    /// <summary>Largest action request body accepted (4 MiB); larger bodies are refused with RivetKit's
    /// <c>message.incoming_too_long</c> while they arrive (<see cref="RequestBodyBuffer"/>).</summary>
    public const int MaxRequestBody = 4 * 1024 * 1024;

    public static async Task<ActorHttpResponse> HandleAsync(
        ActorInstance actor, uint generation, string method, string path, IReadOnlyDictionary<string, string> headers,
        ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var encoding = ClientEncodingKind.Json;
        try
        {
            if (RawRequestEndpoint.IsRequestRoute(path.Split('?', 2)[0]))
            {
                return await RawRequestEndpoint.HandleAsync(actor, generation, method, path, headers, body, cancellationToken).ConfigureAwait(false);
            }
            var encodingHeader = Header(headers, ClientEncoding.EncodingHeader);
            if (!ClientEncoding.TryParse(encodingHeader, out encoding))
            {
                encoding = ClientEncodingKind.Json;
                throw Invalid($"Unknown encoding '{encodingHeader}' in {ClientEncoding.EncodingHeader}; use json, cbor or bare.");
            }
            var route = path;
            var query = route.IndexOf('?', StringComparison.Ordinal);
            if (query >= 0)
            {
                route = route[..query];
            }
            if (Inspector.InspectorEndpoint.Handles(route))
            {
                return await Inspector.InspectorEndpoint.HandleAsync(actor, method, route, headers, body, cancellationToken).ConfigureAwait(false);
            }
            if (route.StartsWith("/action/", StringComparison.Ordinal))
            {
                if (!string.Equals(method, "POST", StringComparison.OrdinalIgnoreCase))
                {
                    throw new RivetException(RivetErrors.ActorGroup, "method_not_allowed", $"Actions are called with POST, not {method}.");
                }
                var action = Uri.UnescapeDataString(route["/action/".Length..]);
                if (action.Length == 0 || action.Contains('/', StringComparison.Ordinal))
                {
                    throw Invalid($"'{route}' does not name one action.");
                }
                if (RequestBodyBuffer.CheckLength(body.Length) is { } tooLong)
                {
                    throw tooLong;
                }
                var arguments = ClientEncoding.DecodeActionArguments(encoding, body.Span);
                var callers = CallChain.Parse(Header(headers, CallChain.Header));
                var idempotencyKey = Idempotency.FromHeader(Header(headers, Idempotency.Header));
                var origin = Diagnostics.InvocationOrigin.FromHeaders(headers);
                var output = await actor.InvokeAsync(action, arguments, caller: null, callers, idempotencyKey, origin, cancellationToken).ConfigureAwait(false);
                return Respond(actor, generation, 200, encoding, ClientEncoding.EncodeActionOutput(encoding, output));
            }
            if (route.StartsWith("/queue/", StringComparison.Ordinal))
            {
                return await SendToQueueAsync(actor, generation, method, route, encoding, body, cancellationToken).ConfigureAwait(false);
            }
            if (route is "/health" or "/")
            {
                return Respond(actor, generation, 200, ClientEncodingKind.Json, "{\"status\":\"ok\",\"runtime\":\"rivet-dotnet\"}"u8.ToArray());
            }
            throw new RivetException(RivetErrors.ActorGroup, "route_not_found", $"Actor '{actor.Definition.Name}' has no route {method} {route}.");
        }
        catch (RivetException error)
        {
            return ErrorResponse(actor, generation, encoding, error);
        }
    }

    /// <summary>
    /// The answer to a request refused before it reached the actor (its body is over the limit), in the encoding the
    /// client asked for; <paramref name="actor"/> is null when it does not run here. <paramref name="status"/>
    /// replaces the error's usual status (413 for a raw request's body).
    /// </summary>
    public static ActorHttpResponse Refuse(ActorInstance? actor, uint generation, IReadOnlyDictionary<string, string> headers, RivetException error, int? status = null)
    {
        var encoding = ClientEncoding.TryParse(Header(headers, ClientEncoding.EncodingHeader), out var kind) ? kind : ClientEncodingKind.Json;
        if (actor is not null)
        {
            var answer = ErrorResponse(actor, generation, encoding, error);
            return status is { } s ? answer with { Status = (ushort)s } : answer;
        }
        var body = ClientEncoding.EncodeError(encoding, error, actor: null);
        return new ActorHttpResponse((ushort)(status ?? ClientEncoding.StatusFor(error)), new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["content-type"] = ClientEncoding.ContentType(encoding),
            ["content-length"] = body.Length.ToString(CultureInfo.InvariantCulture),
        }, body);
    }

    private static ActorHttpResponse ErrorResponse(ActorInstance actor, uint generation, ClientEncodingKind encoding, RivetException error)
    {
        var status = error.Code == "route_not_found" ? 404 : ClientEncoding.StatusFor(error);
        var specifier = new ActorSpecifier { ActorId = actor.ActorId, Generation = generation, Key = actor.Key.Serialize() };
        return Respond(actor, generation, (ushort)status, encoding, ClientEncoding.EncodeError(encoding, error, specifier));
    }

    private static ActorHttpResponse Respond(ActorInstance actor, uint generation, ushort status, ClientEncodingKind encoding, byte[] body) =>
        new(status, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["content-type"] = ClientEncoding.ContentType(encoding),
            ["content-length"] = body.Length.ToString(CultureInfo.InvariantCulture),
            ["x-rivet-actor"] = actor.ActorId,
            ["x-rivet-actor-generation"] = generation.ToString(CultureInfo.InvariantCulture),
            ["x-rivet-actor-key"] = HeaderSafe(actor.Key.Serialize()),
        }, body);

    /// <summary>Adds the headers <see cref="Respond"/> names the actor with, which a RivetKit 2.3.19 actor's raw responses carry too.</summary>
    public static void AddActorHeaders(Dictionary<string, string> headers, ActorInstance actor, uint generation)
    {
        headers["x-rivet-actor"] = actor.ActorId;
        headers["x-rivet-actor-generation"] = generation.ToString(CultureInfo.InvariantCulture);
        headers["x-rivet-actor-key"] = HeaderSafe(actor.Key.Serialize());
    }

    // Sent raw like RivetKit does; percent-escaped only when it holds characters a header value cannot carry.
    private static string HeaderSafe(string value)
    {
        foreach (var c in value)
        {
            if (c < 0x20 || c > 0x7E)
            {
                return Uri.EscapeDataString(value);
            }
        }
        return value;
    }

    private static string? Header(IReadOnlyDictionary<string, string> headers, string name)
    {
        if (headers.TryGetValue(name, out var value))
        {
            return value;
        }
        foreach (var (key, v) in headers)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return v;
            }
        }
        return null;
    }

    private static RivetException Invalid(string message) => new(RivetErrors.ActorGroup, RivetErrors.InvalidRequest, message);
}
