using System;
using System.Threading.Tasks;

namespace Rivet.Sdk.Tests.EngineClient;

/// <summary>The typed client of an actor written in TypeScript, declared as a C# interface.</summary>
[ActorClient("counter")]
public interface ITsCounter
{
    Task<int> Increment(int amount);

    Task<int> GetCount();

    Task Fail();
}

[Collection(TsActorCollection.Name)]
public sealed class TypedInterfaceInteropTests(TsActorFixture fixture)
{
    [Theory]
    [InlineData(RivetEncoding.Json)]
    [InlineData(RivetEncoding.Cbor)]
    [InlineData(RivetEncoding.Bare)]
    public async Task A_generated_interface_client_calls_the_TypeScript_counter(RivetEncoding encoding)
    {
        await using var client = RivetClient.Create(fixture.ClientOptions(encoding));
        var key = $"typed-{encoding}-{Guid.NewGuid():N}";

        Assert.Equal(3, await client.TsCounter.GetOrCreate(key).Increment(3));
        Assert.Equal(5, await client.TsCounter.Get(key).Increment(2));
        Assert.Equal(5, await client.TsCounter.Get(key).GetCount());

        var error = await Assert.ThrowsAsync<RivetException>(() => client.TsCounter.Get(key).Fail());
        Assert.Equal("user.my_code", error.Id);
        Assert.Equal("nope", error.Message);
    }
}
