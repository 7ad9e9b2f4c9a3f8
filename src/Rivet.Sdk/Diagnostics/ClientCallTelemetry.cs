using System;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Client;

namespace Rivet.Diagnostics;

/// <summary>
/// The caller's side of an action call: a client span (the transport sends its W3C context with the call, so the
/// actor's server span is its child) and <c>rpc.client.call.duration</c>. Used only while someone listens.
/// </summary>
internal static class ClientCallTelemetry
{
    /// <summary>Whether anyone listens to client spans or durations.</summary>
    public static bool IsEnabled => RivetTracing.IsEnabled || RivetMetrics.ClientCallDuration.Enabled;

    /// <summary>Runs <paramref name="send"/> inside the call's span (in this call's async flow only).</summary>
    public static async Task<ReadOnlyMemory<byte>> RunAsync(
        ActorQuery query, string action, ReadOnlyMemory<byte> arguments, CancellationToken cancellationToken,
        Func<string, ReadOnlyMemory<byte>, CancellationToken, Task<ReadOnlyMemory<byte>>> send)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        using var span = RivetTracing.StartClientCall(
            query.Name, query.Kind == ActorQueryKind.ForId ? null : query.Key.Serialize(), query.ActorId, action);
        string? errorType = null;
        try
        {
            return await send(action, arguments, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            errorType = RivetTracing.ErrorType(ex);
            RivetTracing.RecordError(span, ex);
            throw;
        }
        finally
        {
            if (RivetMetrics.ClientCallDuration.Enabled)
            {
                RivetMetrics.RecordCall(RivetMetrics.ClientCallDuration, started, query.Name, action, errorType);
            }
        }
    }
}
