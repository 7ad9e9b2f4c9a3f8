using System;
using System.Threading;
using System.Threading.Tasks;

namespace Rivet.Runtime;

/// <summary>What RivetKit's inspector reads and changes on a running actor (<c>Hosting/Inspector</c>).</summary>
internal sealed partial class ActorInstance
{
    /// <summary>
    /// The token that guards this actor's inspector (RivetKit's KV key <c>[3]</c>), set once the actor's record is
    /// loaded; <see langword="null"/> until then.
    /// </summary>
    public string? InspectorToken { get; private set; }

    /// <summary>Reads or creates the inspector token alongside the actor's record (the reads run together).</summary>
    private static Task<string> LoadInspectorTokenAsync(Storage.IActorKv kv, CancellationToken cancellationToken) =>
        Hosting.Inspector.InspectorTokens.EnsureAsync(kv, cancellationToken);

    /// <summary>Fires when the actor stops: inspector sockets watching it end.</summary>
    public CancellationToken StoppingToken => _stopping.Token;

    /// <summary>The state as of the last completed turn, as Rivet JSON (<c>null</c> for stateless actors).</summary>
    public ReadOnlyMemory<byte> InspectorState => Actor.HasState ? Volatile.Read(ref _savedState) : "null"u8.ToArray();

    /// <summary>
    /// Replaces the whole state with <paramref name="stateJson"/> in the actor's turn and waits until it is durable.
    /// A value that does not fit the state type fails with <c>actor.invalid_request</c> and leaves the state as it was.
    /// </summary>
    public async Task PatchStateAsync(ReadOnlyMemory<byte> stateJson, CancellationToken cancellationToken)
    {
        if (!Actor.HasState)
        {
            throw new RivetException(RivetErrors.ActorGroup, RivetErrors.InvalidRequest, $"Actor '{Definition.Name}' has no state to patch.");
        }
        await EnterTurnAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            try
            {
                Actor.ReadState(Definition, stateJson.Span);
            }
            catch (Exception ex) when (ex is System.Text.Json.JsonException or NotSupportedException or InvalidOperationException)
            {
                RestoreSavedState();
                throw new RivetException(RivetErrors.ActorGroup, RivetErrors.InvalidRequest,
                    $"The patched state does not fit the state of actor '{Definition.Name}': {ex.Message}", innerException: ex) { ActorId = ActorId };
            }
            await PersistIfChangedAsync("inspector.patchState", cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ExitTurn();
        }
    }
}
