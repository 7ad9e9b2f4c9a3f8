using System;
using System.ComponentModel;
using System.Runtime.ExceptionServices;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Runtime;

namespace Rivet.Client;

// Calls of actions whose arguments and result are immutable values (Runtime/DirectAction.cs): on the embedded host,
// without an idempotency key and with nobody listening to client telemetry, the arguments go to the actor's method
// and its result comes back without JSON; every other call is encoded and sent exactly as InvokeAsync sends it.
public sealed partial class ActorHandle
{
    /// <summary>Calls an action whose arguments and result are immutable values. Used by generated handles.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public Task<TResult> InvokeDirectAsync<TArgs, TResult>(string action, TArgs arguments, DirectAction<TArgs, TResult> direct, JsonTypeInfo<TResult> resultType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(direct);
        if (IdempotencyKey is null && _transport is IInProcessActorTransport inProcess && !Diagnostics.ClientCallTelemetry.IsEnabled)
        {
            ValueTask<TResult> pending;
            try
            {
                pending = inProcess.InvokeDirectAsync(Query, action, arguments, direct, resultType, cancellationToken);
            }
            catch (Exception ex)
            {
                return Fail<TResult>(ex);
            }
            return pending.IsCompletedSuccessfully ? Task.FromResult(pending.Result) : pending.AsTask();
        }
        return InvokeAsync(action, direct.EncodeArguments(arguments), resultType, cancellationToken);
    }

    /// <summary>Calls an action whose arguments are immutable values and that returns nothing. Used by generated handles.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public Task InvokeDirectAsync<TArgs>(string action, TArgs arguments, DirectAction<TArgs, ValueTuple> direct, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(direct);
        if (IdempotencyKey is null && _transport is IInProcessActorTransport inProcess && !Diagnostics.ClientCallTelemetry.IsEnabled)
        {
            ValueTask<ValueTuple> pending;
            try
            {
                pending = inProcess.InvokeDirectAsync(Query, action, arguments, direct, resultType: null, cancellationToken);
            }
            catch (Exception ex)
            {
                return Fail<ValueTuple>(ex);
            }
            return pending.IsCompletedSuccessfully ? Task.CompletedTask : pending.AsTask();
        }
        return InvokeAsync(action, direct.EncodeArguments(arguments), cancellationToken);
    }

    /// <summary>A task failed as an async method's would be (an <see cref="OperationCanceledException"/> cancels it).</summary>
    private static async Task<T> Fail<T>(Exception exception)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        ExceptionDispatchInfo.Throw(exception);
        return default;
    }
}
