using System.Threading;
using System.Threading.Tasks;

namespace Rivet;

// Explicit "save state now" (RivetKit's c.saveState({ immediate: true })).
public abstract partial class Actor
{
    /// <summary>
    /// Saves the state (and the schedule and cron changes) now, in the middle of an action or hook, and returns once
    /// it is durable. What is saved stays even if the action then throws: the throw goes back to this point, not to
    /// the start of the action. Call it from an action, a lifecycle hook or a received queue message (the actor's turn).
    /// </summary>
    /// <param name="cancellationToken">Stops waiting for the write (the write itself is not undone).</param>
    protected Task SaveStateAsync(CancellationToken cancellationToken = default) =>
        (Instance ?? throw new System.InvalidOperationException($"Actor '{GetType().FullName}' is not running: SaveStateAsync is only available inside actions and hooks."))
            .SaveStateNowAsync(cancellationToken);
}
