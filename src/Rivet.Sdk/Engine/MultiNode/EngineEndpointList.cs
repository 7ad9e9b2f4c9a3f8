using System;
using System.Collections.Generic;

namespace Rivet.Engine.MultiNode;

/// <summary>
/// Reads a list of engine endpoints: <c>RIVET_ENDPOINT</c> may name several nodes of one engine cluster, separated
/// by commas (<c>http://node-a:6420,http://node-b:6420</c>); the first is the endpoint, the others are failovers.
/// </summary>
internal static class EngineEndpointList
{
    /// <summary>The separator between endpoints in <c>RIVET_ENDPOINT</c>.</summary>
    public const char Separator = ',';

    /// <summary>Splits <paramref name="value"/> at commas into trimmed, non-empty parts (one part when there is no comma).</summary>
    public static string[] Split(string value) =>
        value.Split(Separator, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// Parses the failover endpoints of <paramref name="variable"/> (every part after the first).
    /// </summary>
    /// <exception cref="ArgumentException">A part is not an absolute http(s) URL, or carries user info; the message names the variable and the position, never the value (it may hold a token).</exception>
    public static List<Uri> ParseFailovers(string variable, string[] parts)
    {
        var failovers = new List<Uri>(Math.Max(0, parts.Length - 1));
        for (var i = 1; i < parts.Length; i++)
        {
            failovers.Add(ParseOne(variable, parts[i], i + 1));
        }
        return failovers;
    }

    private static Uri ParseOne(string variable, string part, int position)
    {
        if (!Uri.TryCreate(part, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"Endpoint {position} of {variable} must be an http:// or https:// URL.");
        }
        if (uri.UserInfo.Length > 0)
        {
            throw new ArgumentException($"Endpoint {position} of {variable} must not carry user info: only the first endpoint may hold namespace:token@.");
        }
        return uri;
    }

    /// <summary>
    /// Checks failover endpoints given in options: absolute http(s) URLs without user info, query or fragment.
    /// </summary>
    /// <exception cref="ArgumentException">One is not; the message names the option and the position.</exception>
    public static void Validate(string optionName, IList<Uri>? failovers)
    {
        if (failovers is null)
        {
            return;
        }
        for (var i = 0; i < failovers.Count; i++)
        {
            var uri = failovers[i];
            if (uri is null || !uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                throw new ArgumentException($"{optionName}[{i}] must be an absolute http or https URL, got '{uri}'.", optionName);
            }
            if (uri.UserInfo.Length > 0)
            {
                // Endpoints are logged and named in errors: user info (namespace:token) would leak the token.
                throw new ArgumentException($"{optionName}[{i}] must not carry user info: set the token and namespace in the options.", optionName);
            }
            if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
            {
                throw new ArgumentException($"{optionName}[{i}] '{uri}' cannot have a query string or a fragment.", optionName);
            }
        }
    }
}
