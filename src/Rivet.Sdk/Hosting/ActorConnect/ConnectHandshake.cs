using System;
using System.Collections.Generic;
using System.Text;
using Rivet.Protocol.Client;

namespace Rivet.Hosting.ActorConnect;

/// <summary>
/// What a RivetKit client says when it opens <c>/connect</c>: the encoding and the connection parameters, as
/// WebSocket subprotocols (<c>rivet_encoding.bare</c>, <c>rivet_conn_params.%7B…%7D</c>) or, from clients that can
/// set headers, as <c>x-rivet-encoding</c> / <c>x-rivet-conn-params</c>.
/// </summary>
internal static class ConnectHandshake
{
    /// <summary>The path of RivetKit's connection endpoint inside an actor.</summary>
    public const string Path = "/connect";

    private const string ProtocolHeader = "sec-websocket-protocol";
    private const string EncodingProtocol = "rivet_encoding.";
    private const string ParamsProtocol = "rivet_conn_params.";

    /// <summary>Whether <paramref name="path"/> (query string allowed) is <c>/connect</c>.</summary>
    public static bool IsConnectPath(string path)
    {
        var end = path.IndexOfAny(['?', '#']);
        var bare = end < 0 ? path.AsSpan() : path.AsSpan(0, end);
        return bare.TrimEnd('/').SequenceEqual(Path);
    }

    /// <summary>Reads the encoding and the parameters (UTF-8 JSON, empty when none) from the upgrade request's headers.</summary>
    /// <exception cref="RivetException"><c>actor.invalid_request</c> for an unknown encoding or unreadable parameters.</exception>
    public static (ClientEncodingKind Encoding, byte[] ParamsJson) Parse(IReadOnlyDictionary<string, string> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        string? encoding = null;
        string? parameters = null;
        if (TryGet(headers, ProtocolHeader, out var protocols))
        {
            foreach (var part in protocols.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (part.StartsWith(EncodingProtocol, StringComparison.Ordinal))
                {
                    encoding = part[EncodingProtocol.Length..];
                }
                else if (part.StartsWith(ParamsProtocol, StringComparison.Ordinal))
                {
                    parameters = Unescape(part[ParamsProtocol.Length..]);
                }
            }
        }
        if (encoding is null && TryGet(headers, ClientEncoding.EncodingHeader, out var encodingHeader))
        {
            encoding = encodingHeader;
        }
        if (parameters is null && TryGet(headers, ClientEncoding.ConnParamsHeader, out var paramsHeader))
        {
            parameters = paramsHeader;
        }
        if (!ClientEncoding.TryParse(encoding, out var kind))
        {
            throw new RivetException(RivetErrors.ActorGroup, RivetErrors.InvalidRequest,
                $"Unknown /connect encoding '{encoding}' (expected json, cbor or bare).");
        }
        return (kind, string.IsNullOrEmpty(parameters) ? [] : Encoding.UTF8.GetBytes(parameters));
    }

    /// <summary>Only the parameters (UTF-8 JSON, empty when none), for raw WebSockets, which carry no encoding of their own.</summary>
    /// <exception cref="RivetException"><c>actor.invalid_request</c> for parameters that are not percent-encoded.</exception>
    public static byte[] ParseParams(IReadOnlyDictionary<string, string> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (TryGet(headers, ProtocolHeader, out var protocols))
        {
            foreach (var part in protocols.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (part.StartsWith(ParamsProtocol, StringComparison.Ordinal))
                {
                    return Encoding.UTF8.GetBytes(Unescape(part[ParamsProtocol.Length..]));
                }
            }
        }
        return TryGet(headers, ClientEncoding.ConnParamsHeader, out var header) && header.Length > 0 ? Encoding.UTF8.GetBytes(header) : [];
    }

    private static string Unescape(string value)
    {
        try
        {
            return Uri.UnescapeDataString(value);
        }
        catch (UriFormatException ex)
        {
            throw new RivetException(RivetErrors.ActorGroup, RivetErrors.InvalidRequest,
                $"The /connect parameters are not percent-encoded JSON: {ex.Message}", innerException: ex);
        }
    }

    private static bool TryGet(IReadOnlyDictionary<string, string> headers, string name, out string value)
    {
        if (headers.TryGetValue(name, out value!))
        {
            return true;
        }
        foreach (var (key, candidate) in headers)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        }
        value = "";
        return false;
    }
}
