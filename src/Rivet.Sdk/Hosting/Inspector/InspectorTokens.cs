using System;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Storage;
using Rivet.Storage.Persistence;

namespace Rivet.Hosting.Inspector;

/// <summary>
/// The token that guards an actor's inspector, kept where RivetKit keeps it: the actor's KV key <c>[3]</c>, as UTF-8
/// text. The Rivet dashboard reads it through the engine's <c>GET /actors/{id}/kv/keys/{base64([3])}</c> and sends it
/// back as <c>Authorization: Bearer</c> (HTTP) or the <c>rivet_inspector_token.{token}</c> sub-protocol (WebSocket).
/// </summary>
internal static class InspectorTokens
{
    private static readonly byte[] s_key = KvKeys.InspectorToken.ToArray();

    /// <summary>Returns the actor's token, creating and saving a new one (32 random bytes, hex) when it has none.</summary>
    public static async Task<string> EnsureAsync(IActorKv kv, CancellationToken cancellationToken)
    {
        var values = await kv.GetAsync([s_key], cancellationToken).ConfigureAwait(false);
        if (values[0] is { Length: > 0 } saved)
        {
            return Encoding.UTF8.GetString(saved);
        }
        // Hex: safe in a header and in a WebSocket sub-protocol name.
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        await kv.PutAsync([new KvEntry(s_key, Encoding.UTF8.GetBytes(token))], cancellationToken).ConfigureAwait(false);
        return token;
    }

    /// <summary>Whether <paramref name="presented"/> is <paramref name="expected"/> (constant time).</summary>
    public static bool Matches(string? expected, string? presented) =>
        expected is not null && presented is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(presented));
}
