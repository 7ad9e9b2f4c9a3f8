using System;
using System.Buffers;
using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Rivet.Runtime;

/// <summary>
/// Builds the JSON array of an action call's arguments on the client side. Used by generated client handles;
/// the buffer is returned to a per-thread cache once the call has sent it.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ActionArguments : IDisposable
{
    [ThreadStatic]
    private static ActionArguments? t_cached;

    private readonly ArrayBufferWriter<byte> _buffer = new(64);
    private readonly Utf8JsonWriter _writer;
    private bool _completed;

    private ActionArguments()
    {
        _writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = true });
    }

    /// <summary>Starts an argument list.</summary>
    public static ActionArguments Start()
    {
        var args = t_cached ?? new ActionArguments();
        t_cached = null;
        args._completed = false;
        args._writer.WriteStartArray();
        return args;
    }

    /// <summary>Appends one argument.</summary>
    public void Add<T>(T value, JsonTypeInfo<T> typeInfo) => JsonSerializer.Serialize(_writer, value, typeInfo);

    /// <summary>Closes the array and returns its UTF-8 JSON; valid until <see cref="Dispose"/>.</summary>
    public ReadOnlyMemory<byte> Complete()
    {
        if (!_completed)
        {
            _writer.WriteEndArray();
            _writer.Flush();
            _completed = true;
        }
        return _buffer.WrittenMemory;
    }

    /// <summary>Clears the buffer and keeps it for the next call on this thread.</summary>
    public void Dispose()
    {
        _writer.Reset();
        _buffer.ResetWrittenCount();
        if (_buffer.Capacity <= 64 * 1024)
        {
            t_cached = this;
        }
    }
}
