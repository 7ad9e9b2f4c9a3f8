namespace Rivet.Diagnostics;

/// <summary>
/// The names under which Rivet.Sdk emits traces and metrics, for wiring them into OpenTelemetry
/// (<c>builder.AddSource(RivetDiagnostics.ActivitySourceName)</c>, <c>builder.AddMeter(RivetDiagnostics.MeterName)</c>,
/// or <c>AddRivetInstrumentation()</c> from the <c>Rivet.Sdk.OpenTelemetry</c> package). Nothing is recorded while
/// nobody listens. The span, attribute and instrument names are listed in <c>docs/observability.md</c>.
/// </summary>
public static class RivetDiagnostics
{
    /// <summary>The name of the SDK's <see cref="System.Diagnostics.ActivitySource"/>: client calls, and the actor side of
    /// actions, connections, event broadcasts and scheduled actions.</summary>
    public const string ActivitySourceName = "Rivet.Sdk";

    /// <summary>The name of the SDK's <see cref="System.Diagnostics.Metrics.Meter"/>: call durations, actor lifecycle,
    /// connections, state saves and engine reconnects.</summary>
    public const string MeterName = "Rivet.Sdk";
}
