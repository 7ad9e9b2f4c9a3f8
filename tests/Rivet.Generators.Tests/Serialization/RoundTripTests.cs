namespace Rivet.Generators.Tests.Serialization;

/// <summary>Values go through the generated resolver and back; the JSON on the wire is asserted exactly.</summary>
public sealed class RoundTripTests
{
    private static string Run(string source, string body, params string[] roots) =>
        SerializationHarness.Run(source, "public static class Test\n{\n    public static string Run()\n    {\n" + body + "\n    }\n}\n", roots);

    [Fact]
    public void Numbers_booleans_and_chars_round_trip_with_long_and_ulong_as_plain_numbers()
    {
        var result = Run(
            """
            namespace Demo;
            public sealed class Numbers
            {
                public bool Flag { get; set; }
                public byte U8 { get; set; }
                public sbyte I8 { get; set; }
                public short I16 { get; set; }
                public ushort U16 { get; set; }
                public int I32 { get; set; }
                public uint U32 { get; set; }
                public long I64 { get; set; }
                public ulong U64 { get; set; }
                public float F32 { get; set; }
                public double F64 { get; set; }
                public decimal Money { get; set; }
                public char Letter { get; set; }
            }
            """,
            """
                    var value = new Demo.Numbers { Flag = true, U8 = 255, I8 = -128, I16 = -300, U16 = 65535, I32 = -70000, U32 = 4000000000, I64 = 9007199254740993, U64 = 18446744073709551615, F32 = 1.5f, F64 = 2.25, Money = 3.75m, Letter = 'c' };
                    var json = JsonSerializer.Serialize(value, RivetJsonContext.Demo_Numbers);
                    var back = JsonSerializer.Deserialize(json, RivetJsonContext.Demo_Numbers)!;
                    return json + "|" + (JsonSerializer.Serialize(back, RivetJsonContext.Demo_Numbers) == json);
            """,
            "Demo.Numbers");
        Assert.Equal("""{"flag":true,"u8":255,"i8":-128,"i16":-300,"u16":65535,"i32":-70000,"u32":4000000000,"i64":["$BigInt","9007199254740993"],"u64":["$BigInt","18446744073709551615"],"f32":1.5,"f64":2.25,"money":3.75,"letter":"c"}|True""", result);
    }

    [Fact]
    public void Strings_guids_dates_times_uris_and_versions_round_trip()
    {
        var result = Run(
            """
            namespace Demo;
            public sealed class Texts
            {
                public string Name { get; set; } = "";
                public Guid Id { get; set; }
                public DateTime At { get; set; }
                public DateTimeOffset AtOffset { get; set; }
                public DateOnly Day { get; set; }
                public TimeOnly Time { get; set; }
                public TimeSpan Span { get; set; }
                public Uri Link { get; set; } = new("https://rivet.dev");
                public Version Release { get; set; } = new(1, 0);
            }
            """,
            """
                    var value = new Demo.Texts
                    {
                        Name = "é\"x", Id = new Guid("0f8fad5b-d9cb-469f-a165-70867728950e"), At = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc),
                        AtOffset = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)), Day = new DateOnly(2024, 1, 2), Time = new TimeOnly(3, 4, 5),
                        Span = new TimeSpan(1, 2, 3), Link = new Uri("https://rivet.dev/docs?a=1"), Release = new Version(1, 2, 3),
                    };
                    var json = JsonSerializer.Serialize(value, RivetJsonContext.Demo_Texts);
                    var back = JsonSerializer.Deserialize(json, RivetJsonContext.Demo_Texts)!;
                    return json + "|" + back.Name + "|" + back.Id + "|" + back.At.Kind + "|" + back.AtOffset.Offset + "|" + back.Link + "|" + back.Release;
            """,
            "Demo.Texts");
        Assert.Equal("""{"name":"\u00E9\u0022x","id":"0f8fad5b-d9cb-469f-a165-70867728950e","at":"2024-01-02T03:04:05Z","atOffset":"2024-01-02T03:04:05+02:00","day":"2024-01-02","time":"03:04:05","span":"01:02:03","link":"https://rivet.dev/docs?a=1","release":"1.2.3"}|é"x|0f8fad5b-d9cb-469f-a165-70867728950e|Utc|02:00:00|https://rivet.dev/docs?a=1|1.2.3""", result);
    }

    [Fact]
    public void Byte_arrays_and_big_integers_use_the_RivetKit_json_compat_forms()
    {
        var result = Run(
            """
            namespace Demo;
            public sealed class Blobs
            {
                public byte[] Data { get; set; } = [];
                public BigInteger Big { get; set; }
                public Int128 Wide { get; set; }
                public UInt128 WideUnsigned { get; set; }
            }
            """,
            """
                    var value = new Demo.Blobs { Data = new byte[] { 1, 2, 3 }, Big = BigInteger.Parse("123456789012345678901234567890"), Wide = Int128.MinValue, WideUnsigned = UInt128.MaxValue };
                    var json = JsonSerializer.Serialize(value, RivetJsonContext.Demo_Blobs);
                    var back = JsonSerializer.Deserialize(json, RivetJsonContext.Demo_Blobs)!;
                    var plain = JsonSerializer.Deserialize("{\"data\":\"BAU=\",\"big\":42,\"wide\":1,\"wideUnsigned\":2}", RivetJsonContext.Demo_Blobs)!;
                    return json + "|" + string.Join(",", back.Data) + "|" + back.Big + "|" + back.Wide + "|" + back.WideUnsigned + "|" + string.Join(",", plain.Data) + "|" + plain.Big;
            """,
            "Demo.Blobs");
        Assert.Equal("""{"data":["$Uint8Array","AQID"],"big":["$BigInt","123456789012345678901234567890"],"wide":["$BigInt","-170141183460469231731687303715884105728"],"wideUnsigned":["$BigInt","340282366920938463463374607431768211455"]}|1,2,3|123456789012345678901234567890|-170141183460469231731687303715884105728|340282366920938463463374607431768211455|4,5|42""", result);
    }

    [Fact]
    public void Long_and_ulong_accept_the_BigInt_form_on_input()
    {
        var result = Run(
            "namespace Demo; public sealed class Counter { public long Value { get; set; } public ulong Unsigned { get; set; } public long? Maybe { get; set; } }",
            """
                    var back = JsonSerializer.Deserialize("{\"value\":[\"$BigInt\",\"9007199254740993\"],\"unsigned\":[\"$BigInt\",\"18446744073709551615\"],\"maybe\":[\"$BigInt\",\"-5\"]}", RivetJsonContext.Demo_Counter)!;
                    var root = JsonSerializer.Deserialize("[\"$BigInt\",\"7\"]", RivetJsonContext.Int64);
                    return back.Value + "|" + back.Unsigned + "|" + back.Maybe + "|" + root + "|" + JsonSerializer.Serialize(back, RivetJsonContext.Demo_Counter);
            """,
            "Demo.Counter", "long");
        Assert.Equal("""9007199254740993|18446744073709551615|-5|7|{"value":["$BigInt","9007199254740993"],"unsigned":["$BigInt","18446744073709551615"],"maybe":-5}""", result);
    }

    [Fact]
    public void Json_element_and_json_nodes_pass_through_unchanged()
    {
        var result = Run(
            """
            namespace Demo;
            public sealed class Raw
            {
                public JsonElement Element { get; set; }
                public JsonNode? Node { get; set; }
                public JsonObject? Object { get; set; }
                public JsonArray? Array { get; set; }
            }
            """,
            """
                    var json = "{\"element\":{\"a\":[1,\"x\",null]},\"node\":3,\"object\":{\"b\":true},\"array\":[1,2]}";
                    var back = JsonSerializer.Deserialize(json, RivetJsonContext.Demo_Raw)!;
                    return JsonSerializer.Serialize(back, RivetJsonContext.Demo_Raw) + "|" + back.Element.GetProperty("a").GetArrayLength() + "|" + back.Object!["b"];
            """,
            "Demo.Raw");
        Assert.Equal("""{"element":{"a":[1,"x",null]},"node":3,"object":{"b":true},"array":[1,2]}|3|true""", result);
    }

    [Fact]
    public void Nullable_value_types_write_null_and_read_values_and_null()
    {
        var result = Run(
            """
            namespace Demo;
            public enum Color { Red, Green }
            public struct Point { public int X { get; set; } public int Y { get; set; } }
            public sealed class Maybe
            {
                public int? Count { get; set; }
                public DateTime? When { get; set; }
                public Color? Tint { get; set; }
                public Point? Where { get; set; }
            }
            """,
            """
                    var empty = JsonSerializer.Serialize(new Demo.Maybe(), RivetJsonContext.Demo_Maybe);
                    var full = JsonSerializer.Serialize(new Demo.Maybe { Count = 3, When = new DateTime(2024, 5, 6), Tint = Demo.Color.Green, Where = new Demo.Point { X = 1, Y = 2 } }, RivetJsonContext.Demo_Maybe);
                    var back = JsonSerializer.Deserialize(full, RivetJsonContext.Demo_Maybe)!;
                    var nulls = JsonSerializer.Deserialize("{\"count\":null,\"when\":null,\"tint\":null,\"where\":null}", RivetJsonContext.Demo_Maybe)!;
                    return empty + "|" + full + "|" + back.Count + back.Tint + back.Where!.Value.Y + "|" + (nulls.Count is null && nulls.Where is null) + "|" + JsonSerializer.Serialize(null, RivetJsonContext.NullableInt32);
            """,
            "Demo.Maybe", "int?");
        Assert.Equal("""{"count":null,"when":null,"tint":null,"where":null}|{"count":3,"when":"2024-05-06T00:00:00","tint":"Green","where":{"x":1,"y":2}}|3Green2|True|null""", result);
    }

    [Fact]
    public void Null_for_a_non_nullable_reference_property_is_rejected_on_read_and_allowed_for_a_nullable_one()
    {
        var result = Run(
            """
            namespace Demo;
            public sealed class Person
            {
                public string Name { get; set; } = "";
                public string? Nickname { get; set; }
                public List<string> Tags { get; set; } = new();
            }
            public sealed record Pet(string Name, string? Owner);
            """,
            """
                    var ok = JsonSerializer.Deserialize("{\"name\":\"a\",\"nickname\":null,\"tags\":[]}", RivetJsonContext.Demo_Person)!;
                    var okPet = JsonSerializer.Deserialize("{\"name\":\"rex\",\"owner\":null}", RivetJsonContext.Demo_Pet)!;
                    string Fails(string json, Func<string, object?> read)
                    {
                        try { read(json); return "accepted"; }
                        catch (JsonException) { return "rejected"; }
                    }
                    return (ok.Nickname is null) + "|" + (okPet.Owner is null)
                        + "|" + Fails("{\"name\":null}", j => JsonSerializer.Deserialize(j, RivetJsonContext.Demo_Person))
                        + "|" + Fails("{\"name\":\"a\",\"tags\":null}", j => JsonSerializer.Deserialize(j, RivetJsonContext.Demo_Person))
                        + "|" + Fails("{\"name\":null,\"owner\":null}", j => JsonSerializer.Deserialize(j, RivetJsonContext.Demo_Pet));
            """,
            "Demo.Person", "Demo.Pet");
        Assert.Equal("True|True|rejected|rejected|rejected", result);
    }

    [Fact]
    public void Enums_are_written_as_declared_member_names_and_read_from_names_or_numbers()
    {
        var result = Run(
            """
            namespace Demo;
            public enum OrderStatus { Pending, InTransit, Delivered = 10 }
            [Flags] public enum Access { None = 0, Read = 1, Write = 2 }
            public sealed class Shipment { public OrderStatus Status { get; set; } public Access Rights { get; set; } public List<OrderStatus> History { get; set; } = new(); }
            """,
            """
                    var json = JsonSerializer.Serialize(new Demo.Shipment { Status = Demo.OrderStatus.InTransit, Rights = Demo.Access.Read | Demo.Access.Write, History = { Demo.OrderStatus.Pending, Demo.OrderStatus.Delivered } }, RivetJsonContext.Demo_Shipment);
                    var byName = JsonSerializer.Deserialize(json, RivetJsonContext.Demo_Shipment)!;
                    var byNumber = JsonSerializer.Deserialize("{\"status\":10,\"rights\":1,\"history\":[1]}", RivetJsonContext.Demo_Shipment)!;
                    return json + "|" + byName.Status + "," + byName.Rights + "|" + byNumber.Status + "," + byNumber.Rights + "," + byNumber.History[0];
            """,
            "Demo.Shipment");
        Assert.Equal("""{"status":"InTransit","rights":"Read, Write","history":["Pending","Delivered"]}|InTransit,Read, Write|Delivered,Read,InTransit""", result);
    }

    [Fact]
    public void Every_supported_collection_kind_round_trips()
    {
        var result = Run(
            """
            namespace Demo;
            public sealed class Bag
            {
                public int[] Array { get; set; } = [];
                public List<int> List { get; set; } = new();
                public IList<int> IList { get; set; } = new List<int>();
                public ICollection<int> ICollection { get; set; } = new List<int>();
                public IEnumerable<int> IEnumerable { get; set; } = [];
                public IReadOnlyList<int> IReadOnlyList { get; set; } = [];
                public IReadOnlyCollection<int> IReadOnlyCollection { get; set; } = [];
                public HashSet<int> HashSet { get; set; } = new();
                public ISet<int> ISet { get; set; } = new HashSet<int>();
                public IReadOnlySet<int> IReadOnlySet { get; set; } = new HashSet<int>();
                public List<List<string>> Nested { get; set; } = new();
                public List<int[]?> Jagged { get; set; } = new();
            }
            """,
            """
                    var value = new Demo.Bag
                    {
                        Array = new[] { 1 }, List = new() { 2 }, IList = new List<int> { 3 }, ICollection = new List<int> { 4 }, IEnumerable = new[] { 5 },
                        IReadOnlyList = new[] { 6 }, IReadOnlyCollection = new[] { 7 }, HashSet = new() { 8 }, ISet = new HashSet<int> { 9 }, IReadOnlySet = new HashSet<int> { 10 },
                        Nested = new() { new() { "a", "b" }, new() }, Jagged = new() { new[] { 1, 2 }, null },
                    };
                    var json = JsonSerializer.Serialize(value, RivetJsonContext.Demo_Bag);
                    var back = JsonSerializer.Deserialize(json, RivetJsonContext.Demo_Bag)!;
                    return json + "|" + (JsonSerializer.Serialize(back, RivetJsonContext.Demo_Bag) == json) + "|" + back.ISet.GetType().Name + "," + back.IReadOnlySet.GetType().Name + "," + back.IReadOnlySet.Contains(10);
            """,
            "Demo.Bag");
        Assert.Equal("""{"array":[1],"list":[2],"iList":[3],"iCollection":[4],"iEnumerable":[5],"iReadOnlyList":[6],"iReadOnlyCollection":[7],"hashSet":[8],"iSet":[9],"iReadOnlySet":[10],"nested":[["a","b"],[]],"jagged":[[1,2],null]}|True|HashSet`1,HashSet`1,True""", result);
    }

    [Fact]
    public void Dictionaries_keep_their_keys_verbatim_and_support_string_int_guid_and_enum_keys()
    {
        var result = Run(
            """
            namespace Demo;
            public enum Slot { Head, Feet }
            public sealed class Inventory
            {
                public Dictionary<string, int> Counts { get; set; } = new();
                public IDictionary<string, List<string>> Groups { get; set; } = new Dictionary<string, List<string>>();
                public IReadOnlyDictionary<string, Dictionary<string, bool>> Nested { get; set; } = new Dictionary<string, Dictionary<string, bool>>();
                public Dictionary<int, string> ById { get; set; } = new();
                public Dictionary<Guid, int> ByGuid { get; set; } = new();
                public Dictionary<Slot, string> BySlot { get; set; } = new();
            }
            """,
            """
                    var value = new Demo.Inventory
                    {
                        Counts = { ["Apple Pie"] = 1, ["bANANA"] = 2 },
                        Groups = { ["Team"] = new() { "x" } },
                        Nested = new Dictionary<string, Dictionary<string, bool>> { ["A"] = new() { ["B"] = true } },
                        ById = { [7] = "seven" },
                        ByGuid = { [Guid.Empty] = 0 },
                        BySlot = { [Demo.Slot.Feet] = "boots" },
                    };
                    var json = JsonSerializer.Serialize(value, RivetJsonContext.Demo_Inventory);
                    var back = JsonSerializer.Deserialize(json, RivetJsonContext.Demo_Inventory)!;
                    return json + "|" + (JsonSerializer.Serialize(back, RivetJsonContext.Demo_Inventory) == json) + "|" + back.BySlot[Demo.Slot.Feet] + back.ById[7];
            """,
            "Demo.Inventory");
        Assert.Equal("""{"counts":{"Apple Pie":1,"bANANA":2},"groups":{"Team":["x"]},"nested":{"A":{"B":true}},"byId":{"7":"seven"},"byGuid":{"00000000-0000-0000-0000-000000000000":0},"bySlot":{"Feet":"boots"}}|True|bootsseven""", result);
    }

    [Fact]
    public void Collections_and_dictionaries_work_as_roots()
    {
        var result = Run(
            "namespace Demo; public sealed record Item(string Name, int Qty);",
            """
                    var list = JsonSerializer.Serialize(new List<Demo.Item> { new("a", 1) }, RivetJsonContext.ListOfDemo_Item);
                    var array = JsonSerializer.Deserialize("[{\"name\":\"b\",\"qty\":2}]", RivetJsonContext.ArrayOfDemo_Item)!;
                    var map = JsonSerializer.Serialize(new Dictionary<string, Demo.Item[]> { ["k"] = array }, RivetJsonContext.DictionaryOfStringArrayOfDemo_Item);
                    return list + "|" + array[0].Name + array[0].Qty + "|" + map;
            """,
            "List<Demo.Item>", "Demo.Item[]", "Dictionary<string, Demo.Item[]>");
        Assert.Equal("""[{"name":"a","qty":1}]|b2|{"k":[{"name":"b","qty":2}]}""", result);
    }

    [Fact]
    public void A_positional_record_round_trips_through_its_constructor_with_defaults_for_absent_parameters()
    {
        var result = Run(
            """
            namespace Demo;
            public enum Size { Small, Large }
            public sealed record Order(string Id, int Quantity, string? Note = null, Size Size = Size.Large, double Discount = 0.5, string Currency = "EUR")
            {
                public DateTime CreatedAt { get; init; } = new DateTime(2000, 1, 1);
                public int Computed => Quantity * 2;
            }
            """,
            """
                    var json = JsonSerializer.Serialize(new Demo.Order("o-1", 3, "fast") { CreatedAt = new DateTime(2024, 1, 1) }, RivetJsonContext.Demo_Order);
                    var back = JsonSerializer.Deserialize(json, RivetJsonContext.Demo_Order)!;
                    var sparse = JsonSerializer.Deserialize("{\"id\":\"o-2\",\"quantity\":1}", RivetJsonContext.Demo_Order)!;
                    string missing;
                    try { JsonSerializer.Deserialize("{\"quantity\":1}", RivetJsonContext.Demo_Order); missing = "accepted"; }
                    catch (JsonException) { missing = "rejected"; }
                    return json + "|" + (back == new Demo.Order("o-1", 3, "fast") { CreatedAt = new DateTime(2024, 1, 1) }) + "|" + sparse.Id + "," + sparse.Quantity + "," + (sparse.Note ?? "null") + "," + sparse.Size + "," + sparse.Discount.ToString(System.Globalization.CultureInfo.InvariantCulture) + "," + sparse.Currency + "," + sparse.CreatedAt.Year + "|" + missing;
            """,
            "Demo.Order");
        Assert.Equal("""{"id":"o-1","quantity":3,"note":"fast","size":"Large","discount":0.5,"currency":"EUR","createdAt":"2024-01-01T00:00:00","computed":6}|True|o-2,1,null,Large,0.5,EUR,2000|rejected""", result);
    }

    [Fact]
    public void Init_only_members_keep_their_initializers_when_absent_and_required_members_must_be_present()
    {
        var result = Run(
            """
            namespace Demo;
            public sealed class Settings
            {
                public required string Name { get; init; }
                public required int Level { get; set; }
                public string Theme { get; init; } = "dark";
                public List<string> Tags { get; init; } = new() { "default" };
                [JsonRequired] public bool Enabled { get; set; }
            }
            public readonly record struct Range(int From, int To)
            {
                public string Unit { get; init; } = "m";
            }
            """,
            """
                    var json = JsonSerializer.Serialize(new Demo.Settings { Name = "n", Level = 2, Theme = "light", Enabled = true }, RivetJsonContext.Demo_Settings);
                    var back = JsonSerializer.Deserialize(json, RivetJsonContext.Demo_Settings)!;
                    var sparse = JsonSerializer.Deserialize("{\"name\":\"s\",\"level\":1,\"enabled\":false}", RivetJsonContext.Demo_Settings)!;
                    string Missing(string j)
                    {
                        try { JsonSerializer.Deserialize(j, RivetJsonContext.Demo_Settings); return "accepted"; }
                        catch (JsonException) { return "rejected"; }
                    }
                    var range = JsonSerializer.Deserialize("{\"from\":1,\"to\":2,\"unit\":\"km\"}", RivetJsonContext.Demo_Range);
                    var rangeDefault = JsonSerializer.Deserialize("{\"from\":1,\"to\":2}", RivetJsonContext.Demo_Range);
                    return json + "|" + back.Name + back.Level + back.Theme + back.Enabled + "|" + sparse.Theme + "," + string.Join(",", sparse.Tags)
                        + "|" + Missing("{\"level\":1,\"enabled\":true}") + "," + Missing("{\"name\":\"x\",\"enabled\":true}") + "," + Missing("{\"name\":\"x\",\"level\":1}")
                        + "|" + range + "|" + rangeDefault.Unit;
            """,
            "Demo.Settings", "Demo.Range");
        Assert.Equal("""{"name":"n","level":2,"theme":"light","tags":["default"],"enabled":true}|n2lightTrue|dark,default|rejected,rejected,rejected|Range { From = 1, To = 2, Unit = km }|m""", result);
    }

    [Fact]
    public void JsonPropertyName_JsonIgnore_JsonInclude_and_JsonPropertyOrder_are_honoured()
    {
        var result = Run(
            """
            namespace Demo;
            public sealed class Tagged
            {
                [JsonPropertyName("ID_Value")] public string Id { get; set; } = "";
                [JsonIgnore] public object? Cache { get; set; }
                [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Optional { get; set; }
                [JsonPropertyOrder(-1)] public int First { get; set; }
                [JsonInclude] public int Field;
                [JsonInclude] public int Hidden { get; private set; }
                public int Later { get; set; }
                public int ReadOnlyHidden() => Hidden;
            }
            """,
            """
                    var value = new Demo.Tagged { Id = "x", Cache = new object(), First = 1, Field = 2, Later = 3 };
                    var json = JsonSerializer.Serialize(value, RivetJsonContext.Demo_Tagged);
                    var back = JsonSerializer.Deserialize("{\"ID_Value\":\"y\",\"optional\":\"o\",\"field\":5,\"hidden\":6,\"cache\":{}}", RivetJsonContext.Demo_Tagged)!;
                    return json + "|" + back.Id + back.Optional + back.Field + back.ReadOnlyHidden() + (back.Cache is null);
            """,
            "Demo.Tagged");
        Assert.Equal("""{"first":1,"ID_Value":"x","field":2,"hidden":0,"later":3}|yo56True""", result);
    }

    [Fact]
    public void Property_names_are_camel_cased_on_the_wire_and_read_case_insensitively()
    {
        var result = Run(
            "namespace Demo; public sealed class Shape { public int XPosition { get; set; } public string URL { get; set; } = \"\"; public bool IsOpen { get; set; } }",
            """
                    var json = JsonSerializer.Serialize(new Demo.Shape { XPosition = 1, URL = "u", IsOpen = true }, RivetJsonContext.Demo_Shape);
                    var back = JsonSerializer.Deserialize("{\"XPOSITION\":4,\"url\":\"v\",\"IsOpen\":true}", RivetJsonContext.Demo_Shape)!;
                    return json + "|" + back.XPosition + back.URL + back.IsOpen;
            """,
            "Demo.Shape");
        Assert.Equal("""{"xPosition":1,"url":"u","isOpen":true}|4vTrue""", result);
    }

    [Fact]
    public void A_recursive_type_round_trips()
    {
        var result = Run(
            """
            namespace Demo;
            public sealed class Node
            {
                public string Name { get; set; } = "";
                public List<Node> Children { get; set; } = new();
                public Node? Parent { get; set; }
                public Dictionary<string, Node>? Index { get; set; }
            }
            """,
            """
                    var tree = new Demo.Node { Name = "root", Children = { new Demo.Node { Name = "a", Children = { new Demo.Node { Name = "a1" } } }, new Demo.Node { Name = "b" } } };
                    var json = JsonSerializer.Serialize(tree, RivetJsonContext.Demo_Node);
                    var back = JsonSerializer.Deserialize(json, RivetJsonContext.Demo_Node)!;
                    return json + "|" + back.Children[0].Children[0].Name;
            """,
            "Demo.Node");
        Assert.Equal("""{"name":"root","children":[{"name":"a","children":[{"name":"a1","children":[],"parent":null,"index":null}],"parent":null,"index":null},{"name":"b","children":[],"parent":null,"index":null}],"parent":null,"index":null}|a1""", result);
    }

    [Fact]
    public void Get_only_collection_properties_are_written_and_populated_on_read()
    {
        var result = Run(
            """
            namespace Demo;
            public sealed class State
            {
                public List<string> Items { get; } = new();
                public Dictionary<string, int> Scores { get; } = new();
                public HashSet<int> Seen { get; } = new();
                public int Total => Items.Count;
            }
            """,
            """
                    var state = new Demo.State();
                    state.Items.Add("a"); state.Scores["x"] = 1; state.Seen.Add(3);
                    var json = JsonSerializer.Serialize(state, RivetJsonContext.Demo_State);
                    var back = JsonSerializer.Deserialize(json, RivetJsonContext.Demo_State)!;
                    return json + "|" + string.Join(",", back.Items) + back.Scores["x"] + back.Seen.Count + back.Total;
            """,
            "Demo.State");
        Assert.Equal("""{"items":["a"],"scores":{"x":1},"seen":[3],"total":1}|a111""", result);
    }

    [Fact]
    public void Structs_inherited_properties_generic_types_and_JsonConstructor_are_supported()
    {
        var result = Run(
            """
            namespace Demo;
            public struct Vector { public double X { get; set; } public double Y { get; set; } }
            public class Entity { public string Id { get; init; } = "none"; public virtual int Version { get; set; } }
            public sealed class Player : Entity { public string Nick { get; set; } = ""; public override int Version { get; set; } }
            public sealed class Box<T> { public T Value { get; init; } = default!; public List<T> More { get; set; } = new(); }
            public sealed class Money
            {
                public Money(string currency) { Currency = currency; }
                [JsonConstructor] public Money(decimal amount, string currency) { Amount = amount; Currency = currency; }
                public decimal Amount { get; }
                public string Currency { get; }
            }
            """,
            """
                    var v = JsonSerializer.Serialize(JsonSerializer.Deserialize("{\"x\":1.5,\"y\":-2}", RivetJsonContext.Demo_Vector), RivetJsonContext.Demo_Vector);
                    var p = JsonSerializer.Deserialize("{\"id\":\"p1\",\"version\":3,\"nick\":\"n\"}", RivetJsonContext.Demo_Player)!;
                    var b = JsonSerializer.Deserialize("{\"value\":7,\"more\":[8]}", RivetJsonContext.Demo_Box_1OfInt32)!;
                    var s = JsonSerializer.Deserialize("{\"value\":\"s\"}", RivetJsonContext.Demo_Box_1OfString)!;
                    var m = JsonSerializer.Deserialize("{\"amount\":1.25,\"currency\":\"USD\"}", RivetJsonContext.Demo_Money)!;
                    return v + "|" + JsonSerializer.Serialize(p, RivetJsonContext.Demo_Player) + "|" + b.Value + b.More[0] + s.Value + "|" + JsonSerializer.Serialize(m, RivetJsonContext.Demo_Money);
            """,
            "Demo.Vector", "Demo.Player", "Demo.Box<int>", "Demo.Box<string>", "Demo.Money");
        Assert.Equal("""{"x":1.5,"y":-2}|{"id":"p1","version":3,"nick":"n"}|78s|{"amount":1.25,"currency":"USD"}""", result);
    }
}
