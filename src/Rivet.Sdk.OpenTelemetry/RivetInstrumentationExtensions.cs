using System;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Rivet.Diagnostics;

namespace Rivet;

/// <summary>
/// Wires Rivet.Sdk's <see cref="System.Diagnostics.ActivitySource"/> and <see cref="System.Diagnostics.Metrics.Meter"/>
/// (both named <see cref="RivetDiagnostics.ActivitySourceName"/>) into OpenTelemetry:
/// <code>
/// services.AddOpenTelemetry()
///     .WithTracing(t => t.AddRivetInstrumentation().AddOtlpExporter())
///     .WithMetrics(m => m.AddRivetInstrumentation().AddOtlpExporter());
/// </code>
/// </summary>
public static class RivetInstrumentationExtensions
{
    /// <summary>Exports the spans of Rivet clients and actors: action calls (client and server), connection opens,
    /// event broadcasts and scheduled actions.</summary>
    public static TracerProviderBuilder AddRivetInstrumentation(this TracerProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddSource(RivetDiagnostics.ActivitySourceName);
    }

    /// <summary>Exports Rivet's metrics: <c>rpc.server.call.duration</c>, <c>rpc.client.call.duration</c> and the
    /// <c>rivet.*</c> actor, connection, state-save and engine instruments.</summary>
    public static MeterProviderBuilder AddRivetInstrumentation(this MeterProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddMeter(RivetDiagnostics.MeterName);
    }
}
