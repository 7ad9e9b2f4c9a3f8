using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Rivet.Hosting.ActorHttp;
using Rivet.Runtime;

namespace Rivet.Hosting.Inspector;

/// <summary>
/// RivetKit 2.3.19's inspector routes for a .NET actor, as the engine's gateway tunnels them to the actor:
/// <c>GET /metadata</c> (public: the dashboard polls it to learn the runtime's version), and, guarded by the actor's
/// inspector token (<see cref="InspectorTokens"/>, <c>Authorization: Bearer</c>), the JSON routes
/// <c>GET|PATCH /inspector/state</c>, <c>GET /inspector/connections</c>, <c>GET /inspector/rpcs</c>,
/// <c>GET /inspector/summary</c> and <c>POST /inspector/action/{name}</c>, with RivetKit's shapes
/// (<c>registry/native.ts</c>). A missing or wrong token gets 401 with RivetKit's error shape.
/// </summary>
internal static partial class InspectorEndpoint
{
    /// <summary>The RivetKit release whose inspector contract this serves; the dashboard picks its protocol by it.</summary>
    public const string CompatibleRivetKitVersion = "2.3.19";

    private const string Prefix = "/inspector/";

    /// <summary>Whether <paramref name="route"/> (path without query) is served here.</summary>
    public static bool Handles(string route) => route == "/metadata" || route.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>Answers one inspector request; errors become RivetKit's JSON error shape, never an exception.</summary>
    public static async Task<ActorHttpResponse> HandleAsync(
        ActorInstance actor, string method, string route, IReadOnlyDictionary<string, string> headers,
        ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var logger = actor.Logger;
        if (route == "/metadata")
        {
            return Json(200, w =>
            {
                w.WriteString("runtime", "rivet-dotnet");
                w.WriteString("version", CompatibleRivetKitVersion);
                w.WriteString("sdkVersion", SdkVersion.Current);
            });
        }
        var presented = Header(headers, "authorization") is { } authorization && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? authorization["Bearer ".Length..].Trim()
            : null;
        if (!InspectorTokens.Matches(actor.InspectorToken, presented))
        {
            LogUnauthorized(logger, actor.Definition.Name, actor.ActorId, method, route, presented is null ? "no bearer token" : "a wrong token");
            return Error(401, "inspector", "unauthorized", "Inspector request requires the actor's inspector token as 'Authorization: Bearer <token>'.");
        }
        try
        {
            return (method.ToUpperInvariant(), route) switch
            {
                ("GET", "/inspector/state") => Json(200, w => WriteState(w, actor)),
                ("PATCH", "/inspector/state") => await PatchStateAsync(actor, body, cancellationToken).ConfigureAwait(false),
                ("GET", "/inspector/connections") => Json(200, w => WriteConnections(w, actor)),
                ("GET", "/inspector/rpcs") => Json(200, w => WriteRpcs(w, actor)),
                ("GET", "/inspector/summary") => Json(200, w =>
                {
                    WriteState(w, actor);
                    WriteConnections(w, actor);
                    WriteRpcs(w, actor);
                    w.WriteNumber("queueSize", 0);
                    w.WriteBoolean("isDatabaseEnabled", false);
                    w.WriteBoolean("isWorkflowEnabled", false);
                    w.WriteNull("workflowState");
                    w.WriteNull("workflowHistory");
                }),
                ("POST", _) when route.StartsWith(Prefix + "action/", StringComparison.Ordinal) =>
                    await InvokeAsync(actor, Uri.UnescapeDataString(route[(Prefix.Length + "action/".Length)..]), body, cancellationToken).ConfigureAwait(false),
                _ => Error(404, "actor", "route_not_found", $"The inspector of actor '{actor.Definition.Name}' has no route {method} {route}."),
            };
        }
        catch (RivetException error)
        {
            LogRequestFailed(logger, actor.Definition.Name, actor.ActorId, method, route, error.Group, error.Code);
            // The same statuses as the client protocol's action route.
            return Error(Protocol.Client.ClientEncoding.StatusFor(error), error.Group, error.Code, error.Message);
        }
    }

    private static async Task<ActorHttpResponse> PatchStateAsync(ActorInstance actor, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var state = ReadProperty(body, "state", "PATCH /inspector/state takes {\"state\": <the new state>}.");
        await actor.PatchStateAsync(state, cancellationToken).ConfigureAwait(false);
        return Json(200, w => w.WriteBoolean("ok", true));
    }

    private static async Task<ActorHttpResponse> InvokeAsync(ActorInstance actor, string action, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        if (action.Length == 0 || action.Contains('/', StringComparison.Ordinal))
        {
            throw new RivetException(RivetErrors.ActorGroup, RivetErrors.InvalidRequest, $"'/inspector/action/{action}' does not name one action.");
        }
        if (!actor.Definition.ActionNames.Contains(action, StringComparer.Ordinal))
        {
            throw new RivetException(RivetErrors.ActorGroup, "action_not_found", $"Action {action} not found on actor '{actor.Definition.Name}'.");
        }
        // {"args": [..]} as RivetKit; a missing body or args means no arguments.
        var args = body.IsEmpty ? "[]"u8.ToArray() : ReadProperty(body, "args", null);
        if (args.Span.SequenceEqual("null"u8))
        {
            args = "[]"u8.ToArray();
        }
        else if (args.Span[0] != (byte)'[')
        {
            // RivetKit's normalizeArgs: a single value is one argument.
            args = WrapInArray(args);
        }
        var output = await actor.InvokeAsync(action, args, cancellationToken).ConfigureAwait(false);
        return Json(200, w =>
        {
            w.WritePropertyName("output");
            w.WriteRawValue(output, skipInputValidation: true);
        });
    }

    private static ReadOnlyMemory<byte> ReadProperty(ReadOnlyMemory<byte> body, string name, string? required)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(name, out var value))
            {
                return System.Text.Encoding.UTF8.GetBytes(value.GetRawText());
            }
        }
        catch (JsonException ex)
        {
            throw new RivetException(RivetErrors.ActorGroup, RivetErrors.InvalidRequest, $"The inspector request body is not JSON: {ex.Message}", innerException: ex);
        }
        return required is null ? "[]"u8.ToArray() : throw new RivetException(RivetErrors.ActorGroup, RivetErrors.InvalidRequest, required);
    }

    private static byte[] WrapInArray(ReadOnlyMemory<byte> value)
    {
        var wrapped = new byte[value.Length + 2];
        wrapped[0] = (byte)'[';
        value.Span.CopyTo(wrapped.AsSpan(1));
        wrapped[^1] = (byte)']';
        return wrapped;
    }

    private static void WriteState(Utf8JsonWriter w, ActorInstance actor)
    {
        w.WritePropertyName("state");
        w.WriteRawValue(actor.InspectorState.Span, skipInputValidation: true);
        w.WriteBoolean("isStateEnabled", actor.Actor.HasState);
    }

    private static void WriteConnections(Utf8JsonWriter w, ActorInstance actor)
    {
        w.WriteStartArray("connections");
        foreach (var connection in actor.ConnectionList)
        {
            w.WriteStartObject();
            w.WriteNull("type");
            w.WriteString("id", connection.Id);
            w.WritePropertyName("details");
            WriteConnectionDetails(w, actor, connection);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary>RivetKit's connection details object (the JSON routes, and CBOR on the inspector socket).</summary>
    public static void WriteConnectionDetails(Utf8JsonWriter w, ActorInstance actor, Connection connection)
    {
        w.WriteStartObject();
        w.WriteNull("type");
        w.WritePropertyName("params");
        if (connection.ParamsJson.IsEmpty)
        {
            w.WriteNullValue();
        }
        else
        {
            w.WriteRawValue(connection.ParamsJson.Span, skipInputValidation: true);
        }
        w.WriteBoolean("stateEnabled", actor.Definition.ConnectionStateType is not null);
        w.WritePropertyName("state");
        if (connection.State is { } state && actor.Definition.ConnectionStateType is { } stateType)
        {
            JsonSerializer.Serialize(w, state, stateType);
        }
        else
        {
            w.WriteNullValue();
        }
        w.WriteNumber("subscriptions", connection.SubscriptionSnapshot.Count);
        w.WriteBoolean("isHibernatable", connection.IsHibernatable);
        w.WriteEndObject();
    }

    internal static void WriteRpcs(Utf8JsonWriter w, ActorInstance actor)
    {
        w.WriteStartArray("rpcs");
        foreach (var name in actor.Definition.ActionNames.Order(StringComparer.Ordinal))
        {
            w.WriteStringValue(name);
        }
        w.WriteEndArray();
    }

    private static ActorHttpResponse Error(int status, string group, string code, string message) => Json(status, w =>
    {
        w.WriteString("group", group);
        w.WriteString("code", code);
        w.WriteString("message", message);
        w.WriteNull("metadata");
    });

    private static ActorHttpResponse Json(int status, Action<Utf8JsonWriter> writeProperties)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            writeProperties(w);
            w.WriteEndObject();
        }
        var body = buffer.WrittenSpan.ToArray();
        return new ActorHttpResponse((ushort)status, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["content-type"] = "application/json",
            ["content-length"] = body.Length.ToString(CultureInfo.InvariantCulture),
        }, body);
    }

    internal static string? Header(IReadOnlyDictionary<string, string> headers, string name)
    {
        foreach (var (key, value) in headers)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }
        return null;
    }

    [LoggerMessage(EventId = 1550, Level = LogLevel.Warning, Message = "Inspector request {Method} {Route} to actor {Name} ({ActorId}) refused: it carried {Reason}")]
    private static partial void LogUnauthorized(ILogger logger, string name, string actorId, string method, string route, string reason);

    [LoggerMessage(EventId = 1551, Level = LogLevel.Debug, Message = "Inspector request {Method} {Route} to actor {Name} ({ActorId}) failed with {Group}.{Code}")]
    private static partial void LogRequestFailed(ILogger logger, string name, string actorId, string method, string route, string group, string code);
}
