namespace Rivet.Codecs.Bare;

/// <summary>
/// Versions carried in the 2-byte little-endian prefix of "embedded version" payloads (vbare
/// <c>serializeWithEmbeddedVersion</c>). Envoy WebSocket frames carry no prefix at all.
/// </summary>
internal static class BareVersions
{
    /// <summary>Size of the prefix in bytes.</summary>
    public const int PrefixSize = 2;

    /// <summary>RivetKit client protocol v4: <c>04 00</c> before bare-encoded HTTP bodies and WebSocket frames.</summary>
    public const ushort ClientProtocol = 4;

    /// <summary>Envoy protocol v8: <c>08 00</c> before the serverless <c>POST /start</c> body.</summary>
    public const ushort EnvoyProtocol = 8;

    /// <summary>Actor-persist v4: <c>04 00</c> before the persisted actor record (legacy KV key <c>[1]</c>).</summary>
    public const ushort ActorPersist = 4;
}
