using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Rivet.Generators.Tests.Serialization;

namespace Rivet.Generators.Tests.Guarantees;

/// <summary>
/// docs/supported-types.md is true: every row of its table names types checked here, each accepted by the generator
/// (and round-tripped through the generated resolver) or refused with the reason the row gives.
/// </summary>
public sealed class SupportedTypesTableTests
{
    internal const string Declarations = """
        namespace Zoo;
        public enum Level { Low, High }
        public sealed class Plain { public int X { get; set; } }
        public struct Point { public int X { get; set; } public int Y { get; set; } }
        public sealed record Positional(string Name, int Count);
        public record struct PositionalStruct(int A);
        public sealed record InitRequired { public required string Name { get; init; } public int Count { get; init; } }
        public class Base { public int Id { get; set; } }
        public sealed class Derived : Base { public string Extra { get; set; } = ""; }
        public sealed class Box<T> { public T? Value { get; set; } }
        public sealed class Attributed
        {
            [JsonPropertyName("n")] public string Name { get; set; } = "";
            [JsonIgnore] public int Secret { get; set; }
            [JsonInclude] internal int Included { get; set; }
            [JsonRequired] public int Must { get; set; }
            [JsonPropertyOrder(-1)] public int First { get; set; }
        }
        public sealed class WithCtor { [JsonConstructor] public WithCtor(int a) => A = a; public int A { get; } }
        [JsonConverter(typeof(CentsConverter))] public sealed class Cents { public long Value { get; set; } }
        public sealed class CentsConverter : JsonConverter<Cents>
        {
            public override Cents Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => new() { Value = reader.GetInt64() };
            public override void Write(Utf8JsonWriter writer, Cents value, JsonSerializerOptions options) => writer.WriteNumberValue(value.Value);
        }
        [JsonPolymorphic] [JsonDerivedType(typeof(Cat), "cat")] public class Animal { public string Name { get; set; } = ""; }
        public sealed class Cat : Animal { public int Lives { get; set; } }
        public abstract class Shape { }
        public interface IShape { }
        [JsonDerivedType(typeof(Square), "square")] public abstract class PolyShape { }
        public sealed class Square : PolyShape { }
        public sealed class MemberConverter { [JsonConverter(typeof(JsonStringEnumConverter))] public Level L { get; set; } }
        public sealed class Extension { [JsonExtensionData] public Dictionary<string, JsonElement>? Rest { get; set; } }
        public sealed class Numbered { [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)] public int N { get; set; } }
        public sealed class Bag : List<int> { }
        """;

    /// <summary>The types each row (by its first cell) stands for: accepted ones, and refused ones.</summary>
    internal static readonly Dictionary<string, (string[] Supported, string[] Refused)> s_rows = new(StringComparer.Ordinal)
    {
        ["`bool`"] = (["bool"], []),
        ["`int`"] = (["int"], []),
        ["`byte`, `sbyte`, `short`, `ushort`, `uint`"] = (["byte", "sbyte", "short", "ushort", "uint"], []),
        ["`long`"] = (["long"], []),
        ["`ulong`, `Int128`, `UInt128`, `BigInteger`"] = (["ulong", "Int128", "UInt128", "BigInteger"], []),
        ["`double`"] = (["double"], []),
        ["`float`, `Half`"] = (["float", "Half"], []),
        ["`decimal`"] = (["decimal"], []),
        ["`char`, `string`"] = (["char", "string"], []),
        ["`Guid`"] = (["Guid"], []),
        ["`DateTime`, `DateTimeOffset`"] = (["DateTime", "DateTimeOffset"], []),
        ["`DateOnly`"] = (["DateOnly"], []),
        ["`TimeOnly`"] = (["TimeOnly"], []),
        ["`TimeSpan`"] = (["TimeSpan"], []),
        ["`Uri`, `Version`"] = (["Uri", "Version"], []),
        ["`JsonElement`, `JsonNode`, `JsonObject`, `JsonArray`"] = (["JsonElement", "JsonNode", "JsonObject", "JsonArray"], []),
        ["`byte[]`"] = (["byte[]"], []),
        ["`ReadOnlyMemory<byte>`, `Memory<byte>`"] = (["ReadOnlyMemory<byte>", "Memory<byte>"], []),
        ["enum"] = (["Zoo.Level"], []),
        ["`int?`, `Level?` (`Nullable<T>`)"] = (["int?", "Zoo.Level?"], []),
        ["`string?` (nullable reference)"] = (["Zoo.Box<string?>"], []),
        ["`T[]`, `List<T>`, `IList<T>`, `ICollection<T>`, `IEnumerable<T>`, `IReadOnlyList<T>`, `IReadOnlyCollection<T>`"] =
            (["int[]", "List<int>", "IList<int>", "ICollection<int>", "IEnumerable<int>", "IReadOnlyList<int>", "IReadOnlyCollection<int>"], []),
        ["`HashSet<T>`, `ISet<T>`, `IReadOnlySet<T>`"] = (["HashSet<int>", "ISet<int>", "IReadOnlySet<int>"], []),
        ["`ImmutableArray<T>`, `ImmutableList<T>`, `IImmutableList<T>`, `ImmutableHashSet<T>`"] =
            (["ImmutableArray<int>", "ImmutableList<string>", "IImmutableList<int>", "ImmutableHashSet<int>"], []),
        ["`Memory<T>`, `ReadOnlyMemory<T>` of other elements"] = (["Memory<int>", "ReadOnlyMemory<Zoo.Plain>"], []),
        ["nullable value type elements (`List<int?>`, `Level?[]`, `Dictionary<string, int?>`)"] =
            (["List<int?>", "Zoo.Level?[]", "Dictionary<string, int?>"], []),
        ["`Queue<T>`, `Stack<T>`, `LinkedList<T>`, `SortedSet<T>`, `ObservableCollection<T>`, other framework collections"] =
            ([], ["Queue<int>", "Stack<int>", "LinkedList<int>", "SortedSet<int>", "System.Collections.ObjectModel.ObservableCollection<int>"]),
        ["`Dictionary<string, T>`, `IDictionary<string, T>`, `IReadOnlyDictionary<string, T>`"] =
            (["Dictionary<string, int>", "IDictionary<string, int>", "IReadOnlyDictionary<string, int>"], []),
        ["`Dictionary<int, T>`, `Dictionary<Guid, T>`, `Dictionary<Level, T>` (enum keys)"] =
            (["Dictionary<int, string>", "Dictionary<Guid, string>", "Dictionary<Zoo.Level, string>"], []),
        ["`Dictionary<long, T>`, `Dictionary<DateOnly, T>`, other keys"] = ([], ["Dictionary<long, string>", "Dictionary<DateOnly, string>"]),
        ["`ImmutableDictionary<K, V>`, `SortedDictionary<K, V>`, `SortedList<K, V>`, `ConcurrentDictionary<K, V>`"] =
            ([], ["ImmutableDictionary<string, int>", "SortedDictionary<string, int>", "SortedList<string, int>", "System.Collections.Concurrent.ConcurrentDictionary<string, int>"]),
        ["class, struct, record, record struct"] = (["Zoo.Plain", "Zoo.Point", "Zoo.Positional", "Zoo.PositionalStruct"], []),
        ["record with `init` and `required` members"] = (["Zoo.InitRequired"], []),
        ["derived class (inherited members)"] = (["Zoo.Derived"], []),
        ["closed generic class (`Box<int>`)"] = (["Zoo.Box<int>"], []),
        ["`[JsonPropertyName]`, `[JsonIgnore]`, `[JsonInclude]`, `[JsonRequired]`, `[JsonPropertyOrder]`, `[JsonConstructor]`"] = (["Zoo.Attributed", "Zoo.WithCtor"], []),
        ["type-level `[JsonConverter(typeof(X))]` (a `JsonConverter<T>` or a factory)"] = (["Zoo.Cents"], []),
        ["concrete base with `[JsonPolymorphic]`/`[JsonDerivedType]`"] = (["Zoo.Animal"], []),
        ["abstract class or interface as a type (also with `[JsonDerivedType]`)"] = ([], ["Zoo.Shape", "Zoo.IShape", "Zoo.PolyShape"]),
        ["member-level `[JsonConverter]`, `[JsonExtensionData]`, `[JsonNumberHandling]`"] = ([], ["Zoo.MemberConverter", "Zoo.Extension", "Zoo.Numbered"]),
        ["`object`, `dynamic`"] = ([], ["object", "dynamic"]),
        ["tuples (`(int, string)`, `Tuple<…>`), `KeyValuePair<K, V>`, anonymous types"] = ([], ["(int, string)", "Tuple<int, string>", "KeyValuePair<string, int>"]),
        ["`Span<T>` and other ref structs, pointers, delegates, `Task`"] = ([], ["Func<int>", "System.Threading.Tasks.Task<int>"]),
        ["multi-dimensional arrays (`int[,]`)"] = ([], ["int[,]"]),
        ["custom collection classes"] = ([], ["Zoo.Bag"]),
        ["`nint`, `nuint`"] = ([], ["nint", "nuint"]),
    };

    private static IReadOnlyList<(string Type, string Supported)> TableRows()
    {
        var page = File.ReadAllLines(Path.Combine(RepositoryRoot(), "docs", "supported-types.md"));
        return page.Where(l => l.StartsWith("| ", StringComparison.Ordinal) && !l.StartsWith("| Type ", StringComparison.Ordinal))
            .Select(l => l.Split(" | "))
            .Select(cells => (cells[0].Substring(2), cells[1]))
            .ToList();
    }

    [Fact]
    public void Every_row_of_the_docs_table_is_checked_here_and_every_check_has_a_row()
    {
        var rows = TableRows().Select(r => r.Type).ToList();
        Assert.Equal(s_rows.Keys.OrderBy(k => k, StringComparer.Ordinal), rows.OrderBy(k => k, StringComparer.Ordinal));
        foreach (var (type, supported) in TableRows())
        {
            var (accepted, refused) = s_rows[type];
            Assert.True(supported.StartsWith("yes", StringComparison.Ordinal) ? accepted.Length > 0 && refused.Length == 0 : refused.Length > 0 && accepted.Length == 0,
                $"Row '{type}' says '{supported}' but the test checks {accepted.Length} accepted and {refused.Length} refused types");
        }
    }

    [Fact]
    public void Supported_rows_are_accepted_and_refused_rows_get_a_reason()
    {
        var accepted = s_rows.Values.SelectMany(r => r.Supported).ToArray();
        var refused = s_rows.Values.SelectMany(r => r.Refused).ToArray();
        var parsed = SerializationHarness.Parse(Declarations, accepted.Concat(refused).ToArray());
        for (var i = 0; i < accepted.Length; i++)
        {
            Assert.True(parsed[i].Type is not null, $"'{accepted[i]}' should be supported but: {parsed[i].Reason}");
        }
        for (var i = 0; i < refused.Length; i++)
        {
            var (type, reason) = parsed[accepted.Length + i];
            Assert.True(type is null, $"'{refused[i]}' should be refused");
            Assert.False(string.IsNullOrWhiteSpace(reason));
        }
    }

    [Fact]
    public void Supported_user_types_round_trip_through_the_generated_resolver()
    {
        var result = SerializationHarness.Run(Declarations,
            """
            public static class Test
            {
                public static string Run()
                {
                    var init = JsonSerializer.Serialize(new Zoo.InitRequired { Name = "n", Count = 2 }, RivetJsonContext.Zoo_InitRequired);
                    var derived = JsonSerializer.Serialize(new Zoo.Derived { Id = 1, Extra = "e" }, RivetJsonContext.Zoo_Derived);
                    var attributed = JsonSerializer.Serialize(new Zoo.Attributed { Name = "a", Secret = 9, Must = 3, First = 1 }, RivetJsonContext.Zoo_Attributed);
                    var cents = JsonSerializer.Serialize(new Zoo.Cents { Value = 250 }, RivetJsonContext.Zoo_Cents);
                    var animal = JsonSerializer.Serialize<Zoo.Animal>(new Zoo.Cat { Name = "c", Lives = 9 }, RivetJsonContext.Zoo_Animal);
                    var back = JsonSerializer.Deserialize(animal, RivetJsonContext.Zoo_Animal)!;
                    var keys = JsonSerializer.Serialize(new Dictionary<int, string> { [1] = "one" }, RivetJsonContext.DictionaryOfInt32String);
                    return string.Join("|", init, derived, attributed, cents, animal, back.GetType().Name, keys);
                }
            }
            """,
            "Zoo.InitRequired", "Zoo.Derived", "Zoo.Attributed", "Zoo.Cents", "Zoo.Animal", "Dictionary<int, string>");
        Assert.Equal("""{"name":"n","count":2}|{"id":1,"extra":"e"}|{"first":1,"n":"a","included":0,"must":3}|250|{"$type":"cat","name":"c","lives":9}|Cat|{"1":"one"}""", result);
    }

    [Fact]
    public void Memory_immutable_collections_and_nullable_elements_round_trip_through_the_generated_resolver()
    {
        var result = SerializationHarness.Run(Declarations,
            """
            public static class Test
            {
                public static string Run()
                {
                    var bytes = JsonSerializer.Serialize(new ReadOnlyMemory<byte>([0, 1, 255]), RivetJsonContext.ReadOnlyMemoryOfByte);
                    var bytesBack = JsonSerializer.Deserialize(bytes, RivetJsonContext.ReadOnlyMemoryOfByte);
                    var plain = JsonSerializer.Deserialize("\"AAH/\"", RivetJsonContext.MemoryOfByte);
                    var empty = JsonSerializer.Deserialize("null", RivetJsonContext.ReadOnlyMemoryOfByte);
                    var ints = JsonSerializer.Serialize(new Memory<int>([1, 2]), RivetJsonContext.MemoryOfInt32);
                    var frozen = JsonSerializer.Deserialize("[3,4]", RivetJsonContext.ImmutableArrayOfInt32);
                    var list = JsonSerializer.Deserialize("[\"a\"]", RivetJsonContext.ImmutableListOfString)!;
                    var maybe = JsonSerializer.Serialize(JsonSerializer.Deserialize("[1,null]", RivetJsonContext.ListOfNullableInt32)!, RivetJsonContext.ListOfNullableInt32);
                    return string.Join("|", bytes, string.Join(",", bytesBack.ToArray()), string.Join(",", plain.ToArray()), empty.Length,
                        ints, JsonSerializer.Serialize(frozen, RivetJsonContext.ImmutableArrayOfInt32), list[0], maybe);
                }
            }
            """,
            "ReadOnlyMemory<byte>", "Memory<byte>", "Memory<int>", "ImmutableArray<int>", "ImmutableList<string>", "List<int?>");
        Assert.Equal("""["$Uint8Array","AAH/"]|0,1,255|0,1,255|0|[1,2]|[3,4]|a|[1,null]""", result);
    }

    [Theory]
    [InlineData("Queue<int>", "this collection type is not supported; use T[], List<T>, ImmutableArray<T>")]
    [InlineData("SortedDictionary<string, int>", "use Dictionary<K, V> or IReadOnlyDictionary<K, V>")]
    [InlineData("System.Collections.Concurrent.ConcurrentDictionary<string, int>", "copy it into a Dictionary<K, V>")]
    [InlineData("KeyValuePair<string, int>", "use a record with the two members")]
    [InlineData("Tuple<int, string>", "tuples are not supported; use a record")]
    public void Refused_framework_types_say_what_to_use_instead(string type, string expected)
    {
        var reason = SerializationHarness.ParseUnsupported(Declarations, type);
        Assert.Contains(expected, reason, StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Rivet.Sdk.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Rivet.Sdk.sln not found above " + AppContext.BaseDirectory);
    }
}
