using System;
using System.Diagnostics;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Client;
using Rivet.Client.Engine;
using Rivet.Runtime;
using Xunit.Abstractions;

namespace Rivet.Sdk.Tests.EngineClient;

/// <summary>
/// The .NET client (<see cref="EngineActorTransport"/>) calling RivetKit's TypeScript counter actor through the real
/// engine, in each encoding.
/// </summary>
[Collection(TsActorCollection.Name)]
public sealed class TsActorInteropTests
{
    private const string Counter = TsActorFixture.ActorName;

    private readonly TsActorFixture _fixture;
    private readonly ITestOutputHelper _output;

    public TsActorInteropTests(TsActorFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
    }

    public static TheoryData<RivetEncoding> Encodings => new() { RivetEncoding.Json, RivetEncoding.Cbor, RivetEncoding.Bare };

    [Theory, MemberData(nameof(Encodings))]
    public async Task Get_or_create_then_get_reach_the_same_counter_untyped_and_typed(RivetEncoding encoding)
    {
        await using var client = RivetClient.Create(_fixture.ClientOptions(encoding));
        var key = NewKey();

        var first = await client.GetOrCreate(Counter, key).InvokeRawAsync("increment", Json("[5]"));
        Assert.Equal("5", Text(first));
        Assert.Equal(7, await Increment(client.GetOrCreate(Counter, key), 2));
        Assert.Equal(7, await GetCount(client.Get(Counter, key)));
        Assert.Equal("10", Text(await client.Get(Counter, key).InvokeRawAsync("increment", Json("[3]"))));

        // Another key is another actor.
        Assert.Equal(1, await Increment(client.GetOrCreate(Counter, [key, "other"]), 1));
        Assert.Equal(10, await GetCount(client.Get(Counter, key)));
    }

    [Theory, MemberData(nameof(Encodings))]
    public async Task Create_returns_a_handle_by_id_and_get_for_id_and_resolve_agree(RivetEncoding encoding)
    {
        await using var client = RivetClient.Create(_fixture.ClientOptions(encoding));
        var key = NewKey();

        var created = await client.CreateAsync(Counter, key);
        Assert.Equal(ActorQueryKind.ForId, created.Query.Kind);
        var id = await created.ResolveAsync();
        Assert.Equal(4, await Increment(created, 4));

        Assert.Equal(4, await GetCount(client.GetForId(Counter, id)));
        Assert.Equal(4, await GetCount(client.Get(Counter, key)));
        Assert.Equal(id, await client.Get(Counter, key).ResolveAsync());
        Assert.Equal(id, await client.GetOrCreate(Counter, key).ResolveAsync());

        using var api = _fixture.CreateApi();
        var actor = await api.GetActorAsync(id);
        Assert.NotNull(actor);
        Assert.Equal(TsActorFixture.Pool, actor.RunnerNameSelector);
        Assert.Equal("sleep", actor.CrashPolicy);
        Assert.Equal(key, actor.Key);
    }

    [Theory, MemberData(nameof(Encodings))]
    public async Task Creating_a_key_twice_fails_with_actor_duplicate_key(RivetEncoding encoding)
    {
        await using var client = RivetClient.Create(_fixture.ClientOptions(encoding));
        var key = NewKey();
        var created = await client.CreateAsync(Counter, key);

        var error = await Assert.ThrowsAnyAsync<RivetException>(() => client.CreateAsync(Counter, key));

        Assert.Equal("actor.duplicate_key", error.Id);
        Assert.Equal(await created.ResolveAsync(), error.Metadata?.GetProperty("existing_actor_id").GetString());
    }

    [Theory, MemberData(nameof(Encodings))]
    public async Task Get_of_a_missing_key_fails_with_actor_not_found_by_gateway_and_by_rest(RivetEncoding encoding)
    {
        await using var client = RivetClient.Create(_fixture.ClientOptions(encoding));

        var byGateway = await Assert.ThrowsAnyAsync<RivetException>(() => client.Get(Counter, NewKey()).InvokeRawAsync("getCount", Json("[]")));
        Assert.Equal("actor.not_found", byGateway.Id);
        Assert.Equal("The actor does not exist or was destroyed.", byGateway.Message);

        var withComma = await Assert.ThrowsAnyAsync<RivetException>(() => client.Get(Counter, [NewKey(), "a,b"]).InvokeRawAsync("getCount", Json("[]")));
        Assert.Equal("actor.not_found", withComma.Id);

        var resolve = await Assert.ThrowsAnyAsync<RivetException>(() => client.Get(Counter, NewKey()).ResolveAsync());
        Assert.Equal("actor.not_found", resolve.Id);
    }

    [Theory, MemberData(nameof(Encodings))]
    public async Task Keys_are_read_as_rivetkits_client_sends_them_a_part_with_a_comma_is_several_parts(RivetEncoding encoding)
    {
        await using var client = RivetClient.Create(_fixture.ClientOptions(encoding));
        var id = NewKey();
        ActorKey comma = [id, "a,b", "c"];
        ActorKey split = [id, "a", "b", "c"];

        Assert.Equal(1, await Increment(client.GetOrCreate(Counter, comma), 1));
        Assert.Equal(21, await Increment(client.GetOrCreate(Counter, split), 20)); // RivetKit's rvt-key=…,a,b,c: one actor
        Assert.Equal(23, await Increment(client.Get(Counter, comma), 2));

        // A fresh client (no cached ids) finds it again by REST too, and the engine stores the key RivetKit's way.
        await using var other = RivetClient.Create(_fixture.ClientOptions(encoding));
        Assert.Equal(23, await GetCount(other.Get(Counter, comma)));
        using var api = _fixture.CreateApi();
        Assert.Equal(split.Serialize(), (await api.GetActorAsync(await other.Get(Counter, comma).ResolveAsync()))!.Key);
    }

    [Theory, MemberData(nameof(Encodings))]
    public async Task The_empty_key_is_one_actor_through_the_gateway(RivetEncoding encoding)
    {
        await using var client = RivetClient.Create(_fixture.ClientOptions(encoding));
        var before = await Increment(client.GetOrCreate(Counter, ActorKey.Empty), 1);
        Assert.Equal(before + 1, await Increment(client.Get(Counter, ActorKey.Empty), 1));
        Assert.Equal(before + 2, await Increment(client.Get(Counter, [""]), 1)); // RivetKit sends [""] as rvt-key= too

        using var api = _fixture.CreateApi();
        var actor = await api.GetActorAsync(await client.Get(Counter, ActorKey.Empty).ResolveAsync());
        Assert.Equal("/", actor!.Key);
    }

    [Theory, MemberData(nameof(Encodings))]
    public async Task A_user_error_reaches_dotnet_with_group_code_message_and_metadata(RivetEncoding encoding)
    {
        await using var client = RivetClient.Create(_fixture.ClientOptions(encoding));
        var handle = client.GetOrCreate(Counter, NewKey());
        var id = await handle.ResolveAsync();

        var error = await Assert.ThrowsAnyAsync<RivetException>(() => handle.InvokeRawAsync("fail", Json("[]")));

        Assert.Equal("user", error.Group);
        Assert.Equal("my_code", error.Code);
        Assert.Equal("nope", error.Message);
        Assert.Equal("""{"a":1}""", error.Metadata?.GetRawText());
        Assert.Equal(id, error.ActorId);
    }

    [Theory, MemberData(nameof(Encodings))]
    public async Task An_unknown_action_fails_with_actor_action_not_found(RivetEncoding encoding)
    {
        await using var client = RivetClient.Create(_fixture.ClientOptions(encoding));

        var error = await Assert.ThrowsAnyAsync<RivetException>(() => client.GetOrCreate(Counter, NewKey()).InvokeRawAsync("no such/action", Json("[]")));

        Assert.Equal("actor.action_not_found", error.Id);
        Assert.Equal("Action `no such/action` was not found.", error.Message);
    }

    [Theory, MemberData(nameof(Encodings))]
    public async Task Strings_nested_values_bigints_bytes_and_null_round_trip_through_echo(RivetEncoding encoding)
    {
        await using var client = RivetClient.Create(_fixture.ClientOptions(encoding));
        var handle = client.GetOrCreate(Counter, NewKey());
        const string args = """
            ["héllo \"wörld\" 🎉", {"nested":{"list":[1,-2,[3.5,"x"]],"empty":{},"none":null}}, ["$BigInt","12345678901234567890"],
             ["$BigInt","-9"], ["$Uint8Array","AAEC/w=="], null, 1.5, true, [], ["$$x",1], 4294967295, -4294967296, 1e300]
            """;

        var echoed = await handle.InvokeRawAsync("echo", Json(args));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(args), JsonNode.Parse(echoed.Span)), $"echo returned {Text(echoed)}");

        // And the TypeScript side saw JavaScript values of the right types.
        var types = await handle.InvokeRawAsync("types", Json(args));
        Assert.Equal(
            """["string","object{nested:object{empty:object{},list:array[number,number,array[number,string]],none:null}}","bigint","bigint","Uint8Array(4)","null","number","boolean","array[]","array[string,number]","number","number","number"]""",
            Text(types));
    }

    [Theory, MemberData(nameof(Encodings))]
    public async Task Integers_beyond_32_bits_become_bigints_in_typescript_only_through_json(RivetEncoding encoding)
    {
        // RivetKit's actor parses a JSON integer outside [-2^32, 2^32-1] as a bigint. In CBOR the SDK writes such an
        // integer as a float while a double holds it exactly (in JavaScript it is a number), and as an 8-byte integer
        // beyond 2^53 (which JavaScript reads as a bigint). Pinned here as observed.
        await using var client = RivetClient.Create(_fixture.ClientOptions(encoding));
        var handle = client.GetOrCreate(Counter, NewKey());

        var types = Text(await handle.InvokeRawAsync("types", Json("[4294967296, -4294967297, 9007199254740993]")));
        var echoed = Text(await handle.InvokeRawAsync("echo", Json("[4294967296]")));

        if (encoding == RivetEncoding.Json)
        {
            Assert.Equal("""["bigint","bigint","bigint"]""", types);
            Assert.Equal("""[["$BigInt","4294967296"]]""", echoed);
        }
        else
        {
            Assert.Equal("""["number","number","bigint"]""", types);
            Assert.Equal("[4294967296]", echoed);
        }
    }

    [Theory, MemberData(nameof(Encodings))]
    public async Task Bigints_and_bytes_made_in_typescript_deserialize_into_dotnet_types(RivetEncoding encoding)
    {
        await using var client = RivetClient.Create(_fixture.ClientOptions(encoding));
        var handle = client.GetOrCreate(Counter, NewKey());

        var raw = await handle.InvokeRawAsync("special", Json("[]"));
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"big":["$BigInt","12345678901234567890"],"small":["$BigInt","42"],"bytes":["$Uint8Array","AAEC/v8="],"nested":{"list":[1,"two",null,true,{"deep":[1.5]}],"bytes":["$Uint8Array","CQ=="]}}"""),
            JsonNode.Parse(raw.Span)), Text(raw));

        using var args = ActionArguments.Start();
        var special = await handle.InvokeAsync("special", args, TypeInfo<Special>(), CancellationToken.None);
        Assert.Equal(BigInteger.Parse("12345678901234567890", System.Globalization.CultureInfo.InvariantCulture), special.Big);
        Assert.Equal(new BigInteger(42), special.Small);
        Assert.Equal(new byte[] { 0, 1, 2, 254, 255 }, special.Bytes);
        Assert.Equal(new byte[] { 9 }, special.Nested.Bytes);
    }

    [Theory, MemberData(nameof(Encodings))]
    public async Task Inputs_reach_the_actor_through_the_gateway_query_rest_get_or_create_and_create(RivetEncoding encoding)
    {
        await using var client = RivetClient.Create(_fixture.ClientOptions(encoding));
        var input = new CounterInput("hello", [1, 2, 3], new BigInteger(ulong.MaxValue) + 1);
        var expected = """{"label":"hello","bytes":["$Uint8Array","AQID"],"big":["$BigInt","18446744073709551616"]}""";

        var byQuery = client.GetOrCreate(Counter, NewKey(), input, TypeInfo<CounterInput>());
        AssertJson(expected, await byQuery.InvokeRawAsync("getInput", Json("[]")));

        var byRest = client.GetOrCreate(Counter, [NewKey(), "with,comma"], input, TypeInfo<CounterInput>());
        AssertJson(expected, await byRest.InvokeRawAsync("getInput", Json("[]")));

        var created = await client.CreateAsync(Counter, NewKey(), input, TypeInfo<CounterInput>());
        AssertJson(expected, await created.InvokeRawAsync("getInput", Json("[]")));

        // An input too big for a gateway URL goes through PUT /actors.
        var big = new CounterInput(new string('x', EngineActorTransport.MaxQueryInputSize + 100), [], BigInteger.One);
        var bigHandle = client.GetOrCreate(Counter, NewKey(), big, TypeInfo<CounterInput>());
        var echoed = JsonNode.Parse((await bigHandle.InvokeRawAsync("getInput", Json("[]"))).Span)!;
        Assert.Equal(big.Label, (string?)echoed["label"]);

        // Without input the actor sees none.
        Assert.Equal("null", Text(await client.GetOrCreate(Counter, NewKey()).InvokeRawAsync("getInput", Json("[]"))));
    }

    [Theory, MemberData(nameof(Encodings))]
    public async Task A_destroyed_actor_behind_a_cached_id_is_resolved_again(RivetEncoding encoding)
    {
        await using var client = RivetClient.Create(_fixture.ClientOptions(encoding));
        ActorKey key = [NewKey(), "a,b"];
        var getOrCreate = client.GetOrCreate(Counter, key);
        Assert.Equal(5, await Increment(getOrCreate, 5));
        var firstId = await getOrCreate.ResolveAsync();

        using var api = _fixture.CreateApi();
        await api.DestroyActorAsync(firstId);

        // Direct routing to the old id now fails, as RivetKit reports it.
        var gone = await Assert.ThrowsAnyAsync<RivetException>(() => client.GetForId(Counter, firstId).InvokeRawAsync("getCount", Json("[]")));
        Assert.Equal("actor.not_found", gone.Id);

        // A get handle drops the cached id and finds nothing; a get-or-create handle makes a new actor.
        var missing = await Assert.ThrowsAnyAsync<RivetException>(() => client.Get(Counter, key).InvokeRawAsync("getCount", Json("[]")));
        Assert.Equal("actor.not_found", missing.Id);
        Assert.Equal(1, await Increment(getOrCreate, 1));
        Assert.NotEqual(firstId, await getOrCreate.ResolveAsync());
    }

    [Theory, MemberData(nameof(Encodings))]
    public async Task Calls_by_key_go_by_the_learned_id_and_fall_back_to_the_key_when_that_actor_is_destroyed(RivetEncoding encoding)
    {
        await using var client = RivetClient.Create(_fixture.ClientOptions(encoding));
        var key = NewKey(); // fits the gateway's query route (rvt-key)
        var getOrCreate = client.GetOrCreate(Counter, key);
        Assert.Equal(5, await Increment(getOrCreate, 5));
        var firstId = await getOrCreate.ResolveAsync(); // from here on the transport knows the id
        Assert.Equal(6, await Increment(getOrCreate, 1));
        Assert.Equal(6, await GetCount(client.Get(Counter, key)));

        using var api = _fixture.CreateApi();
        await api.DestroyActorAsync(firstId);

        // The learned id answers actor.not_found: a get handle then takes the key route and finds nothing, a
        // get-or-create handle takes it and makes a new actor.
        var missing = await Assert.ThrowsAnyAsync<RivetException>(() => client.Get(Counter, key).InvokeRawAsync("getCount", Json("[]")));
        Assert.Equal("actor.not_found", missing.Id);
        Assert.Equal(1, await Increment(getOrCreate, 1));
        Assert.Equal(2, await Increment(getOrCreate, 1));
        Assert.NotEqual(firstId, await getOrCreate.ResolveAsync());
    }

    [Theory, MemberData(nameof(Encodings))]
    public async Task Sequential_and_parallel_calls_on_warm_connections_all_land(RivetEncoding encoding)
    {
        // Latency is measured by the benchmarks (bench/), not here: this checks that every call counts once.
        await using var client = RivetClient.Create(_fixture.ClientOptions(encoding));
        var byQuery = client.GetOrCreate(Counter, NewKey());
        var byId = client.GetForId(Counter, await byQuery.ResolveAsync());
        const int calls = 40;
        for (var i = 0; i < calls; i++)
        {
            await Increment(byQuery, 1);
            await Increment(byId, 1);
        }
        var parallel = new Task<int>[calls];
        for (var i = 0; i < calls; i++)
        {
            parallel[i] = Increment(byId, 1);
        }
        await Task.WhenAll(parallel);
        Assert.Equal(3 * calls, await GetCount(byId));
    }

    // ----- helpers -----

    private static string NewKey() => "k-" + Guid.NewGuid().ToString("N")[..12];

    private static ReadOnlyMemory<byte> Json(string json) => Encoding.UTF8.GetBytes(json);

    private static string Text(ReadOnlyMemory<byte> json) => Encoding.UTF8.GetString(json.Span);

    private static void AssertJson(string expected, ReadOnlyMemory<byte> actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual.Span)), $"expected {expected}, got {Text(actual)}");

    private static async Task<int> Increment(ActorHandle handle, int amount)
    {
        using var args = ActionArguments.Start();
        args.Add(amount, EngineClientJsonContext.Default.Int32);
        return await handle.InvokeAsync("increment", args, EngineClientJsonContext.Default.Int32, CancellationToken.None);
    }

    private static async Task<int> GetCount(ActorHandle handle)
    {
        using var args = ActionArguments.Start();
        return await handle.InvokeAsync("getCount", args, EngineClientJsonContext.Default.Int32, CancellationToken.None);
    }

    private static readonly JsonSerializerOptions s_options = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            TypeInfoResolver = EngineClientJsonContext.Default,
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            Converters = { RivetJsonConverters.BigInteger, RivetJsonConverters.ByteArray },
        };
        options.MakeReadOnly();
        return options;
    }

    private static JsonTypeInfo<T> TypeInfo<T>() => (JsonTypeInfo<T>)s_options.GetTypeInfo(typeof(T));
}

internal sealed record CounterInput(string Label, byte[] Bytes, BigInteger Big);

internal sealed record Special(BigInteger Big, BigInteger Small, byte[] Bytes, SpecialNested Nested);

internal sealed record SpecialNested(JsonElement List, byte[] Bytes);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(CounterInput))]
[JsonSerializable(typeof(Special))]
internal sealed partial class EngineClientJsonContext : JsonSerializerContext;
