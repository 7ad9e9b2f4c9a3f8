using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading.Tasks;

namespace Rivet.Runtime;

/// <summary>Helpers that generated dispatch code uses to write an action's result, whatever its return type.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ActionDispatch
{
    /// <summary>Writes the result of a synchronous action.</summary>
    public static ValueTask Result<T>(T value, Utf8JsonWriter writer, JsonTypeInfo<T> typeInfo)
    {
        JsonSerializer.Serialize(writer, value, typeInfo);
        return default;
    }

    /// <summary>Writes <c>null</c>: the result of a <see langword="void"/> action.</summary>
    public static ValueTask Void(Utf8JsonWriter writer)
    {
        writer.WriteNullValue();
        return default;
    }

    /// <summary>Awaits an action returning <see cref="Task{TResult}"/> and writes its result.</summary>
    public static ValueTask Result<T>(Task<T> task, Utf8JsonWriter writer, JsonTypeInfo<T> typeInfo) =>
        task.IsCompletedSuccessfully ? Result(task.Result, writer, typeInfo) : Await(task, writer, typeInfo);

    /// <summary>Awaits an action returning <see cref="ValueTask{TResult}"/> and writes its result.</summary>
    public static ValueTask Result<T>(ValueTask<T> task, Utf8JsonWriter writer, JsonTypeInfo<T> typeInfo) =>
        task.IsCompletedSuccessfully ? Result(task.Result, writer, typeInfo) : Await(task, writer, typeInfo);

    /// <summary>Awaits an action returning <see cref="Task"/> and writes <c>null</c>.</summary>
    public static ValueTask Void(Task task, Utf8JsonWriter writer) =>
        task.IsCompletedSuccessfully ? Void(writer) : Await(task, writer);

    /// <summary>Awaits an action returning <see cref="ValueTask"/> and writes <c>null</c>.</summary>
    public static ValueTask Void(ValueTask task, Utf8JsonWriter writer) =>
        task.IsCompletedSuccessfully ? Void(writer) : Await(task, writer);

    /// <summary>The error for an action name the actor does not have.</summary>
    public static ValueTask NotFound(string actor, string action) => ValueTask.FromException(new RivetException(
        RivetErrors.ActorGroup, RivetErrors.ActionNotFound, $"Actor '{actor}' has no action named '{action}'."));

    private static async ValueTask Await<T>(Task<T> task, Utf8JsonWriter writer, JsonTypeInfo<T> typeInfo) =>
        JsonSerializer.Serialize(writer, await task.ConfigureAwait(false), typeInfo);

    private static async ValueTask Await<T>(ValueTask<T> task, Utf8JsonWriter writer, JsonTypeInfo<T> typeInfo) =>
        JsonSerializer.Serialize(writer, await task.ConfigureAwait(false), typeInfo);

    private static async ValueTask Await(Task task, Utf8JsonWriter writer)
    {
        await task.ConfigureAwait(false);
        writer.WriteNullValue();
    }

    private static async ValueTask Await(ValueTask task, Utf8JsonWriter writer)
    {
        await task.ConfigureAwait(false);
        writer.WriteNullValue();
    }
}
