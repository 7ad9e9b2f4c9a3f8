using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rivet.Sdk.Tests.Interop;

// The "wire" rows of docs/supported-types.md, echoed to RivetKit's TypeScript client over json, cbor and bare
// (tests/interop/ts-client.mjs, asserted by TsClientInteropTests).

public enum ZooLevel { Low, High }

public struct ZooPoint
{
    public int X { get; set; }
    public int Y { get; set; }
}

public sealed record ZooPositional(string Name, int Count);

public sealed record ZooInit
{
    public required string Name { get; init; }
    public int Count { get; init; }
}

public class ZooBase
{
    public int Id { get; set; }
}

public sealed class ZooDerived : ZooBase
{
    public string Extra { get; set; } = "";
}

public sealed class ZooRenamed
{
    [JsonPropertyName("n")] public string Name { get; set; } = "";
    [JsonIgnore] public int Secret { get; set; }
}

[JsonConverter(typeof(ZooCentsConverter))]
public sealed class ZooCents
{
    public long Value { get; set; }
}

public sealed class ZooCentsConverter : JsonConverter<ZooCents>
{
    public override ZooCents Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        new() { Value = long.Parse(reader.GetString()!.Replace(".", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture) };

    public override void Write(Utf8JsonWriter writer, ZooCents value, JsonSerializerOptions options) =>
        writer.WriteStringValue($"{value.Value / 100}.{value.Value % 100:00}");
}

[JsonPolymorphic]
[JsonDerivedType(typeof(ZooCat), "cat")]
public class ZooAnimal
{
    public string Name { get; set; } = "";
}

public sealed class ZooCat : ZooAnimal
{
    public int Lives { get; set; }
}

public sealed record ZooValue(
    bool Flag, int Count, long Big, double Ratio, decimal Price, string Text, Guid Id, DateTimeOffset At, DateOnly Day, TimeOnly Time,
    byte[] Bytes, ZooLevel Level, int? MaybeInt, ZooLevel? MaybeLevel, string? MaybeText, List<int> Items, Dictionary<string, int> ByName,
    Dictionary<int, string> ById, ZooPoint Point, ZooPositional Positional, ZooInit Init, ZooDerived Derived, ZooRenamed Renamed,
    ZooCents Cents, ZooAnimal Animal, ReadOnlyMemory<byte> Memory, ImmutableArray<int> Frozen, List<int?> MaybeItems);

/// <summary>Returns the value it is given, so the client sees what each supported type becomes on the wire.</summary>
[Actor]
public partial class TypeZoo : Actor
{
    [Action] public ZooValue Echo(ZooValue value) => value;

    /// <summary>The value as .NET read it (the derived type, the converter's cents), to show nothing was lost on the way in.</summary>
    [Action] public string Describe(ZooValue value) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{value.Animal.GetType().Name}:{((ZooCat)value.Animal).Lives}|{value.Cents.Value}|{value.Day:yyyy-MM-dd}|{value.Time:HH:mm:ss}|{value.Price}|{value.Level}|{value.ById[7]}|{value.Big}|{value.Memory.Span[^1]}|{value.Frozen[^1]}|{value.MaybeItems[^1]?.ToString() ?? "null"}");
}
