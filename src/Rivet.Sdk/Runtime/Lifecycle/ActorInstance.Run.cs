using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace Rivet.Runtime;

// The run loop (RivetKit's run): started once the actor is active, outside the turn; the stop cancels it and waits
// for it up to the actor's SleepGracePeriod. Queue receives made in it hold the turn (ActorInstance.Queues.cs), and
// how the loop ends decides the open receive: returned or cancelled by the stop -> kept / undone as described there.
internal sealed partial class ActorInstance
{
    private Task _runLoop = Task.CompletedTask;

    private void StartRunLoop() => _runLoop = RunLoopAsync();

    private async Task RunLoopAsync()
    {
        // Off the starting thread; the marker below belongs to this flow only.
        await Task.Yield();
        s_runLoopOf.Value = this;
        // The loop may hold the turn (a received message): a call it makes that comes back here fails at once with
        // actor.call_cycle instead of waiting for a turn it holds.
        CallChain.Enter(default, ActorId);
        try
        {
            await Actor.RunRunAsync(_stopping.Token).ConfigureAwait(false);
            await FinishReceiveTurnAsync(commit: true).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Cut short by the stop, like an action: the open message's changes are undone and it stays queued.
            await FinishReceiveTurnAsync(commit: false).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogRunFailed(_logger, ex, Definition.Name, Key, ActorId);
            try
            {
                await FinishReceiveTurnAsync(commit: false).ConfigureAwait(false);
            }
            finally
            {
                RequestSleep();
            }
        }
    }

    /// <summary>After the stop token fired: waits for the run loop up to the grace period.</summary>
    private async Task WaitForRunLoopAsync()
    {
        EndQueueWaits();
        if (_runLoop.IsCompleted)
        {
            return;
        }
        var grace = Actor.EffectiveSleepGracePeriod;
        try
        {
            await _runLoop.WaitAsync(grace < TimeSpan.Zero ? TimeSpan.Zero : grace).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            LogRunOverran(_logger, Definition.Name, Key, ActorId, grace.TotalSeconds);
        }
        catch (Exception)
        {
            // Logged by the loop.
        }
    }

    [LoggerMessage(EventId = 1410, Level = LogLevel.Error, Message = "RunAsync of actor {Name} {Key} ({ActorId}) threw; the open queue message's changes were undone and the actor goes to sleep")]
    private static partial void LogRunFailed(ILogger logger, Exception exception, string name, ActorKey key, string actorId);

    [LoggerMessage(EventId = 1411, Level = LogLevel.Warning, Message = "RunAsync of actor {Name} {Key} ({ActorId}) did not return within its {Seconds} s sleep grace period after the stop; stopping anyway")]
    private static partial void LogRunOverran(ILogger logger, string name, ActorKey key, string actorId, double seconds);
}
