using System;

namespace Rivet;

/// <summary>
/// Declares a durable queue on an actor (RivetKit's <c>queues: { name: queue&lt;TMessage&gt;() }</c>): clients send
/// <typeparamref name="TMessage"/> messages to it (generated <c>Send…</c> methods on the actor's handle, or any
/// RivetKit client's <c>handle.send(name, body)</c>), and the actor's <see cref="Actor.RunAsync"/> loop receives them
/// in order through the generated <c>Queues</c> property. Messages survive sleep and restarts.
/// </summary>
/// <typeparam name="TMessage">The message type (serialized like action arguments).</typeparam>
/// <param name="name">The queue name on the wire.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class QueueAttribute<TMessage>(string name) : Attribute
{
    /// <summary>The queue name on the wire.</summary>
    public string Name { get; } = name;
}

/// <summary>
/// Declares a durable queue whose messages the actor completes with a <typeparamref name="TCompletion"/> response
/// (RivetKit's <c>queue&lt;TMessage, TComplete&gt;()</c>): a sender that waits (<c>Send…AndWait</c>, RivetKit's
/// <c>send(name, body, { wait: true })</c>) gets that response. See <see cref="QueueAttribute{TMessage}"/>.
/// </summary>
/// <typeparam name="TMessage">The message type.</typeparam>
/// <typeparam name="TCompletion">The response a waiting sender gets.</typeparam>
/// <param name="name">The queue name on the wire.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class QueueAttribute<TMessage, TCompletion>(string name) : Attribute
{
    /// <summary>The queue name on the wire.</summary>
    public string Name { get; } = name;
}
