using System;
using System.Collections.Generic;
using System.Diagnostics;
using Rivet.Hosting;
using Rivet.Runtime;

namespace Rivet.Diagnostics;

/// <summary>
/// The SDK's one <see cref="ActivitySource"/>, its attribute keys (OpenTelemetry's RPC conventions plus RivetKit's
/// <c>rivet.*</c> keys, so TypeScript and .NET actors read alike) and W3C context propagation. Features that add
/// spans on the actor side (raw requests, queues, database statements) start them with <see cref="StartActorSpan"/>
/// so every actor span carries the same attributes. With no listener, every <c>Start…</c> returns
/// <see langword="null"/> after one check.
/// </summary>
internal static class RivetTracing
{
    public static readonly ActivitySource Source = new(RivetDiagnostics.ActivitySourceName, SdkVersion.Current);

    public const string RpcSystemKey = "rpc.system.name";
    public const string RpcSystem = "rivet";
    public const string RpcMethodKey = "rpc.method";
    public const string RpcStatusKey = "rpc.response.status_code";
    public const string ErrorTypeKey = "error.type";
    public const string ActorIdKey = "rivet.actor.id";
    public const string ActorNameKey = "rivet.actor.name";
    public const string ActorKeyKey = "rivet.actor.key";
    public const string ActionNameKey = "rivet.action.name";
    public const string InvocationTypeKey = "rivet.invocation.type";
    public const string RayIdKey = "rivet.ray.id";
    public const string ConnectionIdKey = "rivet.connection.id";
    public const string EventNameKey = "rivet.event.name";
    public const string EventSubscribersKey = "rivet.event.subscribers";
    public const string ScheduleEventIdKey = "rivet.schedule.event_id";

    /// <summary>The header RivetKit uses to carry a request's ray id (one id per user request, across actors).</summary>
    public const string RayIdHeader = "x-rivet-ray-id";

    /// <summary>Values of <see cref="InvocationTypeKey"/>.</summary>
    public static class Invocation
    {
        public const string Action = "action";
        public const string Connect = "connect";
        public const string Schedule = "schedule";
        public const string Broadcast = "broadcast";
        public const string Http = "http";
        public const string WebSocket = "websocket";
        public const string Queue = "queue";
    }

    /// <summary>Whether anyone listens to the SDK's spans.</summary>
    public static bool IsEnabled => Source.HasListeners();

    /// <summary>OpenTelemetry's <c>rpc.method</c> (and span name) for an action: <c>{actor}/{action}</c>.</summary>
    public static string Method(string actorName, string action) => actorName + "/" + action;

    /// <summary>
    /// Starts a span on the actor side, with the actor's attributes. <paramref name="parent"/> is the caller's context
    /// (from <see cref="Extract"/>); <see langword="default"/> parents it on <see cref="Activity.Current"/>.
    /// </summary>
    public static Activity? StartActorSpan(
        ActorInstance actor, string name, ActivityKind kind, string invocationType,
        ActivityContext parent = default, IEnumerable<ActivityLink>? links = null)
    {
        if (!Source.HasListeners())
        {
            return null;
        }
        var activity = Source.StartActivity(name, kind, parent, tags: null, links);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(RpcSystemKey, RpcSystem);
            activity.SetTag(ActorIdKey, actor.ActorId);
            activity.SetTag(ActorNameKey, actor.Definition.Name);
            activity.SetTag(ActorKeyKey, actor.Key.Serialize());
            activity.SetTag(InvocationTypeKey, invocationType);
        }
        return activity;
    }

    /// <summary>Starts the client span of an action call (a child of <see cref="Activity.Current"/>).</summary>
    public static Activity? StartClientCall(string actorName, string? key, string? actorId, string action)
    {
        if (!Source.HasListeners())
        {
            return null;
        }
        var method = Method(actorName, action);
        var activity = Source.StartActivity(method, ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(RpcSystemKey, RpcSystem);
            activity.SetTag(RpcMethodKey, method);
            activity.SetTag(ActorNameKey, actorName);
            activity.SetTag(ActorKeyKey, key);
            activity.SetTag(ActorIdKey, actorId);
            activity.SetTag(ActionNameKey, action);
        }
        return activity;
    }

    /// <summary>Marks a span failed: <c>error.type</c> is the Rivet error id (<c>group.code</c>) or the exception type.</summary>
    public static void RecordError(Activity? activity, Exception exception)
    {
        if (activity is null)
        {
            return;
        }
        var errorType = ErrorType(exception);
        activity.SetStatus(ActivityStatusCode.Error, exception is RivetException rivet ? rivet.Message : errorType);
        activity.SetTag(ErrorTypeKey, errorType);
        if (exception is RivetException { Code: var code })
        {
            activity.SetTag(RpcStatusKey, code);
        }
    }

    /// <summary>The <c>error.type</c> of an exception: the Rivet error id, or the exception's type name.</summary>
    public static string ErrorType(Exception exception) =>
        exception is RivetException rivet ? rivet.Id : exception.GetType().FullName ?? exception.GetType().Name;

    /// <summary>
    /// Adds the W3C <c>traceparent</c>/<c>tracestate</c> of <see cref="Activity.Current"/> through
    /// <paramref name="set"/>, with the process's <see cref="DistributedContextPropagator"/>; nothing when there is no
    /// current span.
    /// </summary>
    public static void Inject<TCarrier>(TCarrier carrier, Action<TCarrier, string, string> set)
    {
        if (Activity.Current is not { } current)
        {
            return;
        }
        DistributedContextPropagator.Current.Inject(current, (carrier, set), static (state, name, value) =>
        {
            if (state is ValueTuple<TCarrier, Action<TCarrier, string, string>> (var target, var setter) && value is not null)
            {
                setter(target, name, value);
            }
        });
    }

    /// <summary>The caller's span context from W3C headers (names matched case-insensitively); <see langword="default"/> when absent or malformed.</summary>
    public static ActivityContext Extract(IReadOnlyDictionary<string, string>? headers)
    {
        if (headers is null || headers.Count == 0)
        {
            return default;
        }
        DistributedContextPropagator.Current.ExtractTraceIdAndState(headers, static (carrier, name, out value, out values) =>
        {
            values = null;
            value = Header((IReadOnlyDictionary<string, string>)carrier!, name);
        }, out var traceParent, out var traceState);
        return traceParent is not null && ActivityContext.TryParse(traceParent, traceState, isRemote: true, out var context)
            ? context
            : default;
    }

    /// <summary>A header's value, looked up exactly and then case-insensitively.</summary>
    public static string? Header(IReadOnlyDictionary<string, string>? headers, string name)
    {
        if (headers is null)
        {
            return null;
        }
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
}
