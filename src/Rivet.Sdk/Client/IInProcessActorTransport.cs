using System;
using System.Threading;
using System.Threading.Tasks;

namespace Rivet.Client;

/// <summary>
/// A transport that serves calls in this process (the embedded host): handles call it through a
/// <see cref="ValueTask{TResult}"/>, so a call whose actor answers at once allocates no task between the handle and
/// the actor. Same contract as <see cref="IActorTransport.InvokeAsync"/>.
/// </summary>
internal interface IInProcessActorTransport
{
    /// <summary>As <see cref="IActorTransport.InvokeAsync"/>.</summary>
    ValueTask<ReadOnlyMemory<byte>> InvokeInProcessAsync(ActorQuery query, string action, ReadOnlyMemory<byte> arguments, CancellationToken cancellationToken);

    /// <summary>Calls an action whose arguments and result are immutable values (<see cref="Runtime.DirectAction{TArgs, TResult}"/>):
    /// directly where it can, else encoded with <see cref="Runtime.DirectAction{TArgs, TResult}.Encode"/> and its result read
    /// with <paramref name="resultType"/> (<see langword="null"/> for an action that returns nothing).</summary>
    ValueTask<TResult> InvokeDirectAsync<TArgs, TResult>(ActorQuery query, string action, TArgs arguments, Runtime.DirectAction<TArgs, TResult> direct,
        System.Text.Json.Serialization.Metadata.JsonTypeInfo<TResult>? resultType, CancellationToken cancellationToken);
}
