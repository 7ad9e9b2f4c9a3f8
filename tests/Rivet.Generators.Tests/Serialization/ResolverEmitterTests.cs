using System.Linq;
using Rivet.Generators.Serialization;
using Rivet.Generators.Tests.Infrastructure;

namespace Rivet.Generators.Tests.Serialization;

/// <summary>Names, determinism and warning-free output of the emitted <c>RivetJsonContext</c>.</summary>
public sealed class ResolverEmitterTests
{
    private const string KitchenSink = """
        namespace Demo
        {
            public enum Color { Red, Green }
            public sealed record Item(string Name, int? Count, Color Color = Color.Green);
            public sealed class CounterState
            {
                public long Count { get; set; }
                public required string Owner { get; init; }
                public string Label { get; init; } = "counter";
                public List<Item> Items { get; } = new();
                public Dictionary<string, Item[]> ByTag { get; set; } = new();
                public IReadOnlySet<Guid>? Seen { get; set; }
                public byte[]? Blob { get; set; }
                [System.Obsolete("old")] public int Legacy { get; set; }
                [JsonInclude] internal int Internal { get; private set; }
                public Box<string?> Boxed { get; set; } = new();
                public Tree Tree { get; set; } = new();
                public List<int[]?> Jagged { get; set; } = new();
            }
            public sealed class Box<T> { public T? Value { get; init; } }
            public sealed class Tree { public List<Tree> Children { get; set; } = new(); }
            public readonly record struct Range(int From, int To) { public string Unit { get; init; } = "m"; }
        #nullable disable
            public sealed class Oblivious { public string Name { get; set; } public List<string> Tags { get; set; } }
        #nullable restore
        }
        namespace Other
        {
            public sealed class Item { public int Id { get; set; } }
        }
        """;

    private static readonly string[] s_kitchenSinkRoots =
    {
        "Demo.CounterState", "Demo.Range", "Demo.Oblivious", "Other.Item", "List<Demo.Item>", "int", "string", "int?", "Dictionary<string, int>", "Demo.Item[]", "Demo.Range?",
    };

    [Theory]
    [InlineData("int", "Int32")]
    [InlineData("string", "String")]
    [InlineData("int?", "NullableInt32")]
    [InlineData("List<string>", "ListOfString")]
    [InlineData("Dictionary<string, int>", "DictionaryOfStringInt32")]
    [InlineData("Demo.Item[]", "ArrayOfDemo_Item")]
    [InlineData("GlobalItem[]", "ArrayOfGlobalItem")]
    [InlineData("byte[]", "ByteArray")]
    [InlineData("Demo.CounterState", "Demo_CounterState")]
    [InlineData("Demo.Outer.Inner", "Demo_Outer_Inner")]
    [InlineData("Demo.Box<List<int>>", "Demo_Box_1OfListOfInt32")]
    [InlineData("IReadOnlyDictionary<string, Demo.Item?>", "IReadOnlyDictionaryOfStringDemo_Item")]
    [InlineData("Demo.my_type", "Demo_my__type")]
    [InlineData("Options", "global_Options")]
    [InlineData("ListOfString", "global_ListOfString")]
    public void Property_names_are_readable_identifiers(string root, string expected)
    {
        var type = SerializationHarness.ParseSupported(
            """
            public sealed class GlobalItem { }
            public sealed class Options { }
            public sealed class ListOfString { }
            namespace Demo
            {
                public sealed class Item { }
                public sealed class CounterState { }
                public sealed class Outer { public sealed class Inner { } }
                public sealed class Box<T> { public T? Value { get; set; } }
                public sealed class my_type { }
            }
            """,
            root);
        Assert.Equal(expected, type.PropertyName);
        Assert.Equal("global::Rivet.Generated.RivetJsonContext." + expected, type.TypeInfoExpression);
    }

    [Fact]
    public void Types_with_the_same_simple_name_in_different_namespaces_get_distinct_properties_and_both_work()
    {
        var result = SerializationHarness.Run(
            "namespace A { public sealed class Item { public int X { get; set; } } } namespace B { public sealed class Item { public string Y { get; set; } = \"\"; } }",
            """
            public static class Test
            {
                public static string Run() =>
                    JsonSerializer.Serialize(new A.Item { X = 1 }, RivetJsonContext.A_Item) + JsonSerializer.Serialize(new B.Item { Y = "y" }, RivetJsonContext.B_Item);
            }
            """,
            "A.Item", "B.Item");
        Assert.Equal("""{"x":1}{"y":"y"}""", result);
    }

    [Fact]
    public void The_emitted_source_is_identical_regardless_of_root_order_and_duplicates()
    {
        var forward = SerializationHarness.Emit(KitchenSink, s_kitchenSinkRoots);
        var backward = SerializationHarness.Emit(KitchenSink, s_kitchenSinkRoots.Reverse().Concat(new[] { "Demo.CounterState", "int" }).ToArray());
        Assert.Equal(forward, backward);
        Assert.StartsWith("// <auto-generated/>\n#nullable enable\n", forward);
    }

    [Fact]
    public void Parsing_the_same_type_twice_gives_equal_values_so_the_incremental_pipeline_can_cache_them()
    {
        var first = SerializationHarness.ParseSupported(KitchenSink, "Demo.CounterState");
        var second = SerializationHarness.ParseSupported(KitchenSink, "Demo.CounterState");
        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
        Assert.Contains(first.Graph, s => s.PropertyName == "Demo_Tree");
    }

    [Fact]
    public void The_emitted_code_compiles_without_warnings_with_nullable_and_documentation_diagnostics_on()
    {
        var compilation = SerializationHarness.Compile(KitchenSink, "public static class Test { }", s_kitchenSinkRoots, documentationDiagnostics: true);
        Assert.Empty(TestCompilation.Problems(compilation));
        Assert.NotNull(TestCompilation.EmitAndLoad(compilation).GetType("Rivet.Generated.RivetJsonContext"));
    }

    [Fact]
    public void The_kitchen_sink_round_trips()
    {
        var result = SerializationHarness.Run(
            KitchenSink,
            """
            public static class Test
            {
                public static string Run()
                {
                    var state = new Demo.CounterState { Owner = "me", Count = 9007199254740993, Seen = new HashSet<Guid> { Guid.Empty }, Blob = new byte[] { 255 }, Boxed = new() { Value = null } };
                    state.Items.Add(new Demo.Item("i", null));
                    state.Tree.Children.Add(new Demo.Tree());
                    var json = JsonSerializer.Serialize(state, RivetJsonContext.Demo_CounterState);
                    var back = JsonSerializer.Deserialize(json, RivetJsonContext.Demo_CounterState)!;
                    var oblivious = JsonSerializer.Deserialize("{\"name\":null,\"tags\":null}", RivetJsonContext.Demo_Oblivious)!;
                    return json + "|" + (JsonSerializer.Serialize(back, RivetJsonContext.Demo_CounterState) == json) + "|" + (oblivious.Name is null);
                }
            }
            """,
            s_kitchenSinkRoots);
        Assert.Equal("""{"count":["$BigInt","9007199254740993"],"owner":"me","label":"counter","items":[{"name":"i","count":null,"color":"Green"}],"byTag":{},"seen":["00000000-0000-0000-0000-000000000000"],"blob":["$Uint8Array","/w=="],"legacy":0,"internal":0,"boxed":{"value":null},"tree":{"children":[{"children":[]}]},"jagged":[]}|True|True""", result);
    }
}
