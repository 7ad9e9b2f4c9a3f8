using System;
using System.Threading.Tasks;

namespace Rivet;

// Background work (RivetKit's c.keepAwake / c.waitUntil).
public abstract partial class Actor
{
    /// <summary>
    /// Keeps the actor awake while <paramref name="work"/> runs (RivetKit's <c>keepAwake</c>): it does not idle to
    /// sleep, and a stop waits for the work up to <see cref="SleepGracePeriod"/> before <c>OnSleepAsync</c>. The work
    /// runs outside the actor's turn: it must not touch <c>State</c> (call an action of this actor through a handle
    /// for that). An exception is logged.
    /// </summary>
    /// <param name="work">The work; already started.</param>
    /// <returns><paramref name="work"/>, to await if wanted.</returns>
    protected Task KeepAwake(Task work)
    {
        RequireRunning(nameof(KeepAwake)).Track(work, keepAwake: true, "KeepAwake");
        return work;
    }

    /// <summary>
    /// Lets <paramref name="work"/> finish before the actor stops (RivetKit's <c>waitUntil</c>): a stop waits for it
    /// up to <see cref="SleepGracePeriod"/> before <c>OnSleepAsync</c>, but it does not keep the actor from idling to
    /// sleep. The work runs outside the actor's turn; an exception is logged.
    /// </summary>
    /// <param name="work">The work; already started.</param>
    protected void WaitUntil(Task work) => RequireRunning(nameof(WaitUntil)).Track(work, keepAwake: false, "WaitUntil");

    private Runtime.ActorInstance RequireRunning(string member) => Instance ?? throw new InvalidOperationException(
        $"Actor '{GetType().FullName}' is not running: {member} is only available inside actions and hooks.");
}
