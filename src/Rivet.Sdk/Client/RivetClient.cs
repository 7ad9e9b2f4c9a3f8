using System;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Client;
using Rivet.Client.Engine;

namespace Rivet;

/// <summary>
/// Calls actors. Every <c>[Actor]</c> class adds a typed accessor to it, so
/// <c>await client.Counter.Get("room-1").Increment(5)</c> reads as the actor it calls.
/// </summary>
/// <remarks>Get a client from a host (<see cref="Hosting.RivetHost.Client"/>) or from dependency injection.
/// It is thread-safe; share one per application.</remarks>
public sealed class RivetClient : IAsyncDisposable
{
    private readonly bool _ownsTransport;

    /// <summary>Creates a client over a transport.</summary>
    /// <param name="transport">Carries the calls.</param>
    /// <param name="ownsTransport">Whether disposing the client disposes the transport.</param>
    public RivetClient(IActorTransport transport, bool ownsTransport = true)
    {
        Transport = transport ?? throw new ArgumentNullException(nameof(transport));
        _ownsTransport = ownsTransport;
    }

    /// <summary>
    /// Creates a client that reaches actors through a Rivet Engine (its gateway and REST API), as RivetKit's client
    /// does. Dispose it to close its connections.
    /// </summary>
    /// <param name="options">The engine endpoint, namespace, token, pool and encoding; <see langword="null"/> reads them from
    /// the environment (<see cref="RivetClientOptions.FromEnvironment()"/>).</param>
    public static RivetClient Create(RivetClientOptions? options = null) =>
        new(new EngineActorTransport(options ?? RivetClientOptions.FromEnvironment()), ownsTransport: true);

    /// <summary>The transport carrying this client's calls.</summary>
    public IActorTransport Transport { get; }

    /// <summary>A handle to the actor <paramref name="name"/> with <paramref name="key"/>, which must exist when called.</summary>
    public ActorHandle Get(string name, ActorKey key) => new(Transport, ActorQuery.Get(name, key));

    /// <summary>A handle to the actor <paramref name="name"/> with <paramref name="key"/>, created on first use if missing.</summary>
    public ActorHandle GetOrCreate(string name, ActorKey key) => new(Transport, ActorQuery.GetOrCreate(name, key));

    /// <summary>Like <see cref="GetOrCreate(string, ActorKey)"/>, with a creation input.</summary>
    public ActorHandle GetOrCreate<TInput>(string name, ActorKey key, TInput input, JsonTypeInfo<TInput> inputType) =>
        new(Transport, ActorQuery.GetOrCreate(name, key, SerializeInput(input, inputType)));

    /// <summary>A handle to the actor with id <paramref name="actorId"/>.</summary>
    public ActorHandle GetForId(string name, string actorId) => new(Transport, ActorQuery.ForId(name, actorId));

    /// <summary>Creates the actor <paramref name="name"/> with <paramref name="key"/>; fails if it exists.</summary>
    /// <exception cref="RivetException"><c>actor.duplicate_key</c> when an actor with that key exists.</exception>
    public async Task<ActorHandle> CreateAsync(string name, ActorKey key, CancellationToken cancellationToken = default)
    {
        var id = await Transport.CreateAsync(name, key, default, cancellationToken).ConfigureAwait(false);
        return GetForId(name, id);
    }

    /// <summary>Creates the actor <paramref name="name"/> with <paramref name="key"/> and an input; fails if it exists.</summary>
    public async Task<ActorHandle> CreateAsync<TInput>(string name, ActorKey key, TInput input, JsonTypeInfo<TInput> inputType, CancellationToken cancellationToken = default)
    {
        var id = await Transport.CreateAsync(name, key, SerializeInput(input, inputType), cancellationToken).ConfigureAwait(false);
        return GetForId(name, id);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _ownsTransport ? Transport.DisposeAsync() : default;

    private static byte[] SerializeInput<TInput>(TInput input, JsonTypeInfo<TInput> inputType)
    {
        ArgumentNullException.ThrowIfNull(inputType);
        return JsonSerializer.SerializeToUtf8Bytes(input, inputType);
    }
}
