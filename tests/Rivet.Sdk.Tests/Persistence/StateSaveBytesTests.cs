using System;
using System.Buffers;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Codecs.Cbor;
using Rivet.Runtime;
using Rivet.Sdk.Tests.Interop;
using Rivet.Storage;
using Rivet.Storage.Persistence;

namespace Rivet.Sdk.Tests.Persistence;

/// <summary>
/// The state save writes exactly the bytes it wrote before the fast encoding (state JSON transcoded through
/// <c>CborWriter</c>, the record BARE-encoded whole by <see cref="PersistedActorCodec"/>), so RivetKit tools and data
/// stored by earlier versions read the same; and what it writes reads back as the state it saved.
/// </summary>
public sealed class StateSaveBytesTests
{
    private static readonly JsonTypeInfo<SavedState> s_stateType = (JsonTypeInfo<SavedState>)Of<SavedStateActor>().StateType!;

    private static ActorDefinition Of<T>() where T : IGeneratedActor => T.Definition;

    public static IEnumerable<object[]> States()
    {
        yield return [new SavedState()];
        yield return [new SavedState
        {
            Count = int.MinValue,
            Label = "quote \" backslash \\ tab \t newline \n <script> & + ' ` é 😀 \u0001",
            Note = null,
            Nodes =
            [
                new SavedNode { Name = "root", Values = [0, null, 23, 24, 255, 256, 65535, 65536, int.MaxValue, int.MinValue],
                    Child = new SavedNode { Name = new string('x', 300), Child = new SavedNode { Name = "" } } },
                .. Enumerable.Range(0, 30).Select(i => new SavedNode { Name = "n" + i }),
            ],
            Ratios = new() { ["half"] = 0.5, ["tenth"] = 0.1, ["big"] = 1e300, ["tiny"] = 5e-324, ["int"] = 3.0, ["single"] = 3.4028234663852886E+38, ["halfmax"] = 65504 },
            Longs = [0, -1, 4294967295, 4294967296, -4294967297, 9007199254740991, 9007199254740993, long.MaxValue, long.MinValue],
            Zoo = Zoo(),
        }];
        yield return [new SavedState { Label = new string('é', 70000), Nodes = [new SavedNode { Values = [.. Enumerable.Range(0, 300).Select(i => (int?)i)] }] }];
    }

    [Theory]
    [MemberData(nameof(States))]
    public async Task A_saved_record_has_the_bytes_of_the_reference_encoding_and_reads_back(SavedState state)
    {
        var json = Serialize(state);
        var input = """{"name":"in\u00e9","n":[1,2.5,null]}"""u8.ToArray();
        var kv = new InMemoryActorStorage().ForActor("actor");
        var store = new ActorStateStore(kv);
        ScheduledEvent At(string id, int minutes, string args) =>
            new(id, DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000 + minutes * 60_000L), "act", Encoding.UTF8.GetBytes(args));
        IReadOnlyList<ScheduledEvent>[] schedules =
        [
            [],
            [At("e1", 1, "[1]")],
            [At("e1", 1, "[1]"), At("e2", 2, """[{"a":"b"},["$BigInt","12"]]""")],
            [],
        ];
        // Consecutive saves of one store: the kept head and schedule bytes must follow every change.
        foreach (var (schedule, withInput) in schedules.SelectMany(s => new[] { (s, false), (s, true), (s, true) }))
        {
            var saved = new PersistedActorState { HasInitialized = true, Input = withInput ? input : ReadOnlyMemory<byte>.Empty, State = json, ScheduledEvents = schedule };
            await store.SaveAsync(saved, CancellationToken.None);

            var stored = (await kv.GetAsync([KvKeys.PersistedActor.ToArray()]))[0]!;
            var reference = PersistedActorCodec.Encode(new PersistedActor
            {
                Input = withInput ? CborJson.ReferenceJsonToCbor(input, keepCompatArrays: false) : null,
                HasInitialized = true,
                State = CborJson.ReferenceJsonToCbor(json, keepCompatArrays: false),
                ScheduledEvents = [.. schedule.Select(e => new PersistedScheduleEvent
                {
                    EventId = e.Id, Timestamp = e.At.ToUnixTimeMilliseconds(), Action = e.Action,
                    Args = CborJson.ReferenceJsonToCbor(e.ArgumentsJson.Span, keepCompatArrays: false),
                })],
            });
            Assert.Equal(Convert.ToHexString(reference), Convert.ToHexString(stored));

            var loaded = (await store.LoadAsync(CancellationToken.None))!.Value;
            Assert.Equal(Encoding.UTF8.GetString(json), Encoding.UTF8.GetString(Serialize(JsonSerializer.Deserialize(loaded.State.Span, s_stateType)!)));
            Assert.Equal(schedule.Select(e => e.Id), loaded.ScheduledEvents.Select(e => e.Id));
        }
    }

    /// <summary>The state's JSON as the runtime writes it (a writer with default options).</summary>
    private static byte[] Serialize(SavedState state)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            JsonSerializer.Serialize(writer, state, s_stateType);
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static ZooValue Zoo() => new(
        true, -7, long.MinValue, 0.1, 12345.6789m, "zoo \"text\"", Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"),
        new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)), new DateOnly(2024, 2, 29), new TimeOnly(23, 59, 58),
        [0, 1, 2, 255], ZooLevel.High, null, ZooLevel.Low, null, [1, 2, 3], new() { ["a"] = 1 }, new() { [7] = "seven" },
        new ZooPoint { X = 1, Y = -1 }, new ZooPositional("p", 2), new ZooInit { Name = "init", Count = 3 },
        new ZooDerived { Id = 4, Extra = "x" }, new ZooRenamed { Name = "renamed", Secret = 9 }, new ZooCents { Value = 12345 },
        new ZooCat { Name = "tom", Lives = 9 }, new byte[] { 9, 8 }, [5, 6], [1, null]);
}
