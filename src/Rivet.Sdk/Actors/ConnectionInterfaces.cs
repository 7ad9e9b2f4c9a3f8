using System.ComponentModel;
using System.Threading;
using System.Threading.Tasks;

namespace Rivet;

/// <summary>
/// Declares the parameters clients pass when they connect to this actor, and checks them. Implement it on an
/// <see cref="ActorAttribute">actor</see>: the generated client then takes a <typeparamref name="TParams"/> in
/// <c>Connect</c>, and the runtime calls <see cref="OnBeforeConnectAsync"/> before accepting each connection.
/// </summary>
/// <typeparam name="TParams">The connection parameters; serializable like action arguments.</typeparam>
public interface IConnectionParams<TParams> : IConnectionParamsBridge
{
    /// <summary>
    /// Runs before a connection is accepted, with the parameters the client sent (<see langword="default"/> when it
    /// sent none). Throw (for example a <see cref="UserError"/>) to reject it: the client gets that error and no
    /// connection exists, so <see cref="Actor.OnConnectAsync"/> does not run.
    /// </summary>
    ValueTask OnBeforeConnectAsync(TParams? parameters, CancellationToken cancellationToken);

    ValueTask IConnectionParamsBridge.BeforeConnectAsync(object? parameters, CancellationToken cancellationToken) =>
        OnBeforeConnectAsync((TParams?)parameters, cancellationToken);
}

/// <summary>
/// Gives every connection of this actor a state of its own, created from the connection's parameters when it is
/// accepted and kept (across sleep, for hibernatable connections) until it closes. Read and change it through
/// <see cref="Connection.GetState{T}"/> and <see cref="Connection.State"/>.
/// </summary>
/// <typeparam name="TParams">The connection parameters (see <see cref="IConnectionParams{TParams}"/>), or <see cref="object"/>.</typeparam>
/// <typeparam name="TConnState">The per-connection state; serializable like action arguments.</typeparam>
public interface IConnectionState<TParams, TConnState> : IConnectionStateBridge
{
    /// <summary>Creates the state of a new connection, after <see cref="IConnectionParams{TParams}.OnBeforeConnectAsync"/> accepted it.</summary>
    TConnState CreateConnectionState(TParams? parameters);

    object? IConnectionStateBridge.CreateConnectionState(object? parameters) => CreateConnectionState((TParams?)parameters);
}

/// <summary>Lets the runtime call <see cref="IConnectionParams{TParams}"/> without knowing its type argument.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IConnectionParamsBridge
{
    /// <summary>Calls the typed hook.</summary>
    ValueTask BeforeConnectAsync(object? parameters, CancellationToken cancellationToken);
}

/// <summary>Lets the runtime call <see cref="IConnectionState{TParams, TConnState}"/> without knowing its type arguments.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IConnectionStateBridge
{
    /// <summary>Calls the typed factory.</summary>
    object? CreateConnectionState(object? parameters);
}
