using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;

namespace Rivet.Sdk.Tests.Diagnostics;

/// <summary>What every host must emit for <c>traceFront.forward</c>, which calls <c>traceBack.add</c>.</summary>
internal static class TraceAssertions
{
    public static Activity Single(List<Activity> spans, string name, ActivityKind kind) =>
        spans.SingleOrDefault(s => s.DisplayName == name && s.Kind == kind)
        ?? throw new Xunit.Sdk.XunitException($"No single {kind} span '{name}' in the trace; it has: {Describe(spans)}");

    public static string Describe(IEnumerable<Activity> spans) =>
        string.Join(", ", spans.Select(s => $"{s.Kind} '{s.DisplayName}' {s.SpanId} (parent {s.ParentSpanId})"));

    /// <summary>
    /// One trace: root → client forward → server forward → (broadcast changed, client add → server add), with
    /// OpenTelemetry's RPC keys and RivetKit's rivet.* keys.
    /// </summary>
    public static void ForwardTrace(List<Activity> spans, Activity root, string frontKey, string backKey)
    {
        var clientForward = Single(spans, "traceFront/forward", ActivityKind.Client);
        var serverForward = Single(spans, "traceFront/forward", ActivityKind.Server);
        var broadcast = Single(spans, "broadcast changed", ActivityKind.Producer);
        var clientAdd = Single(spans, "traceBack/add", ActivityKind.Client);
        var serverAdd = Single(spans, "traceBack/add", ActivityKind.Server);

        Assert.Equal(root.SpanId, clientForward.ParentSpanId);
        Assert.Equal(clientForward.SpanId, serverForward.ParentSpanId);
        Assert.Equal(serverForward.SpanId, broadcast.ParentSpanId);
        Assert.Equal(serverForward.SpanId, clientAdd.ParentSpanId);
        Assert.Equal(clientAdd.SpanId, serverAdd.ParentSpanId);

        foreach (var span in new[] { clientForward, serverForward, clientAdd, serverAdd })
        {
            Assert.Equal("rivet", span.GetTagItem("rpc.system.name"));
            Assert.Equal(span.DisplayName, span.GetTagItem("rpc.method"));
            Assert.Equal(ActivityStatusCode.Unset, span.Status);
        }
        Assert.Equal("traceFront", serverForward.GetTagItem("rivet.actor.name"));
        Assert.Equal("forward", serverForward.GetTagItem("rivet.action.name"));
        Assert.Equal("action", serverForward.GetTagItem("rivet.invocation.type"));
        Assert.Equal(frontKey, serverForward.GetTagItem("rivet.actor.key"));
        Assert.False(string.IsNullOrEmpty(serverForward.GetTagItem("rivet.actor.id") as string), "the server span names the actor id");
        Assert.Equal("traceBack", serverAdd.GetTagItem("rivet.actor.name"));
        Assert.Equal(backKey, serverAdd.GetTagItem("rivet.actor.key"));
        Assert.Equal("changed", broadcast.GetTagItem("rivet.event.name"));
        Assert.Equal("traceFront", clientForward.GetTagItem("rivet.actor.name"));
        Assert.Equal("forward", clientForward.GetTagItem("rivet.action.name"));
    }
}
