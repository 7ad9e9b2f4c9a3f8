using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Rivet.Client;
using Rivet.Client.Connections;

namespace Rivet.Testing;

/// <summary>
/// The transport of <see cref="RivetTestHost.Client"/>: calls go to whichever host is current, so handles taken
/// before a restart or a crash keep working after it, as a client of a restarted server would.
/// </summary>
internal sealed class HostTransport(RivetTestHost owner) : IActorTransport
{
    private IActorTransport Current => owner.CurrentSystem;

    public Task<ReadOnlyMemory<byte>> InvokeAsync(ActorQuery query, string action, ReadOnlyMemory<byte> arguments, CancellationToken cancellationToken) =>
        Current.InvokeAsync(query, action, arguments, cancellationToken);

    public Task<string> ResolveAsync(ActorQuery query, CancellationToken cancellationToken) => Current.ResolveAsync(query, cancellationToken);

    public Task<string> CreateAsync(string name, ActorKey key, ReadOnlyMemory<byte> input, CancellationToken cancellationToken) =>
        Current.CreateAsync(name, key, input, cancellationToken);

    Task<IActorConnectionChannel> IActorTransport.OpenConnectionAsync(ActorQuery query, ReadOnlyMemory<byte> paramsJson, CancellationToken cancellationToken) =>
        Current.OpenConnectionAsync(query, paramsJson, cancellationToken);

    ILoggerFactory IActorTransport.ConnectionLoggerFactory => Current.ConnectionLoggerFactory;

    TimeSpan IActorTransport.ConnectionCallTimeout => Current.ConnectionCallTimeout;

    public ValueTask DisposeAsync() => default; // the test host owns the systems
}
