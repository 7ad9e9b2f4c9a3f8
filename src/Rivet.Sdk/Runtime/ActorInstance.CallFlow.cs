using System.Collections.Immutable;
using System.Threading;

namespace Rivet.Runtime;

// The async flow an action runs in: the call chain (this actor last) and no idempotency key, both async-local. Setting
// them builds a new ExecutionContext per call; a caller that calls again from the same context (a loop awaiting each
// call, as the typed client's callers do) gets the context built last time instead, which holds exactly the same
// values: contexts are immutable, so "the caller's context plus these two values" is the same every time.
internal sealed partial class ActorInstance
{
    private CallChain.Chain? _aloneChain;
    private ExecutionContext? _flowCaller;
    private ExecutionContext? _flowInAction;

    /// <summary>Sets the action's chain and clears the idempotency key for the rest of this flow. In the turn.</summary>
    private void EnterActionFlow(ImmutableArray<string> callers)
    {
        if (!callers.IsDefaultOrEmpty || ExecutionContext.Capture() is not { } caller)
        {
            // Called by another actor (a new chain each time), or the flow is suppressed (nothing to restore).
            SetActionFlow(callers);
            return;
        }
        if (ReferenceEquals(caller, _flowCaller) && _flowInAction is { } known)
        {
            ExecutionContext.Restore(known);
            return;
        }
        SetActionFlow(callers);
        _flowCaller = caller;
        _flowInAction = ExecutionContext.Capture();
    }

    private void SetActionFlow(ImmutableArray<string> callers)
    {
        // Calls this action makes to other actors carry the chain (this flow only: the caller's is unchanged), and not
        // the key of this call.
        CallChain.Enter(callers, ActorId, _aloneChain ??= CallChain.Alone(ActorId));
        Idempotency.Current = null;
    }
}
