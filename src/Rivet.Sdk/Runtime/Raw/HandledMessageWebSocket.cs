using System;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;

namespace Rivet.Runtime.Raw;

/// <summary>
/// The actor's end of a hibernatable raw socket: a <see cref="WebSocket"/> that tells its host which client messages
/// the handler is done with, so that only those are acknowledged to the gateway (an acknowledged message is never
/// delivered again after a wake). A message counts as handled once the handler asks for the next one, or once it has
/// held it for <see cref="AckDeadline"/> (as for <c>/connect</c> messages: the gateway closes a socket whose messages
/// stay unacknowledged too long). When the actor sleeps while the handler holds a message whose state change it made
/// durable (<see cref="TurnDurable"/>; its token fired before it asked for the next one), that message counts as handled
/// too (<see cref="HandledThroughDurableTurn"/>): delivered again after the wake, it would be handled twice.
/// </summary>
internal sealed class HandledMessageWebSocket(WebSocket inner, Action<int> handled) : WebSocket
{
    /// <summary>How long the handler may hold a message before it is acknowledged anyway.</summary>
    public static readonly TimeSpan AckDeadline = TimeSpan.FromSeconds(5);

    private readonly Lock _lock = new();
    private int _read;
    private int _handled;
    private int _durable;

    /// <summary>How many client messages the handler has read so far.</summary>
    public int ReadCount => Volatile.Read(ref _read);

    /// <summary>Whether the handler holds a message it is not done with (read, not yet reported handled).</summary>
    public bool HoldsMessage
    {
        get
        {
            lock (_lock)
            {
                return Volatile.Read(ref _read) > _handled;
            }
        }
    }

    public override WebSocketCloseStatus? CloseStatus => inner.CloseStatus;

    public override string? CloseStatusDescription => inner.CloseStatusDescription;

    public override WebSocketState State => inner.State;

    public override string? SubProtocol => inner.SubProtocol;

    public override async Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken)
    {
        Handled(Volatile.Read(ref _read));
        var result = await inner.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
        Read(result.MessageType, result.EndOfMessage);
        return result;
    }

    public override async ValueTask<ValueWebSocketReceiveResult> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        Handled(Volatile.Read(ref _read));
        var result = await inner.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
        Read(result.MessageType, result.EndOfMessage);
        return result;
    }

    public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) =>
        inner.SendAsync(buffer, messageType, endOfMessage, cancellationToken);

    public override ValueTask SendAsync(ReadOnlyMemory<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) =>
        inner.SendAsync(buffer, messageType, endOfMessage, cancellationToken);

    public override ValueTask SendAsync(ReadOnlyMemory<byte> buffer, WebSocketMessageType messageType, WebSocketMessageFlags messageFlags, CancellationToken cancellationToken) =>
        inner.SendAsync(buffer, messageType, messageFlags, cancellationToken);

    public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) =>
        inner.CloseAsync(closeStatus, statusDescription, cancellationToken);

    public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) =>
        inner.CloseOutputAsync(closeStatus, statusDescription, cancellationToken);

    public override void Abort() => inner.Abort();

    public override void Dispose() => inner.Dispose();

    private void Read(WebSocketMessageType type, bool endOfMessage)
    {
        if (type == WebSocketMessageType.Close || !endOfMessage)
        {
            return;
        }
        var ordinal = Interlocked.Increment(ref _read);
        _ = Task.Delay(AckDeadline).ContinueWith(_ => Handled(ordinal), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>A turn the handler ran (<c>RunInTurnAsync</c>) after reading <paramref name="readBefore"/> messages is durable.</summary>
    public void TurnDurable(int readBefore)
    {
        lock (_lock)
        {
            _durable = Math.Max(_durable, readBefore);
        }
    }

    /// <summary>The actor sleeps and the handler ended: the messages whose state change is durable count as handled.</summary>
    public void HandledThroughDurableTurn()
    {
        int durable;
        lock (_lock)
        {
            durable = _durable;
        }
        Handled(durable);
    }

    /// <summary>The handler is done with the first <paramref name="upTo"/> messages: reports the ones not reported yet.</summary>
    private void Handled(int upTo)
    {
        int count;
        lock (_lock)
        {
            count = upTo - _handled;
            if (count <= 0)
            {
                return;
            }
            _handled = upTo;
        }
        handled(count);
    }
}
