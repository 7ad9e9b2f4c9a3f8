using System.Linq;
using Microsoft.CodeAnalysis;
using Rivet.Generators.Tests.Analyzers;
using Rivet.Generators.Tests.Infrastructure;
using Rivet.Generators.Tests.Serialization;
using static Rivet.Generators.Tests.Analyzers.GeneratorDiagnosticVerifier;

namespace Rivet.Generators.Tests.Guarantees;

/// <summary>
/// The cases issue 18 reproduced, where the generated code failed to compile (or failed at run time) without a Rivet
/// diagnostic: each now either works or gets exactly one RIVET diagnostic at the mistake, and the generated code
/// compiles without any other error.
/// </summary>
public sealed class ReproducedBreakageTests
{
    private const string Usings = "using System;\nusing System.Threading;\nusing System.Threading.Tasks;\nusing System.Text.Json;\nusing System.Text.Json.Serialization;\nusing Rivet;\n\n";

    /// <summary>Verifies the generator's diagnostics against the markup, then that the generated code adds no compile error.</summary>
    private static GeneratorDiagnostics VerifyCompiles(string markupSource)
    {
        var result = Verify(Usings + markupSource);
        var (output, _, _) = TestCompilation.RunGenerator(TestCompilation.Create(DiagnosticMarkup.Parse(Usings + markupSource).Source));
        var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, "The generated code does not compile:\n  " + string.Join("\n  ", errors));
        return result;
    }

    [Fact]
    public void Actions_named_like_members_of_the_typed_handle_get_RIVET028_and_the_rest_compiles()
    {
        var result = VerifyCompiles("""
            namespace Demo;
            [Actor]
            public partial class Counter : Actor
            {
                [Action] public int {|RIVET028:Handle|}() => 1;
                [Action] public int {|RIVET028:ResolveAsync|}() => 2;
                [Action] public int {|RIVET028:WithIdempotencyKey|}(string key) => 3;
                [Action] public int {|RIVET028:CounterHandle|}() => 4;
                [Action] public int Status() => 5;
                [Action] public int Get() => 6;
            }
            """);
        result.AssertGenerated("Demo.Counter");
        Assert.Contains("'Handle' of actor 'Counter'", result.Diagnostics[0].GetMessage());
    }

    [Fact]
    public void ActorClient_methods_named_like_handle_members_are_implemented_explicitly()
    {
        var result = VerifyCompiles("""
            namespace Demo;
            [ActorClient("counter")]
            public interface ICounter
            {
                Task<int> Handle();
                Task<int> ResolveAsync();
                Task<int> WithIdempotencyKey(string key);
                Task<int> Status();
                Task<int> Connection();
            }
            """);
        Assert.Contains("Demo.ICounter.ActorClient.g.cs", result.HintNames);
    }

    [Fact]
    public void Json_member_names_of_a_generic_type_and_a_class_spelled_like_it_do_not_collide()
    {
        var result = SerializationHarness.Run(
            """
            namespace Demo;
            public sealed class Result<T> { public T? Value { get; set; } }
            public sealed class ResultOfInt32 { public int Count { get; set; } }
            """,
            """
            public static class Test
            {
                public static string Run() =>
                    JsonSerializer.Serialize(new Demo.Result<int> { Value = 1 }, RivetJsonContext.Demo_Result_1OfInt32) + "|"
                    + JsonSerializer.Serialize(new Demo.ResultOfInt32 { Count = 2 }, RivetJsonContext.Demo_ResultOfInt32);
            }
            """,
            "Demo.Result<int>", "Demo.ResultOfInt32");
        Assert.Equal("""{"value":1}|{"count":2}""", result);
    }

    [Fact]
    public void An_actor_using_a_generic_type_and_a_class_spelled_like_it_compiles()
    {
        VerifyCompiles("""
            namespace Demo;
            public sealed class Result<T> { public T? Value { get; set; } }
            public sealed class ResultOfInt32 { public int Count { get; set; } }
            [Actor]
            public partial class Results : Actor
            {
                [Action] public Result<int> Generic() => new();
                [Action] public ResultOfInt32 Plain() => new();
            }
            """).AssertGenerated("Demo.Results");
    }

    [Fact]
    public void A_type_level_JsonConverter_writes_the_JSON_its_converter_declares()
    {
        var result = SerializationHarness.Run(
            """
            namespace Demo;
            [JsonConverter(typeof(MoneyConverter))]
            public sealed class Money { public long Cents { get; set; } }
            public sealed class MoneyConverter : JsonConverter<Money>
            {
                public override Money Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
                    new() { Cents = long.Parse(reader.GetString()!.Replace(".", "")) };
                public override void Write(Utf8JsonWriter writer, Money value, JsonSerializerOptions options) =>
                    writer.WriteStringValue($"{value.Cents / 100}.{value.Cents % 100:00}");
            }
            [JsonConverter(typeof(JsonStringEnumConverter<Level>))]
            public enum Level { Low, High }
            [JsonConverter(typeof(WrapperFactory))]
            public sealed class Wrapper { public int Inner { get; set; } }
            public sealed class WrapperFactory : JsonConverterFactory
            {
                public override bool CanConvert(Type typeToConvert) => typeToConvert == typeof(Wrapper);
                public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) => new WrapperConverter();
                private sealed class WrapperConverter : JsonConverter<Wrapper>
                {
                    public override Wrapper Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => new() { Inner = reader.GetInt32() };
                    public override void Write(Utf8JsonWriter writer, Wrapper value, JsonSerializerOptions options) => writer.WriteNumberValue(value.Inner);
                }
            }
            public sealed class Order { public Money Price { get; set; } = new(); public Wrapper Box { get; set; } = new(); public Level Tier { get; set; } }
            """,
            """
            public static class Test
            {
                public static string Run()
                {
                    var json = JsonSerializer.Serialize(new Demo.Order { Price = new() { Cents = 1234 }, Box = new() { Inner = 7 }, Tier = Demo.Level.High }, RivetJsonContext.Demo_Order);
                    var back = JsonSerializer.Deserialize(json, RivetJsonContext.Demo_Order)!;
                    return json + "|" + back.Price.Cents + "|" + back.Box.Inner + "|" + back.Tier;
                }
            }
            """,
            "Demo.Order");
        Assert.Equal("""{"price":"12.34","box":7,"tier":"High"}|1234|7|High""", result);
    }

    [Fact]
    public void A_JsonConverter_for_another_type_gets_RIVET010()
    {
        var result = VerifyCompiles("""
            namespace Demo;
            [JsonConverter(typeof(OtherConverter))]
            public sealed class Money { public long Cents { get; set; } }
            public sealed class Other { }
            public sealed class OtherConverter : JsonConverter<Other>
            {
                public override Other Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => new();
                public override void Write(Utf8JsonWriter writer, Other value, JsonSerializerOptions options) => writer.WriteNullValue();
            }
            [Actor]
            public partial class Bank : Actor
            {
                [Action] public void Pay({|RIVET010:Money money|}) { }
            }
            """);
        Assert.Contains("converts 'Other', not 'Money'", result.SingleMessage());
    }

    [Fact]
    public void A_JsonPolymorphic_base_round_trips_its_derived_types_with_their_discriminators()
    {
        var result = SerializationHarness.Run(
            """
            namespace Demo;
            [JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
            [JsonDerivedType(typeof(Cat), "cat")]
            [JsonDerivedType(typeof(Dog), "dog")]
            public class Animal { public string Name { get; set; } = ""; }
            public sealed class Cat : Animal { public int Lives { get; set; } }
            public sealed class Dog : Animal { public bool Good { get; set; } }
            """,
            """
            public static class Test
            {
                public static string Run()
                {
                    var list = new System.Collections.Generic.List<Demo.Animal> { new Demo.Cat { Name = "c", Lives = 9 }, new Demo.Dog { Name = "d", Good = true }, new Demo.Animal { Name = "a" } };
                    var json = JsonSerializer.Serialize(list, RivetJsonContext.ListOfDemo_Animal);
                    var back = JsonSerializer.Deserialize(json, RivetJsonContext.ListOfDemo_Animal)!;
                    return json + "|" + string.Join(",", System.Linq.Enumerable.Select(back, a => a.GetType().Name));
                }
            }
            """,
            "System.Collections.Generic.List<Demo.Animal>");
        Assert.Equal("""[{"kind":"cat","name":"c","lives":9},{"kind":"dog","name":"d","good":true},{"name":"a"}]|Cat,Dog,Animal""", result);
    }

    [Fact]
    public void An_abstract_JsonPolymorphic_base_gets_one_RIVET010_that_says_why()
    {
        var result = VerifyCompiles("""
            namespace Demo;
            [JsonDerivedType(typeof(Cat), "cat")]
            public abstract class Animal { public string Name { get; set; } = ""; }
            public sealed class Cat : Animal { }
            [Actor]
            public partial class Zoo : Actor
            {
                [Action] public void Add({|RIVET010:Animal animal|}) { }
            }
            """);
        Assert.Contains("make the base class concrete", result.SingleMessage());
    }

    [Fact]
    public void Event_and_connection_parameter_types_less_accessible_than_the_actor_get_RIVET029()
    {
        VerifyCompiles("""
            namespace Demo;
            internal sealed class Move { public int X { get; set; } }
            internal sealed class Ticket { public string Code { get; set; } = ""; }
            [Actor]
            public partial class Board : Actor, {|RIVET029:IConnectionParams<Ticket>|}
            {
                [Event] partial void Moved({|RIVET029:Move move|});
                [Event] partial void Cleared();
                ValueTask IConnectionParams<Ticket>.OnBeforeConnectAsync(Ticket? parameters, CancellationToken cancellationToken) => default;
            }
            """).AssertGenerated("Demo.Board");
    }

    [Fact]
    public void Internal_event_and_connection_types_of_an_internal_actor_need_no_diagnostic()
    {
        VerifyCompiles("""
            namespace Demo;
            internal sealed class Move { public int X { get; set; } }
            [Actor]
            internal partial class Board : Actor, IConnectionParams<Move>
            {
                [Event] partial void Moved(Move move);
                public ValueTask OnBeforeConnectAsync(Move? parameters, CancellationToken cancellationToken) => default;
            }
            """).AssertGenerated("Demo.Board");
    }

    [Fact]
    public void An_ActorClient_with_a_less_accessible_input_type_gets_RIVET029()
    {
        VerifyCompiles("""
            namespace Demo;
            internal sealed class Seed { public int X { get; set; } }
            [{|RIVET029:ActorClient("remote", InputType = typeof(Seed))|}]
            public interface IRemote { Task Ping(); }
            """);
    }

    [Fact]
    public void Two_events_with_the_same_method_name_get_RIVET030_once()
    {
        VerifyCompiles("""
            namespace Demo;
            [Actor]
            public partial class Board : Actor
            {
                [Event] partial void Moved(int x);
                [Event("movedText")] partial void {|RIVET030:Moved|}(string x);
            }
            """).AssertGenerated("Demo.Board");
    }

    [Fact]
    public void User_types_named_like_the_generated_connection_or_scheduler_get_RIVET031()
    {
        var result = VerifyCompiles("""
            namespace Demo;
            public sealed class {|RIVET031:BoardConnection|} { }
            public sealed class {|RIVET031:BoardScheduler|} { }
            [Actor]
            public partial class Board : Actor
            {
                [Action] public int Get() => 1;
            }
            """);
        result.AssertGenerated("Demo.Board");
        Assert.DoesNotContain("Demo.Board.Client.g.cs", result.HintNames);
        Assert.DoesNotContain("Demo.Board.Schedule.g.cs", result.HintNames);
    }

    [Fact]
    public void A_user_type_named_like_a_generated_ActorClient_type_gets_RIVET031()
    {
        VerifyCompiles("""
            namespace Demo;
            public sealed class {|RIVET031:RemoteAccessor|} { }
            [ActorClient("remote")]
            public interface IRemote { Task Ping(); }
            """);
    }

    [Fact]
    public void Connection_interfaces_disagreeing_on_TParams_get_RIVET032()
    {
        VerifyCompiles("""
            namespace Demo;
            public sealed class Login { public string User { get; set; } = ""; }
            public sealed class Other { }
            public sealed class Session { public string User { get; set; } = ""; }
            [Actor]
            public partial class Room : Actor, IConnectionParams<Login>, {|RIVET032:IConnectionState<Other, Session>|}
            {
                public ValueTask OnBeforeConnectAsync(Login? parameters, CancellationToken cancellationToken) => default;
                public Session CreateConnectionState(Other? parameters) => new();
            }
            """).AssertGenerated("Demo.Room");
    }

    [Fact]
    public void A_generic_action_gets_one_diagnostic_not_one_per_type_parameter_use()
    {
        var result = VerifyCompiles("""
            namespace Demo;
            [Actor]
            public partial class Echo : Actor
            {
                [Action] public T {|RIVET007:Back|}<T>(T value) => value;
                [Action] public int Ok() => 1;
            }
            """);
        result.AssertGenerated("Demo.Echo");
    }

    [Fact]
    public void A_generic_ActorClient_method_and_event_get_one_diagnostic_each()
    {
        VerifyCompiles("""
            namespace Demo;
            [ActorClient("remote")]
            public interface IRemote
            {
                Task<T> {|RIVET007:Back|}<T>(T value);
                [Event] void {|RIVET023:Changed|}<T>(T value);
            }
            """);
    }
}
