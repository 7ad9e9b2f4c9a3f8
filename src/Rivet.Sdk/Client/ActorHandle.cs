using System;
using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Runtime;

namespace Rivet.Client;

/// <summary>
/// An untyped reference to one actor. Generated typed handles (<c>CounterHandle</c>) wrap it; use it directly to
/// call an actor by name when no typed handle exists.
/// </summary>
public sealed class ActorHandle
{
    private readonly IActorTransport _transport;

    internal ActorHandle(IActorTransport transport, ActorQuery query)
    {
        _transport = transport;
        Query = query;
    }

    /// <summary>How this handle finds its actor.</summary>
    public ActorQuery Query { get; }

    /// <summary>Returns the actor's id, creating the actor first for a get-or-create handle.</summary>
    public Task<string> ResolveAsync(CancellationToken cancellationToken = default) =>
        Query.ActorId is { } id ? Task.FromResult(id) : _transport.ResolveAsync(Query, cancellationToken);

    /// <summary>Calls an action and deserializes its result. Used by generated handles.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public async Task<TResult> InvokeAsync<TResult>(string action, ActionArguments arguments, JsonTypeInfo<TResult> resultType, CancellationToken cancellationToken)
    {
        ReadOnlyMemory<byte> result;
        using (arguments)
        {
            result = await _transport.InvokeAsync(Query, action, arguments.Complete(), cancellationToken).ConfigureAwait(false);
        }
        return ReadResult(action, result, resultType);
    }

    /// <summary>Calls an action that returns nothing. Used by generated handles.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public async Task InvokeAsync(string action, ActionArguments arguments, CancellationToken cancellationToken)
    {
        using (arguments)
        {
            await _transport.InvokeAsync(Query, action, arguments.Complete(), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Calls an action with raw JSON arguments (a JSON array) and returns its raw JSON result.</summary>
    public Task<ReadOnlyMemory<byte>> InvokeRawAsync(string action, ReadOnlyMemory<byte> argumentsJson, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(action);
        return _transport.InvokeAsync(Query, action, argumentsJson, cancellationToken);
    }

    /// <summary>
    /// Opens a realtime connection to the actor (creating it first for a get-or-create handle), with optional
    /// connection parameters as Rivet JSON.
    /// </summary>
    /// <exception cref="RivetException">The actor rejected the connection (its <c>OnBeforeConnectAsync</c> threw) or could not be reached.</exception>
    public Task<ActorConnection> ConnectAsync(ReadOnlyMemory<byte> paramsJson = default, CancellationToken cancellationToken = default) =>
        ActorConnection.OpenAsync(_transport, Query, paramsJson, cancellationToken);

    /// <summary>Opens a realtime connection with typed connection parameters. Used by generated handles.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public Task<ActorConnection> ConnectAsync<TParams>(TParams parameters, JsonTypeInfo<TParams> paramsType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paramsType);
        return ConnectAsync(JsonSerializer.SerializeToUtf8Bytes(parameters, paramsType), cancellationToken);
    }

    private TResult ReadResult<TResult>(string action, ReadOnlyMemory<byte> result, JsonTypeInfo<TResult> resultType) =>
        ActionResults.Read(Query.ToString(), action, result, resultType);

    /// <inheritdoc />
    public override string ToString() => Query.ToString();
}
