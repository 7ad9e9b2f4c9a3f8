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
public sealed partial class ActorHandle
{
    private readonly IActorTransport _transport;

    internal ActorHandle(IActorTransport transport, ActorQuery query, string? idempotencyKey = null)
    {
        _transport = transport;
        Query = query;
        IdempotencyKey = idempotencyKey;
    }

    /// <summary>How this handle finds its actor.</summary>
    public ActorQuery Query { get; }

    /// <summary>
    /// The idempotency key every action call of this handle carries, or <see langword="null"/> (see
    /// <see cref="WithIdempotencyKey"/>).
    /// </summary>
    public string? IdempotencyKey { get; }

    /// <summary>
    /// A handle to the same actor whose action calls carry <paramref name="idempotencyKey"/>: the actor runs the first
    /// call with that key and answers every later call with the same key with the remembered result, without running
    /// the action again (a retry after a lost answer, or a call the gateway delivered twice when a runner died).
    /// The actor remembers its last 64 keys, saved in the same write as its state; a key names one operation, so use a
    /// new key (e.g. a GUID) per logical operation and reuse it only to retry that operation. Generated handles have
    /// the same method. Calls over a connection (<see cref="ConnectAsync(ReadOnlyMemory{byte}, CancellationToken)"/>) do not carry it.
    /// </summary>
    /// <param name="idempotencyKey">Printable ASCII without spaces, at most 128 characters.</param>
    /// <exception cref="ArgumentException">The key is empty, too long or not printable ASCII.</exception>
    public ActorHandle WithIdempotencyKey(string idempotencyKey)
    {
        Idempotency.Validate(idempotencyKey, nameof(idempotencyKey));
        return new ActorHandle(_transport, Query, idempotencyKey);
    }

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
            result = await SendAsync(action, arguments.Complete(), cancellationToken).ConfigureAwait(false);
        }
        return ReadResult(action, result, resultType);
    }

    /// <summary>Calls an action that returns nothing. Used by generated handles.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public async Task InvokeAsync(string action, ActionArguments arguments, CancellationToken cancellationToken)
    {
        using (arguments)
        {
            await SendAsync(action, arguments.Complete(), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Calls an action with raw JSON arguments (a JSON array) and returns its raw JSON result.</summary>
    public Task<ReadOnlyMemory<byte>> InvokeRawAsync(string action, ReadOnlyMemory<byte> argumentsJson, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(action);
        return SendAsync(action, argumentsJson, cancellationToken).AsTask();
    }

    private ValueTask<ReadOnlyMemory<byte>> SendAsync(string action, ReadOnlyMemory<byte> arguments, CancellationToken cancellationToken)
    {
        if (Diagnostics.ClientCallTelemetry.IsEnabled)
        {
            return new(Diagnostics.ClientCallTelemetry.RunAsync(Query, action, arguments, cancellationToken, SendUntracedAsync));
        }
        // The embedded host answers in process: no task per call when the actor answers at once.
        if (IdempotencyKey is null && _transport is IInProcessActorTransport inProcess)
        {
            return inProcess.InvokeInProcessAsync(Query, action, arguments, cancellationToken);
        }
        return new(SendUntracedAsync(action, arguments, cancellationToken));
    }

    private Task<ReadOnlyMemory<byte>> SendUntracedAsync(string action, ReadOnlyMemory<byte> arguments, CancellationToken cancellationToken)
    {
        if (IdempotencyKey is null)
        {
            return _transport.InvokeAsync(Query, action, arguments, cancellationToken);
        }
        return SendWithKeyAsync(action, arguments, cancellationToken);
    }

    private async Task<ReadOnlyMemory<byte>> SendWithKeyAsync(string action, ReadOnlyMemory<byte> arguments, CancellationToken cancellationToken)
    {
        // The key travels with this call's async flow to the transport (a header through the engine, in-process on
        // the embedded host); setting it here does not leak to the caller's flow.
        Idempotency.Current = IdempotencyKey;
        return await _transport.InvokeAsync(Query, action, arguments, cancellationToken).ConfigureAwait(false);
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
        ActionResults.Read(Query, action, result, resultType);

    /// <inheritdoc />
    public override string ToString() => Query.ToString();
}
