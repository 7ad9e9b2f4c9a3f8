using System;
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
    // The reused source of the action running now: the actor's stop cancels it through one registration per actor
    // (not one per action). A stop that reads it just as the action ends may cancel the next action's source instead,
    // which the stop cancels anyway.
    private CancellationTokenSource? _runningActionSource;
    private bool _stopLinked;

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
        if (!_stopLinked)
        {
            _stopLinked = true;
            _stopping.Token.UnsafeRegister(static state => ((ActorInstance)state!).CancelRunningAction(), this);
        }
        // A full fence between publishing the source and reading the stop: either the stop's callback sees this source,
        // or this sees the stop and cancels at once, as a linked source would.
        Interlocked.Exchange(ref _runningActionSource, source);
        if (_stopping.IsCancellationRequested)
        {
            source.Cancel();
        }
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
        Volatile.Write(ref _runningActionSource, null);
        if (reusable && !source.IsCancellationRequested)
        {
            _idleActionSource = source;
        }
        else if (!source.IsCancellationRequested)
        {
            source.Dispose();
        }
        // A source that fired is left to the GC (it holds no timer or handle): the stop's callback may still be running
        // its cancellation.
    }

    private void CancelRunningAction()
    {
        try
        {
            Volatile.Read(ref _runningActionSource)?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The action ended and its source was disposed meanwhile: nothing left to cancel.
        }
    }
}
