using System;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Protocol.Client;

namespace Rivet.Client.Connections;

/// <summary>
/// One open <c>/connect</c> socket to an actor, message by message: a WebSocket through the engine's gateway, or an
/// in-process pipe on the embedded host. <see cref="ActorConnection"/> opens a new one after every drop.
/// </summary>
/// <remarks>
/// One caller sends and one caller receives (they may run concurrently); <see cref="CloseAsync"/> may be called from
/// anywhere. Implementations never throw from <see cref="ReceiveAsync"/> because the socket dropped: they return
/// <see langword="null"/> and describe why in <see cref="Closure"/>.
/// </remarks>
internal interface IActorConnectionChannel : IAsyncDisposable
{
    /// <summary>Sends one message. Throws (any exception) when the socket is closed or broken: the message was not delivered.</summary>
    ValueTask SendAsync(ConnectToServer message, CancellationToken cancellationToken);

    /// <summary>The next message from the actor, or <see langword="null"/> once the socket closed (see <see cref="Closure"/>).</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    ValueTask<ConnectToClient?> ReceiveAsync(CancellationToken cancellationToken);

    /// <summary>Why the socket closed, once <see cref="ReceiveAsync"/> returned <see langword="null"/>.</summary>
    ConnectionClosure? Closure { get; }

    /// <summary>Starts the closing handshake with <paramref name="code"/> and <paramref name="reason"/>; <see cref="ReceiveAsync"/> then returns <see langword="null"/>.</summary>
    ValueTask CloseAsync(ushort code, string reason, CancellationToken cancellationToken);
}

/// <summary>How a connection socket ended.</summary>
/// <param name="Code">The WebSocket close code, when a close frame arrived (1000 normal, 1011 with <c>group.code</c>).</param>
/// <param name="Reason">The close reason; RivetKit sends <c>group.code</c> (optionally <c>#rayId</c>) for failures.</param>
/// <param name="Error">The transport failure, when the socket broke without a close frame.</param>
internal sealed record ConnectionClosure(ushort? Code, string? Reason, Exception? Error = null)
{
    /// <summary>The <c>group</c> and <c>code</c> of a <c>group.code[#rayId]</c> reason, as RivetKit's client parses it.</summary>
    public bool TryParseReason(out string group, out string code)
    {
        group = code = "";
        if (string.IsNullOrEmpty(Reason))
        {
            return false;
        }
        var main = Reason.Split('#', 2)[0];
        var dot = main.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot == main.Length - 1 || main.Contains(' ', StringComparison.Ordinal))
        {
            return false;
        }
        group = main[..dot];
        code = main[(dot + 1)..];
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => Error is not null
        ? $"the socket broke ({Error.Message})"
        : Code is null ? "the socket closed without a close frame" : $"the socket closed with {Code} '{Reason}'";
}
