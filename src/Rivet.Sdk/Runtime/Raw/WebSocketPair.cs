using System;
using System.IO;
using System.IO.Pipelines;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;

namespace Rivet.Runtime.Raw;

/// <summary>
/// Two connected <see cref="WebSocket"/>s in memory: what one sends, the other receives, with the standard framing,
/// close handshake and states of <see cref="WebSocket.CreateFromStream(Stream, WebSocketCreationOptions)"/>. The
/// actor's raw socket is the server end; the host pumps the client end to its wire (the engine tunnel), or hands it
/// to an in-process client (embedded host). Each direction buffers at most <see cref="MaxBufferedBytes"/>: a reader
/// that stops reading slows the writer down instead of growing memory, and one that reads nothing for
/// <see cref="DefaultStallTimeout"/> while the writer waits fails that write (the writer's socket is aborted with a
/// <see cref="WebSocketException"/> naming the stall, the reader's end sees the connection end), so a client that never
/// reads holds neither memory nor the handler forever.
/// </summary>
internal static class WebSocketPair
{
    /// <summary>Bytes one direction holds before its writer waits.</summary>
    public const long MaxBufferedBytes = 1024 * 1024;

    /// <summary>How long a writer waits for a full direction to drain before the write fails.</summary>
    public static readonly TimeSpan DefaultStallTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Largest message a raw socket end accepts from its peer.</summary>
    public const int MaxMessageSize = 4 * 1024 * 1024;

    public static (WebSocket Server, WebSocket Client) Create(string? subProtocol = null, TimeSpan? stallTimeout = null)
    {
        var options = new PipeOptions(pauseWriterThreshold: MaxBufferedBytes, resumeWriterThreshold: MaxBufferedBytes / 2, useSynchronizationContext: false);
        var toServer = new Pipe(options);
        var toClient = new Pipe(options);
        var stall = stallTimeout ?? DefaultStallTimeout;
        var server = WebSocket.CreateFromStream(new DuplexStream(toServer.Reader, toClient.Writer, stall),
            new WebSocketCreationOptions { IsServer = true, SubProtocol = subProtocol, KeepAliveInterval = TimeSpan.Zero });
        var client = WebSocket.CreateFromStream(new DuplexStream(toClient.Reader, toServer.Writer, stall),
            new WebSocketCreationOptions { IsServer = false, SubProtocol = subProtocol, KeepAliveInterval = TimeSpan.Zero });
        return (server, client);
    }

    /// <summary>Reads one whole message (at most <see cref="MaxMessageSize"/> bytes), or null for a close.</summary>
    public static async Task<(byte[] Data, bool Binary)?> ReceiveMessageAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }
            if (message.Length + result.Count > MaxMessageSize)
            {
                var tooLarge = new RawMessageTooLargeException(message.Length + result.Count);
                throw new WebSocketException(WebSocketError.Faulted, tooLarge.Message, tooLarge);
            }
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return (message.ToArray(), result.MessageType == WebSocketMessageType.Binary);
            }
        }
    }

    /// <summary>
    /// Ends a pair from the host's side with <paramref name="code"/> and <paramref name="reason"/>: the close frame
    /// goes to the other end first (its next receive sees that close, the truth, instead of a broken socket), then
    /// <paramref name="hostEnd"/> is aborted so a peer still sending never waits on it. Bounded; never throws.
    /// </summary>
    public static async Task CloseAndAbortAsync(WebSocket hostEnd, WebSocketCloseStatus code, string reason)
    {
        if (hostEnd.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await hostEnd.CloseOutputAsync(code, reason, bound.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
            {
                // The handler's end is gone or stopped reading: the abort below ends it anyway.
            }
        }
        hostEnd.Abort();
    }

    /// <summary>One end's stream: reads what the peer wrote, writes what the peer reads.</summary>
    private sealed class DuplexStream(PipeReader input, PipeWriter output, TimeSpan stallTimeout) : Stream
    {
        private readonly Stream _read = input.AsStream();
        private readonly Stream _write = output.AsStream();

        public override bool CanRead => true;

        public override bool CanWrite => true;

        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            _read.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            _read.ReadAsync(buffer, offset, count, cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => _read.Read(buffer, offset, count);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var write = _write.WriteAsync(buffer, cancellationToken);
            return write.IsCompletedSuccessfully ? write : BoundedAsync(write.AsTask());
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        /// <summary>A write that waits for the peer to read: fails once the peer read nothing for the stall timeout.</summary>
        private async ValueTask BoundedAsync(Task write)
        {
            try
            {
                await write.WaitAsync(stallTimeout).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Releases the waiting write and ends this direction: the peer's reads see the end of the stream.
                _ = write.ContinueWith(static t => _ = t.Exception, CancellationToken.None,
                    TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                output.CancelPendingFlush();
                output.Complete();
                throw new WebSocketException(WebSocketError.Faulted,
                    $"The other end of the raw WebSocket read nothing for {stallTimeout.TotalSeconds:0.#} s while {MaxBufferedBytes} bytes waited for it.");
            }
        }

        public override void Write(byte[] buffer, int offset, int count) => _write.Write(buffer, offset, count);

        public override Task FlushAsync(CancellationToken cancellationToken) => _write.FlushAsync(cancellationToken);

        public override void Flush() => _write.Flush();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                // The peer reads the end of the stream (its socket sees the connection closed), and stops writing here.
                output.Complete();
                input.Complete();
            }
            base.Dispose(disposing);
        }
    }
}
