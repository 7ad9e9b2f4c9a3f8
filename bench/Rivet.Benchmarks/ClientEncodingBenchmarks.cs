using System;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Rivet.Generated;
using Rivet.Protocol.Client;

namespace Rivet.Benchmarks;

/// <summary>The client encodings, public for BenchmarkDotNet's generated code (<see cref="ClientEncodingKind"/> is internal).</summary>
public enum WireEncoding
{
    Json,
    Cbor,
    Bare,
}

/// <summary>Payload sizes: one int, or an <see cref="Order"/> (strings, a list of 20 items, a nested object).</summary>
public enum PayloadSize
{
    Small,
    Medium,
}

/// <summary>
/// Action request/response bodies in each client encoding: the four conversions between the runtime's JSON form
/// and the wire (<see cref="ClientEncoding"/>), for a small and a medium payload.
/// </summary>
[Config(typeof(BenchConfig))]
public class ClientEncodingBenchmarks
{
    private ClientEncodingKind _kind;
    private byte[] _argumentsJson = [];
    private byte[] _outputJson = [];
    private byte[] _requestBody = [];
    private byte[] _responseBody = [];

    [Params(WireEncoding.Json, WireEncoding.Cbor, WireEncoding.Bare)]
    public WireEncoding Encoding { get; set; }

    [Params(PayloadSize.Small, PayloadSize.Medium)]
    public PayloadSize Payload { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _kind = (ClientEncodingKind)Encoding;
        if (Payload == PayloadSize.Small)
        {
            _outputJson = JsonSerializer.SerializeToUtf8Bytes(3, RivetJsonContext.Int32);
        }
        else
        {
            _outputJson = JsonSerializer.SerializeToUtf8Bytes(Order.Sample(), RivetJsonContext.Rivet_Benchmarks_Order);
        }
        _argumentsJson = [(byte)'[', .. _outputJson, (byte)']'];
        _requestBody = ClientEncoding.EncodeActionArguments(_kind, _argumentsJson);
        _responseBody = ClientEncoding.EncodeActionOutput(_kind, _outputJson);
        if (!DecodeArguments().AsSpan().SequenceEqual(_argumentsJson) || !DecodeOutput().AsSpan().SequenceEqual(_outputJson))
        {
            throw new InvalidOperationException("round trip changed the payload");
        }
    }

    /// <summary>Client side: JSON arguments array → request body.</summary>
    [Benchmark]
    public byte[] EncodeArguments() => ClientEncoding.EncodeActionArguments(_kind, _argumentsJson);

    /// <summary>Actor side: request body → JSON arguments array.</summary>
    [Benchmark]
    public byte[] DecodeArguments() => ClientEncoding.DecodeActionArguments(_kind, _requestBody);

    /// <summary>Actor side: JSON result → response body.</summary>
    [Benchmark]
    public byte[] EncodeOutput() => ClientEncoding.EncodeActionOutput(_kind, _outputJson);

    /// <summary>Client side: response body → JSON result.</summary>
    [Benchmark]
    public byte[] DecodeOutput() => ClientEncoding.DecodeActionOutput(_kind, _responseBody);
}
