using System;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Diagnostics;

namespace Rivet.Runtime;

// Direct calls (Runtime/DirectAction.cs): an in-process caller hands immutable arguments to the action's method and
// gets its result back as is, in one async method, instead of JSON in, dispatch by name, JSON out. Everything else
// an action gets is the same as in InvokeCoreAsync/RunInTurnAsync: the turn, the call flow, the action's token and
// timeout, the rollback and error translation, the connection states and the state save before the answer.
internal sealed partial class ActorInstance
{
    /// <summary>
    /// Whether a direct call of an action of <paramref name="actorType"/> may run here: the actor is of exactly that
    /// class, and nobody listens to the invocation's telemetry (that path keeps its spans, durations and log scope).
    /// </summary>
    public bool AcceptsDirectCalls(Type actorType) => Definition.ActorType == actorType && !InvocationTelemetry.IsEnabled(_logger);

    /// <summary>
    /// Runs <paramref name="direct"/> with <paramref name="arguments"/> in this actor's turn for a caller outside any
    /// actor's action and without an idempotency key, and returns its result once the resulting state is durable.
    /// </summary>
    public async ValueTask<TResult> InvokeDirectAsync<TArgs, TResult>(string action, TArgs arguments, DirectAction<TArgs, TResult> direct, CancellationToken cancellationToken)
    {
        Task durable;
        TResult result;
        await EnterTurnAsync(cancellationToken).ConfigureAwait(false);
        EnterActionFlow(callers: default);
        try
        {
            ThrowIfStopped();
            var actionToken = TakeActionSource(cancellationToken);
            var timeout = Actor.EffectiveActionTimeout;
            var timed = timeout != Timeout.InfiniteTimeSpan;
            if (timed)
            {
                StartActionTimeout(actionToken, timeout);
            }
            try
            {
                result = await direct.Run(Actor, arguments, actionToken.Token).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                RestoreSavedState();
                throw Translate(ex, action, cancellationToken, actionToken.IsCancellationRequested);
            }
            finally
            {
                ReturnActionSource(actionToken, cancellationToken, reusable: !timed || EndActionTimeout());
            }
            if (_hibernatableCount != 0 && ChangedConnectionStates() is { } changedConnections)
            {
                await PersistIfChangedAsync(action, cancellationToken).ConfigureAwait(false);
                await WriteConnectionStatesAsync(changedConnections, action).ConfigureAwait(false);
                durable = Task.CompletedTask;
            }
            else
            {
                durable = StageIfChanged(action, cancellationToken, deferred: Actor.EffectiveStateSaveInterval is not null);
            }
        }
        finally
        {
            ExitTurn();
        }
        if (!durable.IsCompletedSuccessfully)
        {
            await AwaitDurableAsync(durable, action).ConfigureAwait(false);
        }
        return result;
    }
}
