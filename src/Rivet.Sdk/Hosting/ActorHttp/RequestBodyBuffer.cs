using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;

namespace Rivet.Hosting.ActorHttp;

/// <summary>
/// How many request-body bytes a host holds, now and at most for one request: the limit is enforced while bytes
/// arrive, so <see cref="LargestRequest"/> never exceeds the request's limit (<see cref="RequestBodyBuffer.LimitFor"/>)
/// whatever clients send. Read by tests and diagnostics.
/// </summary>
internal sealed class RequestBodyGauge
{
    private long _held;
    private long _largest;
    private long _refused;

    /// <summary>Bytes of request bodies held right now, over all requests.</summary>
    public long Held => Interlocked.Read(ref _held);

    /// <summary>The most bytes one request body ever held.</summary>
    public long LargestRequest => Interlocked.Read(ref _largest);

    /// <summary>How many requests were refused for their body size.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    internal void CountRefused() => Interlocked.Increment(ref _refused);

    internal void Add(long bytes, long requestTotal)
    {
        Interlocked.Add(ref _held, bytes);
        long seen;
        while (requestTotal > (seen = Interlocked.Read(ref _largest)) && Interlocked.CompareExchange(ref _largest, requestTotal, seen) != seen)
        {
        }
    }

    internal void Remove(long bytes) => Interlocked.Add(ref _held, -bytes);
}

/// <summary>
/// The body of one request as its chunks arrive, refused from its declared <c>content-length</c> up front and from its
/// running length as chunks come, so an oversized body is never held; what was held is freed on refusal or release.
/// </summary>
internal sealed class RequestBodyBuffer(RequestBodyGauge gauge, int limit = ActorHttpEndpoint.MaxRequestBody)
{
    private ArrayBufferWriter<byte>? _bytes;
    private int _length;

    /// <summary>The most bytes this body may have.</summary>
    public int Limit => limit;

    /// <summary>
    /// The body limit of a request to <paramref name="path"/>: <see cref="Actor.MaxRawRequestBody"/> for raw requests
    /// (<c>/request/…</c>), <see cref="ActorHttpEndpoint.MaxRequestBody"/> for everything else.
    /// </summary>
    public static int LimitFor(string path) =>
        RawRequestEndpoint.IsRequestRoute(path.Split('?', 2)[0]) ? Actor.MaxRawRequestBody : ActorHttpEndpoint.MaxRequestBody;

    /// <summary>The status of a refused body: 413 for raw requests (an HTTP client's own vocabulary), 400 for actions as in RivetKit.</summary>
    public static int RefusedStatus(string path) => RawRequestEndpoint.IsRequestRoute(path.Split('?', 2)[0]) ? 413 : 400;

    /// <summary>The bytes received so far.</summary>
    public ReadOnlyMemory<byte> Written => _bytes?.WrittenMemory ?? ReadOnlyMemory<byte>.Empty;

    /// <summary>The error for a request whose declared <c>content-length</c> exceeds <paramref name="limit"/>, if it does.</summary>
    public static RivetException? CheckDeclaredLength(IReadOnlyDictionary<string, string> headers, int limit = ActorHttpEndpoint.MaxRequestBody)
    {
        foreach (var (name, value) in headers)
        {
            if (string.Equals(name, "content-length", StringComparison.OrdinalIgnoreCase)
                && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var declared) && declared > limit)
            {
                return TooLong($"Its content-length declares {declared} bytes", limit);
            }
        }
        return null;
    }

    /// <summary>The error for a body of <paramref name="length"/> bytes, if that exceeds <paramref name="limit"/>.</summary>
    public static RivetException? CheckLength(long length, int limit = ActorHttpEndpoint.MaxRequestBody) =>
        length > limit ? TooLong($"Received {length} bytes", limit) : null;

    /// <summary>
    /// Appends a chunk; when the body would exceed the limit, frees everything held and returns the error instead.
    /// </summary>
    public RivetException? Append(ReadOnlySpan<byte> chunk)
    {
        if (CheckLength((long)_length + chunk.Length, limit) is { } error)
        {
            Release();
            return error;
        }
        if (chunk.IsEmpty)
        {
            return null;
        }
        (_bytes ??= new ArrayBufferWriter<byte>(Math.Max(chunk.Length, 4096))).Write(chunk);
        _length += chunk.Length;
        gauge.Add(chunk.Length, _length);
        return null;
    }

    /// <summary>Frees what was held (once the request was served, refused or aborted).</summary>
    public void Release()
    {
        if (_bytes is not null)
        {
            gauge.Remove(_length);
            _bytes = null;
            _length = 0;
        }
    }

    // RivetKit's error and wording for an oversized incoming message.
    private static RivetException TooLong(string received, int limit) => new(
        "message", "incoming_too_long", $"Incoming message too long. {received}, limit is {limit} bytes.");
}
