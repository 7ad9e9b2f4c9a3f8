using System;
using System.Buffers;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Codecs.Cbor;
using Rivet.Hosting;
using Rivet.Runtime;
using Rivet.Storage;
using Rivet.Storage.Persistence;

namespace Rivet.Sdk.Tests.Persistence;

// State types of GeneratedStateWriterTests: every shape the generated state writer covers, and two it leaves to
// System.Text.Json's metadata path.

public sealed class WriterLeaf
{
    public string Name { get; set; } = "";
    public string? Note { get; set; }
    public int? Maybe { get; set; }
    public List<string?> Tags { get; set; } = [];
}

public struct WriterPoint
{
    public short X { get; set; }
    public ushort Y { get; set; }
}

public sealed record WriterRecord(string Title, byte Small, sbyte Signed);

public sealed class WriterState
{
    public int Count { get; set; }
    public bool Flag { get; set; }
    public uint Unsigned { get; set; }
    [JsonPropertyName("label$ é")] public string Label { get; set; } = "";
    public string? Note { get; set; }
    public WriterLeaf Leaf { get; set; } = new();
    public WriterLeaf? Optional { get; set; }
    public List<WriterLeaf?> Leaves { get; set; } = [];
    public int[] Numbers { get; set; } = [];
    public List<List<int>>? Grid { get; set; }
    public WriterPoint Point { get; set; }
    public WriterPoint? MaybePoint { get; set; }
    public WriterRecord? Record { get; set; }
    [JsonInclude] internal int Hidden;
    public bool? Tri { get; set; }
    public string URLValue { get; set; } = "";
}

/// <summary>Covered by the generated writer.</summary>
[Actor("writerStateActor")]
public partial class WriterStateActor : Actor<WriterState>
{
    [Action] public int Get() => State.Count;

    [Action] public void Replace(WriterState state) => State = state;

    [Action] public WriterState Read() => State;
}

/// <summary>A member order and an ignore condition the writer does not reproduce: left to the metadata path.</summary>
public sealed class OrderedState
{
    public int A { get; set; }
    [JsonPropertyOrder(-1)] public int B { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public int C { get; set; }
}

[Actor("orderedStateActor")]
public partial class OrderedStateActor : Actor<OrderedState>
{
    [Action] public int Get() => State.A;
}

/// <summary>
/// The generated state writer (<see cref="ActorDefinition.TryWriteState"/>) writes exactly the bytes of System.Text.Json's
/// metadata path for every value of the shapes it covers; declines a null the type forbids (the metadata path throws
/// its error); and is not emitted for shapes it does not cover. Its CBOR writer writes exactly what that JSON
/// transcodes to, so a save stores the bytes it stored before.
/// </summary>
public sealed class GeneratedStateWriterTests
{
    private static ActorDefinition Of<T>() where T : IGeneratedActor => T.Definition;

    private static readonly ActorDefinition s_definition = Of<WriterStateActor>();

    public static IEnumerable<object[]> Values()
    {
        yield return [new WriterState()];
        yield return [new WriterState
        {
            Count = int.MinValue,
            Flag = true,
            Unsigned = uint.MaxValue,
            Label = "quote \" backslash \\ tab \t newline \n <script> & + ' ` é 😀 \u0001 \u007f \u2028",
            Note = "lone \ud800 surrogate and \udc00 too",
            Leaf = new WriterLeaf { Name = new string('é', 3000), Note = null, Maybe = 0, Tags = ["a", null, ""] },
            Optional = new WriterLeaf { Maybe = int.MaxValue },
            Leaves = [null, new WriterLeaf { Name = "x" }],
            Numbers = [0, -1, 23, 24, 255, 256, 65535, 65536, int.MaxValue],
            Grid = [[], [1, 2], []],
            Point = new WriterPoint { X = short.MinValue, Y = ushort.MaxValue },
            MaybePoint = new WriterPoint { X = 7 },
            Record = new WriterRecord("t", byte.MaxValue, sbyte.MinValue),
            Hidden = 42,
            Tri = false,
            URLValue = "u",
        }];
    }

    [Theory]
    [MemberData(nameof(Values))]
    public void The_generated_writer_writes_the_bytes_of_the_metadata_path(WriterState state) =>
        Assert.Equal(Reference(state), Generated(state));

    [Theory]
    [MemberData(nameof(Values))]
    public void The_generated_cbor_writer_writes_what_the_json_transcodes_to(WriterState state) =>
        Assert.Equal(CborJson.JsonToCbor(Reference(state)), GeneratedCbor(state));

    [Fact]
    public void Random_values_give_the_same_bytes_both_ways()
    {
        var random = new Random(17);
        for (var i = 0; i < 500; i++)
        {
            var state = RandomState(random);
            var reference = Reference(state);
            Assert.True(reference.AsSpan().SequenceEqual(Generated(state)), $"value {i}: {Encoding.UTF8.GetString(reference)}");
            var cbor = new StateCborWriter();
            if (s_definition.TryWriteStateCbor(ActorWith(state), cbor))
            {
                Assert.True(CborJson.JsonToCbor(reference).AsSpan().SequenceEqual(cbor.Written), $"value {i} as CBOR: {Encoding.UTF8.GetString(reference)}");
            }
            else
            {
                // Declined only for a tag list that may be a compat array.
                Assert.Contains(new[] { state.Leaf }.Concat(state.Leaves).Append(state.Optional), leaf => leaf?.Tags is [{ } first, ..] && first.StartsWith('$'));
            }
        }
    }

    [Fact]
    public void A_string_array_that_may_be_a_compat_array_is_left_to_the_transcoder()
    {
        var writer = new StateCborWriter();
        Assert.False(s_definition.TryWriteStateCbor(ActorWith(new WriterState { Leaf = new WriterLeaf { Tags = ["$BigInt", "12"] } }), writer));
        Assert.True(s_definition.TryWriteStateCbor(ActorWith(new WriterState { Leaf = new WriterLeaf { Tags = ["BigInt", "$12"] } }), writer));
    }

    [Fact]
    public async Task A_save_with_the_pre_encoded_state_stores_the_bytes_of_a_transcoded_one()
    {
        var random = new Random(5);
        for (var i = 0; i < 50; i++)
        {
            var state = RandomState(random);
            var json = Reference(state);
            var record = new PersistedActorState { HasInitialized = true, State = json };
            var transcoded = new InMemoryActorStorage().ForActor("a");
            await new ActorStateStore(transcoded).SaveAsync(record, CancellationToken.None);
            var preEncoded = new InMemoryActorStorage().ForActor("a");
            ActorStateStore.PreEncode(json, s_definition, ActorWith(state));
            await new ActorStateStore(preEncoded).SaveAsync(record, CancellationToken.None);
            var key = KvKeys.PersistedActor.ToArray();
            Assert.Equal((await transcoded.GetAsync([key]))[0], (await preEncoded.GetAsync([key]))[0]);
        }
    }

    [Fact]
    public async Task States_saved_through_the_generated_writers_read_back_on_a_new_host()
    {
        var storage = new InMemoryActorStorage();
        var random = new Random(9);
        var states = Enumerable.Range(0, 5).Select(_ => RandomState(random)).ToList();
        await using (var host = await RivetHost.StartAsync(new RivetHostOptions { Storage = storage, ReadEnvironment = false }))
        {
            for (var i = 0; i < states.Count; i++)
            {
                await host.Client.WriterStateActor.GetOrCreate("w" + i).Replace(states[i]);
            }
        }
        await using var reader = await RivetHost.StartAsync(new RivetHostOptions { Storage = storage, ReadEnvironment = false });
        for (var i = 0; i < states.Count; i++)
        {
            Assert.Equal(Reference(states[i]), Reference(await reader.Client.WriterStateActor.Get("w" + i).Read()));
        }
    }

    [Fact]
    public void A_null_the_state_type_forbids_is_left_to_the_metadata_path_which_refuses_it()
    {
        var state = new WriterState { Label = null! };
        var actor = ActorWith(state);
        using var writer = new Utf8JsonWriter(new ArrayBufferWriter<byte>());
        Assert.False(s_definition.TryWriteState(actor, writer));
        Assert.Throws<JsonException>(() => JsonSerializer.Serialize(state, (JsonTypeInfo<WriterState>)s_definition.StateType!));

        var nested = new WriterState { Leaf = new WriterLeaf { Name = null! } };
        Assert.False(s_definition.TryWriteState(ActorWith(nested), new Utf8JsonWriter(new ArrayBufferWriter<byte>())));
    }

    [Fact]
    public void Shapes_the_writer_does_not_cover_keep_the_metadata_path()
    {
        using var writer = new Utf8JsonWriter(new ArrayBufferWriter<byte>());
        var ordered = Of<OrderedStateActor>();
        var actor = ordered.CreateInstance();
        actor.ReadState(ordered, """{"b":2,"a":1}"""u8);
        Assert.False(ordered.TryWriteState(actor, writer));
        // The state of StateSaveBytesTests holds a dictionary and doubles.
        var saved = Of<SavedStateActor>();
        var savedActor = saved.CreateInstance();
        savedActor.ReadState(saved, "{}"u8);
        Assert.False(saved.TryWriteState(savedActor, writer));
    }

    private static WriterState RandomState(Random random)
    {
        string? Text(bool nullable)
        {
            if (nullable && random.Next(4) == 0)
            {
                return null;
            }
            var length = random.Next(0, 12);
            var chars = new char[length];
            for (var i = 0; i < length; i++)
            {
                chars[i] = random.Next(5) switch
                {
                    0 => (char)random.Next(0, 0x80),
                    1 => (char)random.Next(0x80, 0x800),
                    2 => (char)random.Next(0xD800, 0xE000), // surrogates, paired or not
                    3 => "\"\\<>&'+`\u2028"[random.Next(9)],
                    _ => (char)random.Next(0x20, 0x7F),
                };
            }
            return new string(chars);
        }
        WriterLeaf Leaf() => new()
        {
            Name = Text(false)!,
            Note = Text(true),
            Maybe = random.Next(3) == 0 ? null : random.Next(int.MinValue, int.MaxValue),
            Tags = [.. Enumerable.Range(0, random.Next(4)).Select(_ => Text(true))],
        };
        return new WriterState
        {
            Count = random.Next(int.MinValue, int.MaxValue),
            Flag = random.Next(2) == 0,
            Unsigned = (uint)random.NextInt64(0, uint.MaxValue + 1L),
            Label = Text(false)!,
            Note = Text(true),
            Leaf = Leaf(),
            Optional = random.Next(2) == 0 ? null : Leaf(),
            Leaves = [.. Enumerable.Range(0, random.Next(4)).Select(_ => random.Next(3) == 0 ? null : Leaf())],
            Numbers = [.. Enumerable.Range(0, random.Next(5)).Select(_ => random.Next(int.MinValue, int.MaxValue))],
            Grid = random.Next(3) == 0 ? null : [.. Enumerable.Range(0, random.Next(3)).Select(_ => Enumerable.Range(0, random.Next(3)).Select(_ => random.Next(-300, 300)).ToList())],
            Point = new WriterPoint { X = (short)random.Next(short.MinValue, short.MaxValue + 1), Y = (ushort)random.Next(0, ushort.MaxValue + 1) },
            MaybePoint = random.Next(2) == 0 ? null : new WriterPoint { X = (short)random.Next(-5, 5) },
            Record = random.Next(2) == 0 ? null : new WriterRecord(Text(false)!, (byte)random.Next(256), (sbyte)random.Next(-128, 128)),
            Hidden = random.Next(),
            Tri = random.Next(3) switch { 0 => null, 1 => true, _ => false },
            URLValue = Text(false)!,
        };
    }

    private static byte[] Reference(WriterState state) =>
        JsonSerializer.SerializeToUtf8Bytes(state, (JsonTypeInfo<WriterState>)s_definition.StateType!);

    private static byte[] Generated(WriterState state)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using var writer = new Utf8JsonWriter(buffer);
        Assert.True(s_definition.TryWriteState(ActorWith(state), writer), "the generated writer declined a covered value");
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] GeneratedCbor(WriterState state)
    {
        var writer = new StateCborWriter();
        Assert.True(s_definition.TryWriteStateCbor(ActorWith(state), writer), "the generated CBOR writer declined a covered value");
        return writer.Written.ToArray();
    }

    private static Actor ActorWith(WriterState state)
    {
        var actor = (WriterStateActor)s_definition.CreateInstance();
        actor.SetState(state);
        return actor;
    }
}

public partial class WriterStateActor
{
    internal void SetState(WriterState state) => State = state;
}
