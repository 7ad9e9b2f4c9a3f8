using System;
using System.Buffers;
using System.Collections.Generic;
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
/// <see cref="InMemoryActorStorage"/> (median CPU time per call of 7 rounds); for <see cref="BenchCounterState"/> and the medium <see cref="Order"/>.
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

        var stages = new List<(string Stage, Action Run)>();
        stages.Add(("serialize JSON", Serialize));
        stages.Add(("compare", () => sink += json.WrittenSpan.SequenceEqual(saved) ? 1 : 0));
        stages.Add(("copy (ToArray)", () => sink += json.WrittenSpan.ToArray().Length));
        stages.Add(("JSON → CBOR", () => { cbor.ResetWrittenCount(); CborJson.JsonToCbor(saved, cbor); }));
#if !RIVET_BASELINE
        stages.Add(("JSON → CBOR reference", () => sink += CborJson.ReferenceJsonToCbor(saved, keepCompatArrays: false).Length));
        stages.Add(("JSON → CBOR direct", () =>
        {
            cbor.ResetWrittenCount();
            sink += DirectJsonToCbor.TryWrite(saved, cbor, keepCompatArrays: false, CborJson.DefaultMaxDepth) ? 1 : 0;
        }));
#endif
        stages.Add(("BARE record + ToArray", () =>
        {
            record.ResetWrittenCount();
            PersistedActorCodec.Encode(null, true, stateCbor, [], record);
            sink += record.WrittenSpan.ToArray().Length;
        }));
        var stored = record.WrittenSpan.ToArray();
        stages.Add(("in-memory put", () =>
        {
            one[0] = new KvEntry(key, stored);
            kv.PutAsync(one).GetAwaiter().GetResult();
        }));
        var store = new Rivet.Runtime.ActorStateStore(kv);
        var persisted = new Rivet.Runtime.PersistedActorState { HasInitialized = true, State = saved };
        stages.Add(("store save: CBOR+record+put", () => store.SaveAsync(persisted, CancellationToken.None).GetAwaiter().GetResult()));
        // Every stage once before any is timed, so none is timed before the runtime optimized the shared code.
        foreach (var (_, run) in stages)
        {
            Time(run);
        }
        foreach (var (stage, run) in stages)
        {
            Report(name, stage, Time(run));
        }
        GC.KeepAlive(sink);
    }

    private static void Report(string name, string stage, double ns) => Console.WriteLine($"{name,-8} {stage,-28} {ns,8:0.0} ns");

    private static double Time(Action stage)
    {
        for (var i = 0; i < Iterations; i++)
        {
            stage();
        }
        var rounds = new double[Rounds];
        using var process = Process.GetCurrentProcess();
        for (var r = 0; r < Rounds; r++)
        {
            // CPU time, not wall time: on the shared machine the process is often descheduled.
            var started = process.TotalProcessorTime;
            for (var i = 0; i < Iterations; i++)
            {
                stage();
            }
            process.Refresh();
            rounds[r] = (process.TotalProcessorTime - started).TotalNanoseconds / Iterations;
        }
        return rounds.Order().ElementAt(Rounds / 2);
    }
}
