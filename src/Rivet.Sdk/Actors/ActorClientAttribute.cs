using System;

namespace Rivet;

/// <summary>
/// Declares a typed client for an actor that is not written in C# (for example a RivetKit TypeScript actor), or
/// that lives in another service. The source generator implements the interface with a handle that calls the actor
/// over the wire, and adds <c>client.{Name}</c> to <see cref="RivetClient"/> exactly as it does for
/// <see cref="ActorAttribute">[Actor]</see> classes.
/// </summary>
/// <remarks>
/// <para>Every instance method of the interface is an action. Its wire name is the method name in camelCase
/// (<c>GetCount</c> → <c>getCount</c>) unless <see cref="ActionAttribute">[Action("name")]</see> sets it. It must
/// return <see cref="System.Threading.Tasks.Task"/>, <see cref="System.Threading.Tasks.Task{TResult}"/>,
/// <see cref="System.Threading.Tasks.ValueTask"/> or <see cref="System.Threading.Tasks.ValueTask{TResult}"/>;
/// parameters and results are serialized as JSON like those of C# actors. A <see cref="System.Threading.CancellationToken"/>
/// parameter cancels the call and never travels on the wire.</para>
/// <para>For <c>ICounter</c> (or <c>Counter</c>) the generator emits <c>CounterHandle</c> (implements the interface),
/// <c>CounterAccessor</c> (<c>Get</c>, <c>GetOrCreate</c>, <c>Create</c>, <c>GetForId</c>) and the extension property
/// <c>client.Counter</c>, in the interface's namespace. The interface need not be <c>partial</c>.</para>
/// <para>A <c>void</c> method marked <see cref="EventAttribute">[Event]</see> declares an event the actor sends: the
/// generated <c>CounterConnection</c> (from <c>CounterHandle.Connect</c>) gets <c>OnNewCount</c> and
/// <c>NewCountEvents</c> for it. Give it a default body (<c>[Event] void NewCount(int count) { }</c>) or leave it
/// abstract: the handle then implements it explicitly, throwing, since events are received, not sent.</para>
/// <example>
/// <code>
/// [ActorClient("counter")]
/// public interface ICounter
/// {
///     Task&lt;int&gt; Increment(int amount);
///     Task&lt;int&gt; GetCount(CancellationToken cancellationToken = default);
///     [Action("reset")] Task Clear();
/// }
///
/// var count = await client.Counter.GetOrCreate("k").Increment(5);
/// </code>
/// </example>
/// </remarks>
[AttributeUsage(AttributeTargets.Interface, AllowMultiple = false, Inherited = false)]
public sealed class ActorClientAttribute : Attribute
{
    /// <summary>Declares a client for the actor called <paramref name="name"/>.</summary>
    /// <param name="name">The actor name on the wire, as the actor's own code registers it.</param>
    public ActorClientAttribute(string name) => Name = name;

    /// <summary>The actor name on the wire.</summary>
    public string Name { get; }

    /// <summary>
    /// The type of the actor's creation input, or <see langword="null"/> when it takes none. When set,
    /// <c>GetOrCreate</c> and <c>Create</c> gain overloads that take the input.
    /// </summary>
    public Type? InputType { get; set; }

    /// <summary>
    /// The type of the parameters clients pass when they connect (the actor's <c>IConnectionParams&lt;TParams&gt;</c>),
    /// or <see langword="null"/> when it takes none. When set, the generated <c>Connect</c> takes one.
    /// </summary>
    public Type? ConnectionParamsType { get; set; }
}
