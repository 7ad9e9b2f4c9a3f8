using System;

namespace Rivet;

/// <summary>
/// Marks a <c>partial</c> class deriving from <see cref="Actor"/> as a Rivet actor. The source generator emits
/// its typed client, action dispatch, serializers and registration.
/// </summary>
/// <remarks>The actor's name on the wire is the class name in camelCase (<c>Counter</c> → <c>counter</c>)
/// unless <see cref="Name"/> is given.</remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ActorAttribute : Attribute
{
    /// <summary>Uses the class name in camelCase as the actor name.</summary>
    public ActorAttribute() { }

    /// <summary>Uses <paramref name="name"/> as the actor name.</summary>
    public ActorAttribute(string name) => Name = name;

    /// <summary>The actor name clients use, or <see langword="null"/> for the camelCase class name.</summary>
    public string? Name { get; }
}

/// <summary>
/// Marks a public instance method of an <see cref="ActorAttribute">actor</see> as an action that clients can call.
/// </summary>
/// <remarks>The action's name on the wire is the method name in camelCase (<c>Increment</c> → <c>increment</c>),
/// as RivetKit clients call it, unless <see cref="Name"/> is given. A trailing <see cref="System.Threading.CancellationToken"/>
/// parameter is bound by the runtime and never travels on the wire. On a method of an <see cref="ActorClientAttribute">[ActorClient]</see>
/// interface it sets the wire name the generated client calls.</remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class ActionAttribute : Attribute
{
    /// <summary>Uses the method name in camelCase as the action name.</summary>
    public ActionAttribute() { }

    /// <summary>Uses <paramref name="name"/> as the action name.</summary>
    public ActionAttribute(string name) => Name = name;

    /// <summary>The action name clients use, or <see langword="null"/> for the camelCase method name.</summary>
    public string? Name { get; }
}
