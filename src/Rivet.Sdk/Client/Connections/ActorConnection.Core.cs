using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Rivet.Client;

// Implementation of ActorConnection. OWNER: connect-protocol helper (replace these placeholders).
public sealed partial class ActorConnection
{
    /// <summary>Opens a connection over <paramref name="transport"/>.</summary>
    internal static Task<ActorConnection> OpenAsync(IActorTransport transport, ActorQuery query, ReadOnlyMemory<byte> paramsJson, CancellationToken cancellationToken) => throw new NotImplementedException();

    private ActorConnectionStatus StatusCore => throw new NotImplementedException();

    private string? ActorIdCore => throw new NotImplementedException();

    private string? ConnectionIdCore => throw new NotImplementedException();

    private Task<ReadOnlyMemory<byte>> InvokeCoreAsync(string action, ReadOnlyMemory<byte> argumentsJson, CancellationToken cancellationToken) => throw new NotImplementedException();

    private IDisposable SubscribeCore(string eventName, Action<ReadOnlyMemory<byte>> handler) => throw new NotImplementedException();

    private IAsyncEnumerable<ReadOnlyMemory<byte>> EventsCore(string eventName, CancellationToken cancellationToken) => throw new NotImplementedException();

    private ValueTask DisposeCoreAsync() => throw new NotImplementedException();

    private void RaiseStatusChanged(ActorConnectionStatus status) => StatusChanged?.Invoke(status);

    private void RaiseError(RivetException error) => Error?.Invoke(error);
}
