using System;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Client;
using Rivet.Runtime;

namespace Rivet.Hosting.Embedded;

// Direct calls (Runtime/DirectAction.cs) on the embedded host: a call from outside any action, without an idempotency
// key, to a running instance of the action's own actor class goes straight to the instance. Any other call (from an
// action: its chain and bound; with a key: the remembered results are JSON; an actor not running yet; telemetry
// listened to) is encoded and served as every other call is, so those paths keep their behaviour exactly.
internal sealed partial class EmbeddedActorSystem
{
    public ValueTask<TResult> InvokeDirectAsync<TArgs, TResult>(ActorQuery query, string action, TArgs arguments, DirectAction<TArgs, TResult> direct,
        JsonTypeInfo<TResult>? resultType, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _disposed) == 0 && query.InProcessInstance is { } last && last.IsServing(this) && last.AcceptsDirectCalls(direct.ActorType)
            && CallChain.Current.IsEmpty && Idempotency.Current is null)
        {
            var pending = last.InvokeDirectAsync(action, arguments, direct, cancellationToken);
            if (pending.IsCompletedSuccessfully)
            {
                return pending;
            }
            return AwaitDirectAsync(pending, last, query, action, arguments, direct, resultType, cancellationToken);
        }
        return InvokeEncodedAsync(query, action, arguments, direct, resultType, cancellationToken);
    }

    private async ValueTask<TResult> AwaitDirectAsync<TArgs, TResult>(ValueTask<TResult> pending, ActorInstance instance, ActorQuery query, string action, TArgs arguments,
        DirectAction<TArgs, TResult> direct, JsonTypeInfo<TResult>? resultType, CancellationToken cancellationToken)
    {
        try
        {
            return await pending.ConfigureAwait(false);
        }
        catch (RivetException error) when (ActorInstance.IsStoppedError(error))
        {
            // The actor went to sleep (or was destroyed) after the check: the encoded path looks it up again, which
            // waits for the stop and wakes a new instance (or reports it gone), as InvokeAsync's retries do.
        }
        catch (RivetException error) when (error.GetType() != typeof(RivetException))
        {
            // As InvokeAsync: callers get a plain RivetException, never the actor's own exception object.
            throw new RivetException(error.Group, error.Code, error.Message, error.Metadata, error.InnerException) { ActorId = instance.ActorId };
        }
        return await InvokeEncodedAsync(query, action, arguments, direct, resultType, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<TResult> InvokeEncodedAsync<TArgs, TResult>(ActorQuery query, string action, TArgs arguments, DirectAction<TArgs, TResult> direct,
        JsonTypeInfo<TResult>? resultType, CancellationToken cancellationToken)
    {
        ReadOnlyMemory<byte> result;
        using (var encoded = direct.EncodeArguments(arguments))
        {
            result = await InvokeInProcessAsync(query, action, encoded.Complete(), cancellationToken).ConfigureAwait(false);
        }
        return resultType is null ? default! : ActionResults.Read(query, action, result, resultType);
    }
}
