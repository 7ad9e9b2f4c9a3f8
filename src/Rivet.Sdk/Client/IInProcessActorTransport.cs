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
}
