using System;

namespace Rivet.Client.Connections;

/// <summary>
/// Delays between reconnection attempts, as RivetKit's client spaces them (p-retry, minTimeout 250 ms, factor 2,
/// maxTimeout 30 s): the first attempt right after the drop, then 250 ms, 500 ms, 1 s … up to 30 s, each scaled by a
/// random factor in [0.5, 1] so that many clients dropped by one engine restart do not reconnect in lockstep.
/// </summary>
internal sealed class ReconnectBackoff
{
    public static readonly TimeSpan First = TimeSpan.FromMilliseconds(250);
    public static readonly TimeSpan Cap = TimeSpan.FromSeconds(30);

    /// <summary>How many delays were handed out.</summary>
    public int Attempts { get; private set; }

    /// <summary>The delay before the next attempt.</summary>
    public TimeSpan Next()
    {
        var attempt = Attempts++;
        if (attempt == 0)
        {
            return TimeSpan.Zero;
        }
        var exponential = First.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 16));
        var capped = Math.Min(exponential, Cap.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.5 + (Random.Shared.NextDouble() * 0.5)));
    }
}
