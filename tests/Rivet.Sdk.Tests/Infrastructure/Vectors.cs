using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;

namespace Rivet.Sdk.Tests.Infrastructure;

/// <summary>The byte vectors in ../shared (produced by the official codecs), normalized to one convention:
/// <c>{"bigint": "…"}</c>, <c>{"hex": "…"}</c>, <c>{"map": {…}}</c>.</summary>
internal static class Vectors
{
    private static readonly Lazy<JsonObject> s_main = new(() => Load("rivet-protocol-vectors.json"));
    private static readonly Lazy<JsonObject> s_hx7 = new(() => Load("rivet-protocol-vectors.hx7.json"));

    public static JsonObject Main => s_main.Value;

    public static JsonObject Hx7 => s_hx7.Value;

    /// <summary>Envoy v8 frames of both files: (name, union type, hex, normalized value).</summary>
    public static IEnumerable<object[]> EnvoyFrames()
    {
        foreach (var v in Main["envoy_v8"]!.AsArray())
        {
            yield return [(string)v!["name"]!, (string)v["type"]!, (string)v["hex"]!];
        }
        foreach (var v in Hx7["vectors"]!.AsArray())
        {
            var schema = (string)v!["schema"]!;
            if (schema.StartsWith("envoy-protocol v8 ", StringComparison.Ordinal))
            {
                yield return ["hx7: " + (string)v["name"]!, schema["envoy-protocol v8 ".Length..], (string)v["hex"]!];
            }
        }
    }

    public static JsonNode? Value(string name) =>
        Normalize((Main["envoy_v8"]!.AsArray().FirstOrDefault(v => (string)v!["name"]! == name)
            ?? Hx7["vectors"]!.AsArray().First(v => "hx7: " + (string)v!["name"]! == name))!["value"]);

    public static JsonNode? Normalize(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return null;
            case JsonObject obj when obj.Count == 1 && obj.ContainsKey("$bigint"):
                return new JsonObject { ["bigint"] = (string)obj["$bigint"]! };
            case JsonObject obj when obj.Count == 1 && obj.ContainsKey("$hex"):
                return new JsonObject { ["hex"] = (string)obj["$hex"]! };
            case JsonObject obj when obj.Count == 1 && obj.ContainsKey("$map"):
                var map = new JsonObject();
                foreach (var pair in obj["$map"]!.AsArray())
                {
                    map[(string)pair![0]!] = Normalize(pair[1]);
                }
                return new JsonObject { ["map"] = map };
            case JsonObject obj:
                var copy = new JsonObject();
                foreach (var (key, value) in obj)
                {
                    copy[key] = Normalize(value);
                }
                return copy;
            case JsonArray array:
                return new JsonArray(array.Select(Normalize).ToArray());
            default:
                return node.DeepClone();
        }
    }

    private static JsonObject Load(string file)
    {
        var path = Path.Combine(RepoPaths.Shared, file);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Protocol vectors not found at {path}: the repository expects ../shared beside it.", path);
        }
        return JsonNode.Parse(File.ReadAllText(path))!.AsObject();
    }
}
