using System;

namespace Rivet;

/// <summary>
/// Declares an event of an <see cref="ActorAttribute">actor</see>: mark a <c>partial void</c> method without a body,
/// e.g. <c>[Event] partial void NewCount(int count);</c>. The generator implements it as a broadcast to every
/// connection subscribed to the event, adds an overload taking a <see cref="Connection"/> first that sends to that
/// connection only, and adds typed subscriptions (<c>OnNewCount</c>, <c>NewCountEvents</c>) to the generated
/// connection class clients get from <c>Connect</c>.
/// </summary>
/// <remarks>The event's name on the wire is the method name in camelCase (<c>NewCount</c> → <c>newCount</c>), as
/// RivetKit uses, unless <see cref="Name"/> is given. On a method of an <see cref="ActorClientAttribute">[ActorClient]</see>
/// interface it declares an event the remote actor sends, so the generated connection can subscribe to it.</remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class EventAttribute : Attribute
{
    /// <summary>Uses the method name in camelCase as the event name.</summary>
    public EventAttribute() { }

    /// <summary>Uses <paramref name="name"/> as the event name.</summary>
    public EventAttribute(string name) => Name = name;

    /// <summary>The event name on the wire, or <see langword="null"/> for the camelCase method name.</summary>
    public string? Name { get; }
}
