namespace Rivet;

/// <summary>
/// The encoding of action calls between a client and an actor (RivetKit's <c>x-rivet-encoding</c>). All three carry
/// the same values; <see cref="Cbor"/> and <see cref="Bare"/> are binary and smaller for bytes and big integers.
/// </summary>
public enum RivetEncoding
{
    /// <summary>JSON bodies (<c>{"args":[…]}</c> / <c>{"output":…}</c>) in RivetKit's JSON-compat conventions.</summary>
    Json,

    /// <summary>The same maps in CBOR.</summary>
    Cbor,

    /// <summary>RivetKit client protocol v4 in BARE (<c>04 00</c> version prefix), holding CBOR values.</summary>
    Bare,
}
