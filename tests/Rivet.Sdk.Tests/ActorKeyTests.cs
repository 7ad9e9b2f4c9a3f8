using System.Linq;

namespace Rivet.Sdk.Tests;

public sealed class ActorKeyTests
{
    [Theory]
    [InlineData(new string[0], "/")]
    [InlineData(new[] { "my-counter", "a/b" }, "my-counter/a\\/b")]
    [InlineData(new[] { "a\\b", "c" }, "a\\\\b/c")]
    [InlineData(new[] { "" }, "\\0")]
    [InlineData(new[] { "room-1" }, "room-1")]
    [InlineData(new[] { "a", "", "b" }, "a/\\0/b")]
    public void Keys_serialize_as_the_engine_does_and_parse_back(string[] parts, string serialized)
    {
        ActorKey key = parts;
        Assert.Equal(serialized, key.Serialize());
        Assert.Equal(key, ActorKey.Parse(serialized));
    }

    [Fact]
    public void A_string_and_a_collection_expression_convert_to_keys()
    {
        ActorKey single = "room-1";
        ActorKey compound = ["tenant", "room-1"];
        Assert.Equal(new[] { "room-1" }, single.Parts.ToArray());
        Assert.Equal(2, compound.Count);
        Assert.NotEqual(single, compound);
    }

    [Fact]
    public void A_null_part_is_rejected_with_its_position()
    {
        var ex = Assert.Throws<System.ArgumentException>(() => new ActorKey(["a", null!]));
        Assert.Contains("part 1", ex.Message);
    }
}
