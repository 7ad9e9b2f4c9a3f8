using Rivet.Generators.Helpers;
using Rivet.Generators.Serialization;

namespace Rivet.Generators.Model;

/// <summary>Everything the emitters need to know about one valid [ActorClient] interface. Value-equal, free of source positions.</summary>
/// <param name="Namespace">The containing namespace, or an empty string for the global namespace.</param>
/// <param name="InterfaceName">The interface name as declared (without escaping).</param>
/// <param name="FullyQualifiedName">The interface as C# source with <c>global::</c>.</param>
/// <param name="ClientName">The name the generated code is named after: the interface name without its leading <c>I</c>
/// (<c>ICounter</c> → <c>Counter</c>: <c>CounterHandle</c>, <c>CounterAccessor</c>, <c>client.Counter</c>).</param>
/// <param name="IsPublic">Whether the interface is public (else internal); the generated types get the same accessibility.</param>
/// <param name="ActorName">The actor name on the wire.</param>
/// <param name="Input">The creation input's serializer, or null when the actor takes none.</param>
/// <param name="InputTypeName">The input type as C# source, or null.</param>
/// <param name="Methods">The interface's methods to implement, in declaration order.</param>
/// <param name="Events">The <c>[Event]</c> methods: events the remote actor sends, which the generated connection subscribes to.</param>
/// <param name="Connection">The connection parameter type (<c>ConnectionParamsType</c>), or null.</param>
internal sealed record ActorClientModel(
    string Namespace,
    string InterfaceName,
    string FullyQualifiedName,
    string ClientName,
    bool IsPublic,
    string ActorName,
    SerializableType? Input,
    string? InputTypeName,
    EquatableArray<ClientMethodModel> Methods,
    EquatableArray<EventModel> Events = default,
    ConnectionTypes? Connection = null)
{
    /// <summary>A hint-name prefix that cannot collide between interfaces: the interface's full metadata name.</summary>
    public string HintPrefix => Namespace.Length == 0 ? InterfaceName : Namespace + "." + InterfaceName;

    /// <summary>The name the generated types claim in their namespace (compared with actors and other clients).</summary>
    public ClientNameClaim Claim => new(Namespace, ClientName, FullyQualifiedName, IsActor: false);
}

/// <summary>One interface method, implemented by a call to the action <see cref="WireName"/>.</summary>
/// <param name="MethodName">The C# method name (escaped when it is a keyword).</param>
/// <param name="DeclaringInterface">The interface that declares the method (the client or one of its bases), as C# source.</param>
/// <param name="WireName">The action name on the wire.</param>
/// <param name="ReturnKind">Task, ValueTask, Task&lt;T&gt; or ValueTask&lt;T&gt;: the handle returns exactly the declared type.</param>
/// <param name="Result">The serializer of the result, or null when the method returns a bare task.</param>
/// <param name="ResultTypeName">The result type as C# source (nullable annotations kept), or null.</param>
/// <param name="Parameters">Every parameter in order, CancellationTokens included (they cancel the call, never travel).</param>
/// <param name="ExplicitImplementation">Implemented explicitly because its name is taken by a member of the handle
/// (<c>Handle</c>, <c>ResolveAsync</c>, <c>ToString</c> …).</param>
internal sealed record ClientMethodModel(
    string MethodName,
    string DeclaringInterface,
    string WireName,
    ReturnKind ReturnKind,
    SerializableType? Result,
    string? ResultTypeName,
    EquatableArray<ParameterModel> Parameters,
    bool ExplicitImplementation);

/// <summary>The generated type names an actor or actor client takes in its namespace (<c>{Name}Handle</c>, …).</summary>
/// <param name="Namespace">The namespace.</param>
/// <param name="Name">The actor class name, or the client name.</param>
/// <param name="Owner">The actor class or interface, as C# source.</param>
/// <param name="IsActor">True for an [Actor] class (which wins a clash).</param>
internal sealed record ClientNameClaim(string Namespace, string Name, string Owner, bool IsActor);

/// <summary>The result of parsing one [ActorClient] interface: the model (null when skipped), its diagnostics, and where
/// the interface name is declared (for the name-clash diagnostic).</summary>
internal sealed record ActorClientParseResult(ActorClientModel? Client, EquatableArray<DiagnosticInfo> Diagnostics, LocationInfo? Location = null)
{
    public static ActorClientParseResult Empty { get; } = new(null, EquatableArray<DiagnosticInfo>.Empty);
}
