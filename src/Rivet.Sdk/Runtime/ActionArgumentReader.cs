using System;
using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Rivet.Runtime;

/// <summary>
/// Reads an action's arguments, one by one, from the JSON array a client sent. Used by generated dispatch code;
/// every failure becomes an <c>actor.invalid_request</c> error that names the actor, action and parameter.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public ref struct ActionArgumentReader
{
    private Utf8JsonReader _reader;
    private readonly string _actor;
    private readonly string _action;
    private readonly bool _isEvent;
    private int _position;
    private bool _ended;

    /// <summary>Starts reading <paramref name="arguments"/>; an empty buffer or <c>null</c> means no arguments.</summary>
    public ActionArgumentReader(ReadOnlySpan<byte> arguments, string actor, string action)
        : this(arguments, actor, action, isEvent: false)
    {
    }

    /// <summary>Starts reading the arguments of an action call or, with <paramref name="isEvent"/>, of an event a
    /// client received (generated connections); errors then name the event.</summary>
    public ActionArgumentReader(ReadOnlySpan<byte> arguments, string actor, string action, bool isEvent)
    {
        _actor = actor;
        _action = action;
        _isEvent = isEvent;
        _position = 0;
        _reader = new Utf8JsonReader(arguments);
        _ended = false;
        try
        {
            if (arguments.IsEmpty || !_reader.Read() || _reader.TokenType == JsonTokenType.Null)
            {
                _ended = true;
                return;
            }
        }
        catch (JsonException ex)
        {
            throw Invalid($"its arguments are not valid JSON: {ex.Message}", ex);
        }
        if (_reader.TokenType != JsonTokenType.StartArray)
        {
            throw Invalid($"its arguments must be a JSON array, got {_reader.TokenType}");
        }
    }

    /// <summary>Moves to the next argument; <see langword="false"/> when the client sent no more.</summary>
    public bool Next()
    {
        if (_ended)
        {
            return false;
        }
        try
        {
            if (!_reader.Read())
            {
                throw Invalid("its argument array is not closed");
            }
        }
        catch (JsonException ex)
        {
            throw Invalid($"its arguments are not valid JSON: {ex.Message}", ex);
        }
        if (_reader.TokenType == JsonTokenType.EndArray)
        {
            _ended = true;
            return false;
        }
        return true;
    }

    /// <summary>Reads the argument <see cref="Next"/> moved to.</summary>
    /// <param name="parameter">The parameter's name, for error messages.</param>
    /// <param name="typeInfo">The parameter type's serializer.</param>
    /// <param name="allowNull">Whether the parameter accepts <see langword="null"/>.</param>
    public T Read<T>(string parameter, JsonTypeInfo<T> typeInfo, bool allowNull)
    {
        T? value;
        try
        {
            value = JsonSerializer.Deserialize(ref _reader, typeInfo);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or OverflowException)
        {
            throw Invalid($"argument '{parameter}' (position {_position}) is not a valid {TypeName(typeof(T))}: {ex.Message}", ex);
        }
        if (value is null && !allowNull)
        {
            throw Invalid($"argument '{parameter}' (position {_position}) must not be null");
        }
        _position++;
        return value!;
    }

    /// <summary>Reads a parameter that has no default value: a missing argument is an error.</summary>
    public T ReadRequired<T>(string parameter, JsonTypeInfo<T> typeInfo, bool allowNull)
    {
        if (!Next())
        {
            throw Invalid($"argument '{parameter}' (position {_position}) is missing");
        }
        return Read(parameter, typeInfo, allowNull);
    }

    /// <summary>Checks that the client sent no more arguments than the action's <paramref name="parameterCount"/>.</summary>
    public void End(int parameterCount)
    {
        if (!_ended && Next())
        {
            throw Invalid($"it takes {parameterCount} argument{(parameterCount == 1 ? "" : "s")} but more were sent");
        }
    }

    private readonly RivetException Invalid(string detail, Exception? inner = null) => new(
        RivetErrors.ActorGroup,
        RivetErrors.InvalidRequest,
        _isEvent
            ? $"Event '{_action}' of actor '{_actor}' arrived with bad arguments: {detail}."
            : $"Action '{_action}' of actor '{_actor}' was called with bad arguments: {detail}.",
        innerException: inner);

    private static string TypeName(Type type) => Nullable.GetUnderlyingType(type) is { } inner ? inner.Name + "?" : type.Name;
}
