using System;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Client;
using Rivet.Protocol.Client;
using Rivet.Runtime;

namespace Rivet.Hosting.Embedded;

// Queue sends in-process: straight to the actor instance (woken if it sleeps).
internal sealed partial class EmbeddedActorSystem
{
    async Task<QueueSendResponse> IActorTransport.SendToQueueAsync(ActorQuery query, string queue, ReadOnlyMemory<byte> bodyJson, bool wait, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentException.ThrowIfNullOrEmpty(queue);
        for (var attempt = 1; ; attempt++)
        {
            var instance = await GetInstanceAsync(query, cancellationToken).ConfigureAwait(false);
            try
            {
                var (completed, response) = await instance.SendToQueueAsync(queue, bodyJson, wait, timeout, cancellationToken).ConfigureAwait(false);
                return new QueueSendResponse(completed ? ClientEncoding.QueueCompleted : ClientEncoding.QueueTimedOut, response);
            }
            catch (RivetException error) when (ActorInstance.IsStoppedError(error) && attempt < MaxStoppedRetries)
            {
                // Stopped between lookup and send (nothing was stored): look it up again, which wakes it.
            }
        }
    }
}
