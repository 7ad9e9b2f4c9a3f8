using System.Text.Json;

namespace Rivet.Testing;

/// <summary>An event an actor broadcast (<c>[Event]</c>), recorded by the <see cref="RivetTestHost"/> whether or not a connection listened.</summary>
/// <param name="ActorName">The actor name (e.g. <c>counter</c>).</param>
/// <param name="Key">The actor's key.</param>
/// <param name="ActorId">The actor's id.</param>
/// <param name="EventName">The event's wire name (e.g. <c>newCount</c>).</param>
/// <param name="ArgumentsJson">The event's arguments as a JSON array (e.g. <c>[5]</c>).</param>
public sealed record SentEvent(string ActorName, ActorKey Key, string ActorId, string EventName, string ArgumentsJson)
{
    /// <summary>The first argument, read as <typeparamref name="T"/> (most events carry one value).</summary>
    public T? Argument<T>()
    {
        using var document = JsonDocument.Parse(ArgumentsJson);
        return document.RootElement.GetArrayLength() == 0 ? default : document.RootElement[0].Deserialize<T>(JsonSerializerOptions.Web);
    }
}
