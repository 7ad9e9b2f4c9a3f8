using System;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Rivet.Benchmarks.Baseline;
using Rivet.Codecs.Cbor;
using Rivet.Generated;

namespace Rivet.Benchmarks;

/// <summary>
/// JSON → CBOR of the medium payload (the cbor and bare encodings, and every state save): the runtime's
/// <see cref="CborJson"/> against <see cref="CborJsonBaseline"/>, a frozen copy from before the double fast path.
/// </summary>
[Config(typeof(BenchConfig))]
public class CborTranscodeBenchmarks
{
    private byte[] _json = [];

    [GlobalSetup]
    public void Setup()
    {
        _json = JsonSerializer.SerializeToUtf8Bytes(Order.Sample(), RivetJsonContext.Rivet_Benchmarks_Order);
        if (!Current().AsSpan().SequenceEqual(Before()))
        {
            throw new InvalidOperationException("the fast path changed the CBOR");
        }
    }

    [Benchmark(Baseline = true)]
    public byte[] Before() => CborJsonBaseline.JsonToCborCompat(_json);

    [Benchmark]
    public byte[] Current() => CborJson.JsonToCborCompat(_json);
}
