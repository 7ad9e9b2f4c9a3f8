using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Rivet.Codecs.Cbor;
using Rivet.Generated;

namespace Rivet.Benchmarks;

/// <summary>
/// JSON → CBOR of the medium payload (the cbor and bare encodings, and every state save). The before/after ratios
/// of the double fast path were measured against a frozen copy of the old code (see docs/performance.md; the copy
/// is in the history of commit a669006).
/// </summary>
[Config(typeof(BenchConfig))]
public class CborTranscodeBenchmarks
{
    private byte[] _json = [];

    [GlobalSetup]
    public void Setup() => _json = JsonSerializer.SerializeToUtf8Bytes(Order.Sample(), RivetJsonContext.Rivet_Benchmarks_Order);

    [Benchmark]
    public byte[] JsonToCbor() => CborJson.JsonToCborCompat(_json);

    [Benchmark]
    public byte[] CborToJson() => CborJson.CborToJson(_cbor ??= CborJson.JsonToCborCompat(_json));

    private byte[]? _cbor;
}
