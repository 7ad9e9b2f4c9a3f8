using System;
using System.Buffers;
using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using Rivet.Protocol.Envoy;

namespace Rivet.Benchmarks;

/// <summary>
/// Envoy WebSocket frames of one action call, as in /work/shared/rivet-protocol-vectors.json: the engine's
/// ToEnvoyTunnelMessage RequestStart and the runner's ToRivetTunnelMessage ResponseStart.
/// </summary>
[Config(typeof(BenchConfig))]
public class EnvoyFrameBenchmarks
{
    // The vectors' bytes ("ToEnvoyTunnelMessage ToEnvoyRequestStart (action call)", "ToRivetTunnelMessage ToRivetResponseStart").
    private const string RequestStartHex = "04d600ac65ce366f3b0000001e706d35716d35343174706f6b7533676a67686730633365686f72626c30300004504f5354112f616374696f6e2f696e6372656d656e740210782d72697665742d656e636f64696e67046a736f6e0c636f6e74656e742d74797065106170706c69636174696f6e2f6a736f6e010c7b2261726773223a5b335d7d0000";
    private const string ResponseStartHex = "06d600ac65ce366f3b000000c800020c636f6e74656e742d74797065106170706c69636174696f6e2f6a736f6e0e636f6e74656e742d6c656e677468023132010c7b226f7574707574223a337d00";

    private readonly ArrayBufferWriter<byte> _buffer = new(256);
    private byte[] _requestStart = [];
    private byte[] _responseStart = [];
    private ToEnvoyTunnelMessage _request = null!;
    private ToRivetTunnelMessage _response = null!;

    [GlobalSetup]
    public void Setup()
    {
        _requestStart = Convert.FromHexString(RequestStartHex);
        _responseStart = Convert.FromHexString(ResponseStartHex);
        var id = new MessageId { GatewayId = Convert.FromHexString("d600ac65"), RequestId = Convert.FromHexString("ce366f3b"), MessageIndex = 0 };
        _request = new ToEnvoyTunnelMessage
        {
            MessageId = id,
            MessageKind = new ToEnvoyRequestStart
            {
                ActorId = "pm5qm541tpoku3gjghg0c3ehorbl00",
                ActorGeneration = null,
                Method = "POST",
                Path = "/action/increment",
                Headers = new Dictionary<string, string> { ["x-rivet-encoding"] = "json", ["content-type"] = "application/json" },
                Body = "{\"args\":[3]}"u8.ToArray(),
                Stream = false,
                ResponseStream = false,
            },
        };
        _response = new ToRivetTunnelMessage
        {
            MessageId = id,
            MessageKind = new ToRivetResponseStart
            {
                Status = 200,
                Headers = new Dictionary<string, string> { ["content-type"] = "application/json", ["content-length"] = "12" },
                Body = "{\"output\":3}"u8.ToArray(),
                Stream = false,
            },
        };
        if (!ToEnvoy.Encode(_request).AsSpan().SequenceEqual(_requestStart) || !ToRivet.Encode(_response).AsSpan().SequenceEqual(_responseStart))
        {
            throw new InvalidOperationException("the frames do not match the protocol vectors");
        }
    }

    /// <summary>Runner side: encodes the response frame into a reused buffer.</summary>
    [Benchmark]
    public int EncodeResponseStart()
    {
        _buffer.ResetWrittenCount();
        ToRivet.Encode(_response, _buffer);
        return _buffer.WrittenCount;
    }

    /// <summary>Engine side (tests, load tool): decodes the response frame.</summary>
    [Benchmark]
    public object DecodeResponseStart() => ToRivet.Decode(_responseStart);

    /// <summary>Engine side (tests, load tool): encodes the request frame into a reused buffer.</summary>
    [Benchmark]
    public int EncodeRequestStart()
    {
        _buffer.ResetWrittenCount();
        ToEnvoy.Encode(_request, _buffer);
        return _buffer.WrittenCount;
    }

    /// <summary>Runner side: decodes the request frame.</summary>
    [Benchmark]
    public object DecodeRequestStart() => ToEnvoy.Decode(_requestStart);
}
