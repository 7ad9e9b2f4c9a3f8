using System;
using System.Collections;
using System.Linq;
using System.Reflection;
using System.Text.Json.Nodes;
using Rivet.Codecs.Bare;
using Rivet.Protocol.Envoy;
using Rivet.Sdk.Tests.Infrastructure;

namespace Rivet.Sdk.Tests.Protocol;

/// <summary>The generated envoy v8 codec against every envoy frame of the shared vectors (most captured from the engine).</summary>
public sealed class EnvoyProtocolTests
{
    public static TheoryData<string, string, string> Frames()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var row in Vectors.EnvoyFrames())
        {
            data.Add((string)row[0], (string)row[1], (string)row[2]);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Frames))]
    public void Every_vector_frame_decodes_to_the_vector_value_and_encodes_back_to_the_same_bytes(string name, string union, string hex)
    {
        var bytes = Convert.FromHexString(hex);
        object decoded = union switch
        {
            "ToRivet" => ToRivet.Decode(bytes),
            "ToEnvoy" => ToEnvoy.Decode(bytes),
            _ => throw new InvalidOperationException($"Unknown union {union}"),
        };
        var shape = ToVectorShape(decoded, union == "ToRivet" ? typeof(IToRivet) : typeof(IToEnvoy));
        // One file writes a void union member as a bare null; its bytes are still compared below.
        var expected = Vectors.Value(name);
        Assert.True(expected is null || JsonNode.DeepEquals(expected, shape),
            $"{name}: decoded {shape?.ToJsonString()}\nexpected {expected?.ToJsonString()}");

        var encoded = union == "ToRivet" ? ToRivet.Encode((IToRivet)decoded) : ToEnvoy.Encode((IToEnvoy)decoded);
        Assert.Equal(hex, Convert.ToHexString(encoded).ToLowerInvariant());
    }

    [Fact]
    public void The_serverless_start_body_is_a_version_prefix_and_one_start_command()
    {
        var vector = Vectors.Main["serverless"]![0]!;
        var bytes = Convert.FromHexString((string)vector["hex"]!);
        var reader = new BareReader(bytes);
        Assert.Equal(8, reader.ReadVersion());
        var commands = Assert.IsType<ToEnvoyCommands>(ToEnvoy.Read(ref reader));
        reader.EnsureEnd();
        var start = Assert.IsType<CommandStartActor>(Assert.Single(commands.Items).Inner);
        Assert.Equal("counter", start.Config.Name);
        Assert.Equal(0, commands.Items[0].Checkpoint.Index);
        Assert.True(JsonNode.DeepEquals(Vectors.Normalize(vector["value"]), ToVectorShape(commands, typeof(IToEnvoy))));
    }

    [Theory]
    [InlineData("", "truncated")]
    [InlineData("0f", "tag 15")]
    [InlineData("0500", "truncated")]
    [InlineData("0501000000000000000000", "trailing")]
    public void Malformed_frames_fail_with_a_format_error_naming_the_problem(string hex, string mentioned)
    {
        var ex = Assert.ThrowsAny<FormatException>(() => ToEnvoy.Decode(Convert.FromHexString(hex)));
        Assert.Contains(mentioned, ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Renders a decoded message in the TypeScript codec's JSON shape used by the vector files.</summary>
    private static JsonNode? ToVectorShape(object? value, Type declared)
    {
        if (value is null)
        {
            return null;
        }
        var type = value.GetType();
        if (declared.IsInterface && declared.Name.StartsWith('I') && !typeof(IEnumerable).IsAssignableFrom(declared))
        {
            return new JsonObject { ["tag"] = type.Name, ["val"] = Shape(value, type) };
        }
        return Shape(value, declared);
    }

    private static JsonNode? Shape(object value, Type declared)
    {
        var type = value.GetType();
        switch (value)
        {
            case byte[] bytes:
                return new JsonObject { ["hex"] = Convert.ToHexString(bytes).ToLowerInvariant() };
            case long or ulong:
                return new JsonObject { ["bigint"] = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) };
            case string or bool or byte or ushort or uint or int or short or sbyte:
                return JsonValue.Create(value);
            case Enum:
                return value.ToString();
            case IDictionary dictionary:
                var map = new JsonObject();
                foreach (DictionaryEntry entry in dictionary)
                {
                    map[(string)entry.Key] = ToVectorShape(entry.Value, type.GetGenericArguments()[1]);
                }
                return new JsonObject { ["map"] = map };
            case IEnumerable list:
                var elementType = type.IsArray ? type.GetElementType()! : type.GetGenericArguments()[0];
                return new JsonArray(list.Cast<object?>().Select(item => ToVectorShape(item, elementType)).ToArray());
        }
        if (type.GetField("Instance", BindingFlags.Public | BindingFlags.Static) is not null)
        {
            return null; // void member of a union
        }
        if (type.GetProperty("Items") is { } items && type.GetProperties().Length == 1)
        {
            return ToVectorShape(items.GetValue(value), items.PropertyType);
        }
        var obj = new JsonObject();
        foreach (var property in type.GetProperties())
        {
            var name = char.ToLowerInvariant(property.Name[0]) + property.Name[1..];
            obj[name] = ToVectorShape(property.GetValue(value), property.PropertyType);
        }
        return obj;
    }
}

public sealed class GeneratedCodecTests
{
    [Fact]
    public void The_committed_envoy_codec_matches_what_BareGen_makes_of_the_schema()
    {
        var folder = System.IO.Path.Combine(RepoPaths.Root, "src", "Rivet.Sdk", "Protocol", "Envoy");
        var schema = Rivet.Tools.BareGen.SchemaParser.Parse(System.IO.File.ReadAllText(System.IO.Path.Combine(folder, "envoy-v8.bare")));
        var expected = Rivet.Tools.BareGen.Emitter.Emit(schema, "Rivet.Protocol.Envoy", "envoy-v8.bare");
        var committed = System.IO.File.ReadAllText(System.IO.Path.Combine(folder, "EnvoyProtocol.g.cs"));
        Assert.True(expected == committed,
            "EnvoyProtocol.g.cs is stale: run `dotnet run --project tools/BareGen -- src/Rivet.Sdk/Protocol/Envoy/envoy-v8.bare src/Rivet.Sdk/Protocol/Envoy/EnvoyProtocol.g.cs Rivet.Protocol.Envoy`.");
    }
}
