using System;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Rivet.Client;

/// <summary>Reads action results on the client side, the same for handles and connections.</summary>
internal static class ActionResults
{
    /// <summary>Deserializes <paramref name="result"/>; <paramref name="actor"/> (a query, an id) is formatted only into the error.</summary>
    public static TResult Read<TResult>(object actor, string action, ReadOnlyMemory<byte> result, JsonTypeInfo<TResult> resultType)
    {
        try
        {
            return JsonSerializer.Deserialize(result.Span, resultType)!;
        }
        catch (JsonException ex)
        {
            throw new RivetException(RivetErrors.ActorGroup, RivetErrors.InvalidRequest,
                $"The result of action '{action}' of actor {actor} is not a valid {typeof(TResult).Name}: {ex.Message}", innerException: ex);
        }
    }
}
