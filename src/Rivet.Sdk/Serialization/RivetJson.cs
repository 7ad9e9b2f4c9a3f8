using System;
using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Rivet.Runtime;

/// <summary>
/// The JSON conventions of Rivet values. Property names are camelCase (what TypeScript clients expect), nullable
/// annotations and required constructor parameters are enforced, and the RivetKit "JSON compat" forms are used for
/// values JSON cannot hold: <c>["$BigInt","123"]</c>, <c>["$Uint8Array","base64"]</c>.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class RivetJson
{
    /// <summary>Creates the options a generated resolver's type infos are bound to.</summary>
    public static JsonSerializerOptions CreateOptions(IJsonTypeInfoResolver resolver)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        var options = new JsonSerializerOptions
        {
            TypeInfoResolver = resolver,
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DictionaryKeyPolicy = null,
            PropertyNameCaseInsensitive = true,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            // A second "name" in one object is refused rather than silently winning (no parser-differential tricks).
            AllowDuplicateProperties = false,
            NumberHandling = JsonNumberHandling.Strict,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            WriteIndented = false,
        };
        options.MakeReadOnly();
        return options;
    }
}
