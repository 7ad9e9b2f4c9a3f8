namespace Rivet.Generators.Tests.Serialization;

public sealed class SmokeTests
{
    [Fact]
    public void A_simple_class_round_trips_with_camel_case_names()
    {
        var json = SerializationHarness.Run(
            "namespace Demo { public sealed class Order { public string Id { get; set; } = \"\"; public int Count { get; set; } public List<string> Tags { get; set; } = new(); } }",
            """
            public static class Test
            {
                public static string Run()
                {
                    var json = JsonSerializer.Serialize(new Demo.Order { Id = "a", Count = 2, Tags = { "x" } }, RivetJsonContext.Demo_Order);
                    var back = JsonSerializer.Deserialize(json, RivetJsonContext.Demo_Order)!;
                    return json + "|" + back.Id + back.Count + back.Tags[0];
                }
            }
            """,
            "Demo.Order");
        Assert.Equal("""{"id":"a","count":2,"tags":["x"]}|a2x""", json);
    }
}
