using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Rivet.Sdk.Tests.Diagnostics;

/// <summary>
/// OpenTelemetry's SDK wired exactly as an application does it (<c>AddRivetInstrumentation()</c>), exporting to memory.
/// Other tests run in parallel and emit Rivet spans too: a test starts its own root span and reads only its trace.
/// </summary>
internal sealed class TelemetryCapture : IDisposable
{
    private static readonly ActivitySource s_tests = new("Rivet.Sdk.Tests.Telemetry");

    private readonly List<Activity> _spans = [];
    private readonly List<Metric> _metrics = [];
    private readonly TracerProvider _tracing;
    private readonly MeterProvider _meters;

    public TelemetryCapture()
    {
        _tracing = OpenTelemetry.Sdk.CreateTracerProviderBuilder()
            .AddSource(s_tests.Name)
            .AddRivetInstrumentation()
            .AddInMemoryExporter(_spans)
            .Build()!;
        _meters = OpenTelemetry.Sdk.CreateMeterProviderBuilder()
            .AddRivetInstrumentation()
            .AddInMemoryExporter(_metrics)
            .Build()!;
    }

    /// <summary>Starts the test's root span (the caller's application span).</summary>
    public Activity StartRoot(string name) => s_tests.StartActivity(name, ActivityKind.Internal) ?? throw new InvalidOperationException("The test source has no listener.");

    /// <summary>The finished spans of one trace.</summary>
    public List<Activity> Trace(ActivityTraceId traceId)
    {
        lock (_spans)
        {
            return _spans.Where(s => s.TraceId == traceId).ToList();
        }
    }

    /// <summary>Every finished span.</summary>
    public List<Activity> AllSpans()
    {
        lock (_spans)
        {
            return [.. _spans];
        }
    }

    /// <summary>Collects the metrics now and returns the points of <paramref name="name"/> (empty when none).</summary>
    public List<MetricPoint> Points(string name)
    {
        lock (_metrics)
        {
            _metrics.Clear();
            _meters.ForceFlush();
            var points = new List<MetricPoint>();
            foreach (var metric in _metrics.Where(m => m.Name == name))
            {
                foreach (ref readonly var point in metric.GetMetricPoints())
                {
                    points.Add(point);
                }
            }
            return points;
        }
    }

    /// <summary>The names of every instrument that recorded something.</summary>
    public HashSet<string> MetricNames()
    {
        lock (_metrics)
        {
            _metrics.Clear();
            _meters.ForceFlush();
            return _metrics.Select(m => m.Name).ToHashSet();
        }
    }

    public static Dictionary<string, object?> Tags(MetricPoint point)
    {
        var tags = new Dictionary<string, object?>();
        foreach (var tag in point.Tags)
        {
            tags[tag.Key] = tag.Value;
        }
        return tags;
    }

    public void Dispose()
    {
        _tracing.Dispose();
        _meters.Dispose();
    }
}
