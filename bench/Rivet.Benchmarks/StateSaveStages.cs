using System;
using System.Buffers;
using System.Diagnostics;
using System.Linq;
using System.Text.Json;
using System.Threading;
using Rivet.Codecs.Cbor;
using Rivet.Generated;
using Rivet.Storage;
using Rivet.Storage.Persistence;

namespace Rivet.Benchmarks;

/// <summary>
/// The stages of one embedded state save, timed alone (median ns of 7 rounds): serialize the state to JSON, compare
/// it with the saved bytes, copy it, transcode it to CBOR, BARE-encode the record and put it into
/// <see cref="InMemoryActorStorage"/>; for <see cref="BenchCounterState"/> and the medium <see cref="Order"/>.
/// <c>dotnet run -c Release --project bench/Rivet.Benchmarks -- --state-stages</c>.
/// </summary>
internal static class StateSaveStages
{
    private const int Rounds = 7;
    private const int Iterations = 200_000;

    public static void Run()
    {
        Stages("counter", new BenchCounterState { Count = 12345 }, RivetJsonContext.Rivet_Benchmarks_BenchCounterState);
        Stages("order", Order.Sample(), RivetJsonContext.Rivet_Benchmarks_Order);
    }

    private static void Stages<T>(string name, T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info)
    {
        var json = new ArrayBufferWriter<byte>(256);
        var writer = new Utf8JsonWriter(json);
        void Serialize()
        {
            json.ResetWrittenCount();
            writer.Reset(json);
            JsonSerializer.Serialize(writer, value, info);
            writer.Flush();
        }
        Serialize();
        var saved = json.WrittenSpan.ToArray();
        var cbor = new ArrayBufferWriter<byte>(256);
        var record = new ArrayBufferWriter<byte>(256);
        CborJson.JsonToCbor(saved, cbor);
        var stateCbor = cbor.WrittenSpan.ToArray();
        var kv = new InMemoryActorStorage().ForActor("a");
        var key = KvKeys.PersistedActor.ToArray();
        var one = new KvEntry[1];
        var sink = 0;

        Report(name, "serialize JSON", Time(Serialize));
        Report(name, "compare", Time(() => sink += json.WrittenSpan.SequenceEqual(saved) ? 1 : 0));
        Report(name, "copy (ToArray)", Time(() => sink += json.WrittenSpan.ToArray().Length));
        Report(name, "JSON → CBOR", Time(() => { cbor.ResetWrittenCount(); CborJson.JsonToCbor(saved, cbor); }));
#if !RIVET_BASELINE
        Report(name, "JSON → CBOR reference", Time(() => sink += CborJson.ReferenceJsonToCbor(saved, keepCompatArrays: false).Length));
        Report(name, "JSON → CBOR direct", Time(() =>
        {
            cbor.ResetWrittenCount();
            sink += DirectJsonToCbor.TryWrite(saved, cbor, keepCompatArrays: false, CborJson.DefaultMaxDepth) ? 1 : 0;
        }));
#endif
        Report(name, "BARE record + ToArray", Time(() =>
        {
            record.ResetWrittenCount();
            PersistedActorCodec.Encode(null, true, stateCbor, [], record);
            sink += record.WrittenSpan.ToArray().Length;
        }));
        var stored = record.WrittenSpan.ToArray();
        Report(name, "in-memory put", Time(() =>
        {
            one[0] = new KvEntry(key, stored);
            kv.PutAsync(one).GetAwaiter().GetResult();
        }));
        GC.KeepAlive(sink);
    }

    private static void Report(string name, string stage, double ns) => Console.WriteLine($"{name,-8} {stage,-24} {ns,8:0.0} ns");

    private static double Time(Action stage)
    {
        for (var i = 0; i < Iterations; i++)
        {
            stage();
        }
        var rounds = new double[Rounds];
        for (var r = 0; r < Rounds; r++)
        {
            var started = Stopwatch.GetTimestamp();
            for (var i = 0; i < Iterations; i++)
            {
                stage();
            }
            rounds[r] = Stopwatch.GetElapsedTime(started).TotalNanoseconds / Iterations;
        }
        return rounds.Order().ElementAt(Rounds / 2);
    }
}
