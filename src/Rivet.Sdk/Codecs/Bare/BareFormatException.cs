using System;

namespace Rivet.Codecs.Bare;

/// <summary>
/// Thrown when bytes are not a valid BARE encoding of the expected type: truncated input, trailing bytes after a
/// top-level message, a non-canonical or overflowing varint, a bool other than 0/1, invalid UTF-8, an unknown
/// union tag or an unsupported version prefix. <see cref="Offset"/> is where the problem starts.
/// </summary>
internal sealed class BareFormatException : FormatException
{
    public BareFormatException(int offset, string message)
        : base($"Invalid BARE data at offset {offset}: {message}")
    {
        Offset = offset;
    }

    /// <summary>Byte offset in the decoded buffer where the invalid value starts.</summary>
    public int Offset { get; }
}
