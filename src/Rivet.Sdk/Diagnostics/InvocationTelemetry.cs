using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Rivet.Runtime;

namespace Rivet.Diagnostics;

/// <summary>
/// Where an invocation came from: the caller's span context (W3C headers; <see langword="default"/> to parent on
/// <see cref="Activity.Current"/>), RivetKit's ray id when the request carried one, and spans it is linked to rather
/// than a child of (a scheduled action links to the span that scheduled it).
/// </summary>
internal readonly record struct InvocationOrigin(ActivityContext Parent, string? RayId = null, ActivityContext Link = default)
{
    /// <summary>The origin read from a request's headers.</summary>
    public static InvocationOrigin FromHeaders(IReadOnlyDictionary<string, string>? headers) =>
        new(RivetTracing.Extract(headers), RivetTracing.Header(headers, RivetTracing.RayIdHeader));
}

/// <summary>
/// The telemetry of one invocation on the actor side: its server span, its <c>rpc.server.call.duration</c>, and
/// a log scope (actor id and name, action, trace and span ids) around everything the invocation logs.
/// <see cref="Start"/> returns <see langword="null"/> when nobody listens to any of them.
/// </summary>
internal sealed class InvocationTelemetry : IDisposable
{
    private readonly Activity? _activity;
    private readonly IDisposable? _scope;
    private readonly long _started;
    private readonly string _actorName;
    private readonly string _action;
    private string? _errorType;

    private InvocationTelemetry(Activity? activity, IDisposable? scope, string actorName, string action)
    {
        _activity = activity;
        _scope = scope;
        _actorName = actorName;
        _action = action;
        _started = Stopwatch.GetTimestamp();
    }

    /// <summary>The server span, when someone listens to spans.</summary>
    public Activity? Activity => _activity;

    /// <summary>Whether anyone listens to an invocation's span, duration or log scope (checked before starting the
    /// async flow that carries them, so a call nobody watches pays nothing more).</summary>
    public static bool IsEnabled(ILogger logger) =>
        RivetTracing.IsEnabled || RivetMetrics.ServerCallDuration.Enabled || logger.IsEnabled(LogLevel.Critical);

    /// <summary>Starts the telemetry of an action (or scheduled action) of <paramref name="actor"/>; call it inside the
    /// async method that runs the invocation (it sets <see cref="Activity.Current"/> and a log scope).</summary>
    public static InvocationTelemetry? Start(ActorInstance actor, ILogger logger, string action, string invocationType, in InvocationOrigin origin)
    {
        var tracing = RivetTracing.IsEnabled;
        var logging = logger.IsEnabled(LogLevel.Critical);
        if (!tracing && !logging && !RivetMetrics.ServerCallDuration.Enabled)
        {
            return null;
        }
        Activity? activity = null;
        if (tracing)
        {
            var links = origin.Link != default ? new[] { new ActivityLink(origin.Link) } : null;
            activity = RivetTracing.StartActorSpan(actor, RivetTracing.Method(actor.Definition.Name, action), ActivityKind.Server, invocationType, origin.Parent, links);
            if (activity is { IsAllDataRequested: true })
            {
                activity.SetTag(RivetTracing.RpcMethodKey, RivetTracing.Method(actor.Definition.Name, action));
                activity.SetTag(RivetTracing.ActionNameKey, action);
                if (origin.RayId is not null)
                {
                    activity.SetTag(RivetTracing.RayIdKey, origin.RayId);
                }
            }
        }
        IDisposable? scope = null;
        if (logging)
        {
            var context = activity?.Context ?? (origin.Parent != default ? origin.Parent : Activity.Current?.Context ?? default);
            scope = logger.BeginScope(new InvocationScope(actor.ActorId, actor.Definition.Name, action, origin.RayId, context));
        }
        return new InvocationTelemetry(activity, scope, actor.Definition.Name, action);
    }

    /// <summary>The invocation failed with <paramref name="exception"/> (the span and the duration say so).</summary>
    public void Fail(Exception exception)
    {
        _errorType = RivetTracing.ErrorType(exception);
        RivetTracing.RecordError(_activity, exception);
    }

    /// <summary>Ends the span, records the duration and leaves the log scope.</summary>
    public void Dispose()
    {
        if (RivetMetrics.ServerCallDuration.Enabled)
        {
            RivetMetrics.RecordCall(RivetMetrics.ServerCallDuration, _started, _actorName, _action, _errorType);
        }
        _activity?.Dispose();
        _scope?.Dispose();
    }

    /// <summary>The log scope's state: structured values for scope-aware providers, and a readable text.</summary>
    private sealed class InvocationScope(string actorId, string actorName, string action, string? rayId, ActivityContext trace)
        : IReadOnlyList<KeyValuePair<string, object?>>
    {
        private readonly KeyValuePair<string, object?>[] _values = Values(actorId, actorName, action, rayId, trace);

        public int Count => _values.Length;

        public KeyValuePair<string, object?> this[int index] => _values[index];

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_values).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => trace == default
            ? $"{actorName}/{action} ({actorId})"
            : $"{actorName}/{action} ({actorId}) trace {trace.TraceId} span {trace.SpanId}";

        private static KeyValuePair<string, object?>[] Values(string actorId, string actorName, string action, string? rayId, ActivityContext trace)
        {
            var values = new List<KeyValuePair<string, object?>>(6)
            {
                new(RivetTracing.ActorIdKey, actorId),
                new(RivetTracing.ActorNameKey, actorName),
                new(RivetTracing.ActionNameKey, action),
            };
            if (rayId is not null)
            {
                values.Add(new(RivetTracing.RayIdKey, rayId));
            }
            if (trace != default)
            {
                values.Add(new("TraceId", trace.TraceId.ToHexString()));
                values.Add(new("SpanId", trace.SpanId.ToHexString()));
            }
            return [.. values];
        }
    }
}
