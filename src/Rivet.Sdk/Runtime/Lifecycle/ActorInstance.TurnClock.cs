using System;

namespace Rivet.Runtime;

// The clock of a turn's bookkeeping: every call reads it twice (its timeout's deadline, the idle stamp when the turn
// ends). On the system clock that is the coarse tick count (milliseconds, one memory read where the precise timestamp
// reads the hardware counter: ~15 % of an embedded call's time on a VM), plenty for timeouts of seconds; the timers
// that check these stamps wait again for whatever is left. A host's own TimeProvider (tests' fake time) is read as is.
internal sealed partial class ActorInstance
{
    private bool CoarseTurnClock => ReferenceEquals(Time, TimeProvider.System);

    /// <summary>Now, on the turn clock.</summary>
    private long TurnClockNow() => CoarseTurnClock ? Environment.TickCount64 : Time.GetTimestamp();

    /// <summary>A duration in turn-clock units.</summary>
    private long TurnClockTicks(TimeSpan duration) =>
        CoarseTurnClock ? (long)duration.TotalMilliseconds : (long)(duration.TotalSeconds * Time.TimestampFrequency);

    /// <summary>A number of turn-clock units as a duration.</summary>
    private TimeSpan TurnClockDuration(long ticks) =>
        CoarseTurnClock ? TimeSpan.FromMilliseconds(ticks) : TimeSpan.FromSeconds((double)ticks / Time.TimestampFrequency);
}
