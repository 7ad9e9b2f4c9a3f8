using System.Threading;

namespace Rivet.Runtime;

// The action's token: cancelled when the caller cancels, the action runs past its timeout, or the actor stops. A call
// whose own token cannot cancel (the typed client's default) reuses one source per actor instead of a linked source
// per action: an actor runs one action at a time, and a source that was never cancelled can be reset (TryReset, which
// also drops the registrations the finished action left on it). A source the timeout or the stop may still cancel is
// never reused. As before, an action's token is meant for the action: once it ended, nobody waits on what it cancels.
internal sealed partial class ActorInstance
{
    private CancellationTokenSource? _idleActionSource;
    private CancellationTokenRegistration _actionStopLink;

    /// <summary>The source of the next action's token (in the turn); hand it back with <see cref="ReturnActionSource"/>.</summary>
    private CancellationTokenSource TakeActionSource(CancellationToken callerToken)
    {
        if (callerToken.CanBeCanceled)
        {
            return CancellationTokenSource.CreateLinkedTokenSource(callerToken, _stopping.Token);
        }
        var source = _idleActionSource;
        _idleActionSource = null;
        if (source is null || !source.TryReset())
        {
            source?.Dispose();
            source = new CancellationTokenSource();
        }
        // Cancels at once when the actor is already stopping, as a linked source would.
        _actionStopLink = _stopping.Token.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), source);
        return source;
    }

    /// <summary>The action ended (in the turn). <paramref name="reusable"/>: no timer can still cancel the source.</summary>
    private void ReturnActionSource(CancellationTokenSource source, CancellationToken callerToken, bool reusable)
    {
        if (callerToken.CanBeCanceled)
        {
            source.Dispose();
            return;
        }
        // Waits for a stop callback that is running now; none runs after it.
        _actionStopLink.Dispose();
        _actionStopLink = default;
        if (reusable && !source.IsCancellationRequested)
        {
            _idleActionSource = source;
        }
        else
        {
            source.Dispose();
        }
    }
}
