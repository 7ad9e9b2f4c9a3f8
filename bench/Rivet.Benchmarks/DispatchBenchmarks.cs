using System;
using System.Buffers;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Threading;
using BenchmarkDotNet.Attributes;
using Rivet.Generated;
using Rivet.Runtime;

namespace Rivet.Benchmarks;

/// <summary>
/// Generated <see cref="ActorDefinition.DispatchAsync"/> (action name → method → result written to a reused
/// <see cref="Utf8JsonWriter"/>) against a reflection baseline doing the same work: MethodInfo lookup by name,
/// arguments read and result written with the same JsonTypeInfo, MethodInfo.Invoke.
/// </summary>
[Config(typeof(BenchConfig))]
public class DispatchBenchmarks
{
    private ActorDefinition _definition = null!;
    private BenchCounter _actor = null!;
    private readonly ArrayBufferWriter<byte> _buffer = new(256);
    private Utf8JsonWriter _writer = null!;
    private ReadOnlyMemory<byte> _arguments;

    /// <summary>The action called: one int argument and an int result, or no argument.</summary>
    [Params("increment", "getCount")]
    public string Action { get; set; } = "increment";

    [GlobalSetup]
    public void Setup()
    {
        _definition = BenchDefinitions.Of<BenchCounter>();
        _actor = (BenchCounter)_definition.CreateInstance();
        _actor.ReadState(_definition, "{\"count\":0}"u8);
        _writer = new Utf8JsonWriter(_buffer);
        _arguments = Action == "increment" ? Encoding.UTF8.GetBytes("[1]") : Encoding.UTF8.GetBytes("[]");
        // Both paths must produce the same bytes.
        var generated = Generated();
        var reflection = Reflection();
        if (generated != reflection)
        {
            throw new InvalidOperationException($"generated wrote {generated} bytes, reflection {reflection}");
        }
    }

    [Benchmark(Baseline = true)]
    public int Generated()
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        var pending = _definition.DispatchAsync(_actor, Action, _arguments, _writer, CancellationToken.None);
        if (!pending.IsCompletedSuccessfully)
        {
            pending.AsTask().GetAwaiter().GetResult();
        }
        _writer.Flush();
        return _buffer.WrittenCount;
    }

    [Benchmark]
    public int Reflection()
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        var method = typeof(BenchCounter).GetMethod(Action, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)
            ?? throw new InvalidOperationException("no action " + Action);
        var parameters = method.GetParameters();
        var values = new object?[parameters.Length];
        var reader = new Utf8JsonReader(_arguments.Span);
        reader.Read(); // [
        for (var i = 0; i < parameters.Length; i++)
        {
            reader.Read();
            values[i] = reader.TokenType == JsonTokenType.EndArray
                ? parameters[i].DefaultValue
                : JsonSerializer.Deserialize(ref reader, RivetJsonContext.Options.GetTypeInfo(parameters[i].ParameterType));
        }
        var result = method.Invoke(_actor, values);
        JsonSerializer.Serialize(_writer, result, RivetJsonContext.Options.GetTypeInfo(method.ReturnType));
        _writer.Flush();
        return _buffer.WrittenCount;
    }
}
