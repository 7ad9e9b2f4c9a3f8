using System;
using System.Threading;
using System.Threading.Tasks;

namespace Rivet;

// Smaller RivetKit hooks: onStateChange, onBeforeActionResponse, canSubscribe.
public abstract partial class Actor
{
    /// <summary>
    /// Called after a turn (action, hook, scheduled or cron run, queue message) that changed the state, once the
    /// change is staged for saving (RivetKit's <c>onStateChange</c>). Runs in the turn; changes it makes to the state
    /// are saved with the next turn. An exception is logged and ignored.
    /// </summary>
    protected virtual void OnStateChange() { }

    /// <summary>
    /// Lets the actor rewrite an action's result before it is sent (RivetKit's <c>onBeforeActionResponse</c>):
    /// <paramref name="outputJson"/> is the result as Rivet JSON; return it unchanged (the default) or other JSON.
    /// The returned JSON is what callers (and an idempotent repeat) receive. An exception fails the action like one
    /// thrown by the action itself.
    /// </summary>
    /// <param name="action">The action's wire name.</param>
    /// <param name="outputJson">The action's result as UTF-8 JSON.</param>
    /// <returns>The JSON to send.</returns>
    protected virtual ReadOnlyMemory<byte> OnBeforeActionResponse(string action, ReadOnlyMemory<byte> outputJson) => outputJson;

    /// <summary>
    /// Whether <paramref name="connection"/> may subscribe to the event <paramref name="eventName"/> (wire name;
    /// RivetKit's per-event <c>canSubscribe</c>). Runs in the actor's turn. False refuses with RivetKit's
    /// <c>auth.forbidden</c>: the connection stays open and is not subscribed. The default allows every event.
    /// </summary>
    /// <param name="connection">The connection asking.</param>
    /// <param name="eventName">The event's wire name.</param>
    /// <param name="cancellationToken">Cancelled when the actor stops.</param>
    /// <returns>Whether the subscription is allowed.</returns>
    protected virtual ValueTask<bool> CanSubscribeAsync(Connection connection, string eventName, CancellationToken cancellationToken) => ValueTask.FromResult(true);

    internal ValueTask<bool> RunCanSubscribeAsync(Connection connection, string eventName, CancellationToken cancellationToken) =>
        CanSubscribeAsync(connection, eventName, cancellationToken);

    internal void RunOnStateChange() => OnStateChange();

    internal ReadOnlyMemory<byte> RunOnBeforeActionResponse(string action, ReadOnlyMemory<byte> outputJson) => OnBeforeActionResponse(action, outputJson);
}
