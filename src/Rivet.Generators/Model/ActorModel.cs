using Rivet.Generators.Helpers;
using Rivet.Generators.Serialization;

namespace Rivet.Generators.Model;

/// <summary>
/// Everything the emitters need to know about one valid [Actor] class. Value-equal, and free of source positions:
/// an edit that only moves the actor (a line added above it) leaves the model equal, so nothing is emitted again.
/// </summary>
/// <param name="Namespace">The containing namespace, or an empty string for the global namespace.</param>
/// <param name="ClassName">The class name as declared (without escaping).</param>
/// <param name="FullyQualifiedName">The class as C# source with <c>global::</c>.</param>
/// <param name="IsPublic">Whether the class is public (else internal); the client gets the same accessibility.</param>
/// <param name="ActorName">The actor name on the wire.</param>
/// <param name="State">The state type's serializer, or null for a stateless actor.</param>
/// <param name="Input">The input type's serializer, or null when the actor takes none.</param>
/// <param name="InputTypeName">The input type as C# source (nullable annotations kept), or null.</param>
/// <param name="StateFactory">The expression creating the default state, or null.</param>
/// <param name="Actions">The valid actions, in declaration order.</param>
/// <param name="Events">The valid <c>[Event]</c> declarations, in declaration order.</param>
/// <param name="Connection">The connection parameter and state types, or null when the actor declares neither.</param>
/// <param name="EmitSchedule">Whether to generate the typed <c>Schedule</c> property (false when the actor has a member of that name).</param>
/// <param name="EmitConnect">Whether the handle gets <c>Connect</c> (false when an action takes that name).</param>
/// <param name="EmitClient">Whether the client file (handle, connection, accessor) is generated (false when a user type takes one of its names).</param>
/// <param name="Queues">The valid <c>[Queue]</c> declarations, in declaration order.</param>
/// <param name="EmitCron">Whether to generate the typed <c>Cron</c> property (false when the actor has a member of that name).</param>
/// <param name="RewritesActionResponse">The actor (or a base class) overrides <c>OnBeforeActionResponse</c>: its handles make no direct calls.</param>
internal sealed record ActorModel(
    string Namespace,
    string ClassName,
    string FullyQualifiedName,
    bool IsPublic,
    string ActorName,
    SerializableType? State,
    SerializableType? Input,
    string? InputTypeName,
    string? StateFactory,
    EquatableArray<ActionModel> Actions,
    EquatableArray<EventModel> Events = default,
    ConnectionTypes? Connection = null,
    bool EmitSchedule = true,
    bool EmitConnect = true,
    bool EmitClient = true,
    EquatableArray<QueueModel> Queues = default,
    bool EmitCron = true,
    bool RewritesActionResponse = false)
{
    /// <summary>A hint-name prefix that cannot collide between actors: the full metadata name.</summary>
    public string HintPrefix => Namespace.Length == 0 ? ClassName : Namespace + "." + ClassName;
}

/// <summary>How an action returns.</summary>
internal enum ReturnKind
{
    /// <summary><c>void</c>.</summary>
    Void,
    /// <summary><see cref="System.Threading.Tasks.Task"/>.</summary>
    Task,
    /// <summary><c>ValueTask</c>.</summary>
    ValueTask,
    /// <summary>A value returned synchronously.</summary>
    Value,
    /// <summary><c>Task&lt;T&gt;</c>.</summary>
    TaskOfT,
    /// <summary><c>ValueTask&lt;T&gt;</c>.</summary>
    ValueTaskOfT,
}

/// <summary>One valid action.</summary>
/// <param name="MethodName">The C# method name (escaped when it is a keyword).</param>
/// <param name="WireName">The action name on the wire.</param>
/// <param name="ReturnKind">How it returns.</param>
/// <param name="Result">The serializer of the result (unwrapped from tasks), or null when it returns nothing.</param>
/// <param name="ResultTypeName">The result type as C# source (nullable annotations kept), or null.</param>
/// <param name="Parameters">Every parameter, in order, including a bound CancellationToken.</param>
/// <param name="OnHandle">Whether the typed handle gets a method for it (false when its name is a member of the handle, RIVET028).</param>
internal sealed record ActionModel(
    string MethodName,
    string WireName,
    ReturnKind ReturnKind,
    SerializableType? Result,
    string? ResultTypeName,
    EquatableArray<ParameterModel> Parameters,
    bool OnHandle = true)
{
    public bool ReturnsValue => Result is not null;
}

/// <summary>One action parameter.</summary>
/// <param name="Name">The parameter name as declared (unescaped); used in wire error messages.</param>
/// <param name="IsCancellationToken">Bound to the dispatch's token; not a wire parameter.</param>
/// <param name="Type">The serializer of a wire parameter (null for a CancellationToken).</param>
/// <param name="TypeName">The type as C# source, nullable annotations kept.</param>
/// <param name="AllowNull">Whether null is accepted (nullable reference or Nullable&lt;T&gt;).</param>
/// <param name="DefaultValue">The C# literal of the default value, or null when the parameter is required.</param>
/// <param name="IsParams">Declared <c>params</c> (kept by actor-client handles, whose signatures copy the interface's).</param>
internal sealed record ParameterModel(
    string Name,
    bool IsCancellationToken,
    SerializableType? Type,
    string TypeName,
    bool AllowNull,
    string? DefaultValue,
    bool IsParams = false)
{
    public bool IsOptional => DefaultValue is not null;
}

/// <summary>
/// The result of parsing one [Actor] class: the model (null when the actor is skipped), its diagnostics, and where the
/// class name is declared (for the assembly-wide duplicate-name check, RIVET016). The positions live here, beside the
/// model, so the emit steps never depend on them; the generator drops the diagnostics (the analyzer reports them).
/// </summary>
internal sealed record ActorParseResult(ActorModel? Actor, EquatableArray<DiagnosticInfo> Diagnostics, LocationInfo? Location = null)
{
    public static ActorParseResult Empty { get; } = new(null, EquatableArray<DiagnosticInfo>.Empty);
}

/// <summary>One valid event: a <c>partial void</c> declaration the generator implements (actors), or a declaration of
/// what a remote actor sends (actor clients).</summary>
/// <param name="MethodName">The C# method name (escaped when it is a keyword).</param>
/// <param name="WireName">The event name on the wire.</param>
/// <param name="Parameters">The arguments, in order.</param>
/// <param name="Modifiers">The defining declaration's modifiers (<c>public partial</c>), repeated on the implementation; empty for clients.</param>
/// <param name="Accessibility">The declaration's accessibility as C# source (<c>private</c>, …), for the per-connection overload.</param>
/// <param name="ImplementIn">For an abstract event method of an actor-client interface: the interface the handle
/// implements it for (explicitly, as a method that throws); otherwise null.</param>
/// <param name="OnConnection">Whether the typed connection gets <c>On{E}</c>/<c>{E}Events</c> for it (false after RIVET029 or RIVET030).</param>
internal sealed record EventModel(
    string MethodName,
    string WireName,
    EquatableArray<ParameterModel> Parameters,
    string Modifiers,
    string Accessibility,
    string? ImplementIn = null,
    bool OnConnection = true);

/// <summary>What an actor declares about its connections.</summary>
/// <param name="Params">The <c>IConnectionParams&lt;TParams&gt;</c> type argument's serializer, or null.</param>
/// <param name="ParamsTypeName">That type as C# source, or null.</param>
/// <param name="State">The <c>IConnectionState&lt;TParams, TConnState&gt;</c> state type's serializer, or null.</param>
internal sealed record ConnectionTypes(SerializableType? Params, string? ParamsTypeName, SerializableType? State);
