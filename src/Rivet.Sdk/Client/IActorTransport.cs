using System;
using System.Threading;
using System.Threading.Tasks;

namespace Rivet.Client;

/// <summary>
/// Carries client calls to actors: in-process for the embedded host, through the engine's gateway otherwise.
/// Arguments, inputs and results are UTF-8 JSON in Rivet's conventions (see <see cref="Runtime.RivetJson"/>).
/// </summary>
public interface IActorTransport : IAsyncDisposable
{
    /// <summary>Calls <paramref name="action"/> with the JSON array <paramref name="arguments"/> and returns the JSON result.</summary>
    /// <exception cref="RivetException">The actor or action failed, or could not be reached.</exception>
    Task<ReadOnlyMemory<byte>> InvokeAsync(ActorQuery query, string action, ReadOnlyMemory<byte> arguments, CancellationToken cancellationToken);

    /// <summary>Returns the id of the actor the query designates (creating it for <see cref="ActorQueryKind.GetOrCreate"/>).</summary>
    Task<string> ResolveAsync(ActorQuery query, CancellationToken cancellationToken);

    /// <summary>Creates a new actor; fails with <c>actor.duplicate_key</c> if one with that name and key exists.</summary>
    /// <returns>The new actor's id.</returns>
    Task<string> CreateAsync(string name, ActorKey key, ReadOnlyMemory<byte> input, CancellationToken cancellationToken);
}
