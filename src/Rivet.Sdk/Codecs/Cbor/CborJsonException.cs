using System;

namespace Rivet.Codecs.Cbor;

/// <summary>
/// Thrown by <see cref="CborJson"/> when its input is malformed (truncated or ill-formed CBOR, invalid JSON,
/// invalid UTF-8, nesting deeper than the limit) or has no counterpart in the other format (a CBOR map key that
/// is not a text string, an unsupported simple value, a malformed <c>["$BigInt", …]</c> or
/// <c>["$Uint8Array", …]</c>). It is the only exception the transcoder throws for bad input.
/// </summary>
internal sealed class CborJsonException : FormatException
{
    public CborJsonException(int offset, string message, Exception? innerException = null)
        : base($"{message} (at byte offset {offset})", innerException)
    {
        Offset = offset;
    }

    /// <summary>Byte offset in the input where the offending item starts.</summary>
    public int Offset { get; }
}
