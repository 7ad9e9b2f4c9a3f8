using System;
using System.Threading;
using System.Threading.Tasks;

namespace Rivet;

// The run loop and queue hooks (RivetKit's run, canPublish, sleepGracePeriod).
public abstract partial class Actor
{
    /// <summary>RivetKit's default <c>sleepGracePeriod</c>: 15 s.</summary>
    public static readonly TimeSpan DefaultSleepGracePeriod = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The actor's background loop (RivetKit's <c>run</c>), started after every wake, once <see cref="OnWakeAsync"/>
    /// ran; it does not hold the actor's turn, so actions run meanwhile. Receive queue messages here (the generated
    /// <c>Queues</c> property, or <see cref="ActorContext.Queues"/>): each received message is handled in the turn,
    /// like an action. <paramref name="cancellationToken"/> fires when the actor stops (sleep, destroy, shutdown);
    /// the stop waits for the loop up to <see cref="SleepGracePeriod"/>. When it returns the actor idles to sleep as
    /// usual; when it throws, the exception is logged, the open message's changes are undone (the message stays
    /// queued) and the actor goes to sleep, as in RivetKit. A waiting loop does not keep the actor awake; a message
    /// sent to a sleeping actor wakes it.
    /// </summary>
    /// <param name="cancellationToken">Fires when the actor stops.</param>
    protected virtual Task RunAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Decides whether a message may be sent to <paramref name="queue"/> (RivetKit's <c>canPublish</c>); false refuses
    /// it with <c>auth.forbidden</c>. Runs outside the actor's turn, before the message is stored: read, don't change, state.
    /// </summary>
    /// <param name="queue">The queue name.</param>
    /// <param name="cancellationToken">The sender's cancellation.</param>
    protected virtual ValueTask<bool> CanPublishAsync(string queue, CancellationToken cancellationToken) => ValueTask.FromResult(true);

    /// <summary>
    /// How long a stop waits for <see cref="RunAsync"/> to return after its token fired (RivetKit's
    /// <c>sleepGracePeriod</c>, 15 s); past it the stop goes on (and waits for a message turn the loop still holds).
    /// </summary>
    protected virtual TimeSpan SleepGracePeriod => DefaultSleepGracePeriod;

    internal Task RunRunAsync(CancellationToken cancellationToken) => RunAsync(cancellationToken);

    internal ValueTask<bool> RunCanPublishAsync(string queue, CancellationToken cancellationToken) => CanPublishAsync(queue, cancellationToken);

    internal TimeSpan EffectiveSleepGracePeriod => SleepGracePeriod;
}
