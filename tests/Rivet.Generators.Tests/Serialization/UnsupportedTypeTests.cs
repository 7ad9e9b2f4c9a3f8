namespace Rivet.Generators.Tests.Serialization;

/// <summary>Types that cannot be serialized come back as null with a reason naming the member and the type.</summary>
public sealed class UnsupportedTypeTests
{
    [Fact]
    public void An_object_property_is_rejected_naming_the_property_and_suggesting_a_concrete_type()
    {
        var reason = SerializationHarness.ParseUnsupported(
            "namespace Demo; public sealed class Customer { } public sealed class Order { public string Id { get; set; } = \"\"; public object? Customer { get; set; } }",
            "Demo.Order");
        Assert.Equal("property 'Order.Customer' has type 'object', which cannot be serialized; use a concrete type or JsonElement", reason);
    }

    [Fact]
    public void An_unsupported_type_deep_inside_names_the_innermost_member_and_the_path_to_it()
    {
        var reason = SerializationHarness.ParseUnsupported(
            """
            namespace Demo;
            public sealed class Order { public List<Line> Lines { get; set; } = new(); }
            public sealed class Line { public Product? Product { get; set; } }
            public sealed class Product { public string Name { get; set; } = ""; public Dictionary<string, object> Extra { get; set; } = new(); }
            """,
            "Demo.Order");
        Assert.Equal("property 'Product.Extra' has type 'Dictionary<string, object>' containing 'object', which cannot be serialized; use a concrete type or JsonElement (via Order.Lines -> Line.Product -> Product.Extra)", reason);
    }

    [Fact]
    public void Interfaces_and_abstract_classes_are_rejected_as_polymorphic()
    {
        const string source = """
            namespace Demo;
            public interface IShape { double Area { get; } }
            public abstract class Animal { public string Name { get; set; } = ""; }
            public sealed class Zoo { public Animal? Star { get; set; } }
            """;
        Assert.Equal("'IShape' cannot be serialized; polymorphic types are not supported; use a concrete class, struct or record", SerializationHarness.ParseUnsupported(source, "Demo.IShape"));
        Assert.Equal("property 'Zoo.Star' has type 'Animal', which cannot be serialized; polymorphic types are not supported; use a concrete class, struct or record", SerializationHarness.ParseUnsupported(source, "Demo.Zoo"));
        Assert.Contains("polymorphic types are not supported", SerializationHarness.ParseUnsupported(source, "List<Demo.IShape>"));
    }

    [Fact]
    public void A_private_nested_type_is_rejected_because_generated_code_cannot_reach_it()
    {
        var (type, reason) = SerializationHarness.ParseByMetadataName(
            "namespace Demo; public sealed class Outer { private sealed class Hidden { public int X { get; set; } } protected internal sealed class Family { } }",
            "Demo.Outer+Hidden");
        Assert.Null(type);
        Assert.Equal("'Outer.Hidden' cannot be serialized; it is not accessible from generated code; make it public or internal, and do not nest it in a private or protected type", reason);
    }

    [Theory]
    [InlineData("dynamic", "'dynamic' cannot be serialized; use a concrete type or JsonElement")]
    [InlineData("Action<int>", "'Action<int>' cannot be serialized; delegates are not supported")]
    [InlineData("System.Threading.Tasks.Task<int>", "'Task<int>' cannot be serialized; tasks are not supported; await them and pass the result")]
    [InlineData("Span<int>", "'Span<int>' cannot be serialized; ref structs (such as Span<T>) are not supported; use an array or a list")]
    [InlineData("IntPtr", "'nint' cannot be serialized; native-sized integers are not supported; use int or long")]
    [InlineData("(int, string)", "'(int, string)' cannot be serialized; tuples are not supported; use a record")]
    [InlineData("int[,]", "'int[,]' cannot be serialized; multi-dimensional arrays are not supported; use a jagged array or a list of lists")]
    [InlineData("Dictionary<Demo.Key, int>", "'Dictionary<Key, int>' cannot be serialized; dictionary keys must be string, int, Guid or an enum, not 'Key'")]
    [InlineData("System.IO.Stream", "'Stream' cannot be serialized; polymorphic types are not supported; use a concrete class, struct or record")]
    [InlineData("System.Exception", "'Exception' cannot be serialized; this framework type is not supported; use a primitive, a collection, or a class or record of your own")]
    [InlineData("Demo.MyList", "'MyList' cannot be serialized; custom collection types are not supported; use T[], List<T>, HashSet<T> or Dictionary<string, T> (or their interfaces)")]
    [InlineData("Demo.TwoWays", "'TwoWays' cannot be serialized; it has several public constructors and none without parameters; mark one with [JsonConstructor]")]
    [InlineData("Demo.Mismatch", "'Mismatch' cannot be serialized; constructor parameter 'size' does not match a serialized property or field of the same type by name")]
    [InlineData("Demo.Extra", "property 'Extra.Data' cannot be serialized; [JsonExtensionData] is not supported")]
    public void Types_that_have_no_JSON_form_are_rejected_with_a_reason(string root, string expected)
    {
        const string source = """
            namespace Demo;
            public sealed class Key { }
            public sealed class MyList : List<int> { }
            public sealed class TwoWays { public TwoWays(int a) { A = a; } public TwoWays(string b) { A = b.Length; } public int A { get; } }
            public sealed class Mismatch { public Mismatch(long size) { Size = (int)size; } public int Size { get; } }
            public sealed class Extra { [JsonExtensionData] public Dictionary<string, JsonElement>? Data { get; set; } }
            """;
        Assert.Equal(expected, SerializationHarness.ParseUnsupported(source, root));
    }

    [Fact]
    public void An_open_generic_member_is_rejected()
    {
        var (type, reason) = SerializationHarness.ParseByMetadataName("namespace Demo; public sealed class Box<T> { public T Value { get; set; } = default!; }", "Demo.Box`1");
        Assert.Null(type);
        Assert.Equal("property 'Box<T>.Value' has type 'T', which cannot be serialized; open generic types are not supported; use a concrete type", reason);
    }

    [Fact]
    public void Ignored_and_non_public_members_of_unsupported_types_do_not_make_a_type_unsupported()
    {
        var type = SerializationHarness.ParseSupported(
            """
            namespace Demo;
            public sealed class Session
            {
                public string Id { get; set; } = "";
                [JsonIgnore] public object? Cache { get; set; }
                internal Action? Callback { get; set; }
                private IntPtr _handle;
                public IntPtr Handle() => _handle;
            }
            """,
            "Demo.Session");
        Assert.Equal("Demo_Session", type.PropertyName);
    }
}
