using System.Linq;
using Microsoft.CodeAnalysis;

namespace Rivet.Generators;

/// <summary>Every diagnostic Rivet reports. IDs are stable; each has a page under docs/diagnostics.</summary>
internal static partial class Diagnostics
{
    private const string Category = "Rivet";
    /// <summary>The docs/diagnostics folder of the repository named by <c>RepositoryUrl</c> in Directory.Build.props.</summary>
    /// <remarks>A property, so descriptors in the other partial files (initialized in any order) see it.</remarks>
    private static string HelpBase => RepositoryUrl().TrimEnd('/') + "/blob/main/docs/diagnostics/";

    private static string RepositoryUrl() =>
        typeof(Diagnostics).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), inherit: false)
            .OfType<System.Reflection.AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepositoryUrl")?.Value
        ?? throw new System.InvalidOperationException("Rivet.Generators was built without RepositoryUrl metadata (set it in Directory.Build.props).");

    private static DiagnosticDescriptor Rule(string id, string title, string message, DiagnosticSeverity severity = DiagnosticSeverity.Error) =>
        new(id, title, message, Category, severity, isEnabledByDefault: true, helpLinkUri: HelpBase + id + ".md");

    public static readonly DiagnosticDescriptor ActorNotPartial = Rule("RIVET001",
        "Actor class must be partial",
        "Actor class '{0}' must be declared 'partial' so that Rivet can generate its dispatch and client code");

    public static readonly DiagnosticDescriptor ActorNotDerivedFromActor = Rule("RIVET002",
        "Actor class must derive from Rivet.Actor",
        "Actor class '{0}' must derive from Rivet.Actor, Rivet.Actor<TState> or Rivet.Actor<TState, TInput>");

    public static readonly DiagnosticDescriptor ActorNested = Rule("RIVET003",
        "Actor class must not be nested",
        "Actor class '{0}' is nested inside '{1}'; declare actors as top-level classes");

    public static readonly DiagnosticDescriptor ActorGeneric = Rule("RIVET004",
        "Actor class must not be generic",
        "Actor class '{0}' is generic; actors must be non-generic classes");

    public static readonly DiagnosticDescriptor ActionNotPublic = Rule("RIVET005",
        "Action must be public",
        "Action '{0}' must be public to be callable by clients");

    public static readonly DiagnosticDescriptor ActionStatic = Rule("RIVET006",
        "Action must not be static",
        "Action '{0}' is static; actions are instance methods of the actor");

    public static readonly DiagnosticDescriptor ActionGeneric = Rule("RIVET007",
        "Action must not be generic",
        "Action '{0}' is generic; actions must have concrete parameter and return types");

    public static readonly DiagnosticDescriptor ActionByRefParameter = Rule("RIVET008",
        "Action parameter must not be ref, out or in",
        "Parameter '{1}' of action '{0}' is passed by reference ('{2}'); action arguments travel by value over the wire");

    public static readonly DiagnosticDescriptor ActionAsyncVoid = Rule("RIVET009",
        "Action must not be async void",
        "Action '{0}' is 'async void'; return Task or ValueTask so that the caller sees its completion and errors");

    public static readonly DiagnosticDescriptor ActionTypeNotSerializable = Rule("RIVET010",
        "Action parameter or return type cannot be serialized",
        "{0} of action '{1}' has type '{2}': {3}");

    public static readonly DiagnosticDescriptor StateTypeNotSerializable = Rule("RIVET011",
        "Actor state, input or connection type cannot be serialized",
        "Actor '{2}' has {0} type '{1}': {3}");

    public static readonly DiagnosticDescriptor DuplicateActionName = Rule("RIVET012",
        "Two actions share a wire name",
        "Actions '{0}' and '{1}' of actor '{2}' are both called '{3}' on the wire; rename one or set [Action(\"name\")]");

    public static readonly DiagnosticDescriptor ActionOutsideActor = Rule("RIVET013",
        "[Action] outside an actor",
        "Method '{0}' is marked [Action] but its class '{1}' is not marked [Actor]; the action will never be callable",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor InvalidName = Rule("RIVET014",
        "Invalid actor or action name",
        "'{0}' is not a valid {1} name: {2}");

    public static readonly DiagnosticDescriptor LanguageVersionTooLow = Rule("RIVET015",
        "C# 14 or later is required",
        "Rivet's generated clients use C# 14 extension members; set <LangVersion> to 14 or later (the default for net10.0)");

    public static readonly DiagnosticDescriptor DuplicateActorName = Rule("RIVET016",
        "Two actors share a name",
        "Actors '{0}' and '{1}' are both named '{2}'; set [Actor(\"name\")] on one of them");

    public static readonly DiagnosticDescriptor StateWithoutDefaultConstructor = Rule("RIVET017",
        "State type needs a parameterless constructor or CreateState",
        "State type '{0}' of actor '{1}' has no public parameterless constructor; override CreateState() to build the initial state",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor ActorWithoutParameterlessConstructor = Rule("RIVET018",
        "Actor class needs a parameterless constructor",
        "Actor class '{0}' must be non-abstract and have a public or internal parameterless constructor so that the runtime can create its instances");

    public static readonly DiagnosticDescriptor ActorClientNotTopLevel = Rule("RIVET019",
        "Actor client interface must be top-level and non-generic",
        "Actor client interface '{0}' is {1}; declare it as a top-level, non-generic interface");

    public static readonly DiagnosticDescriptor ActorClientMemberNotMethod = Rule("RIVET020",
        "Actor client interface members must be methods",
        "Member '{0}' of actor client interface '{1}' is {2}; only instance methods can be actions (give it a default implementation to keep it out of the client)");

    public static readonly DiagnosticDescriptor ActorClientMethodUnsupported = Rule("RIVET021",
        "Actor client method has an unsupported signature",
        "Method '{0}' of actor client interface '{1}' cannot be generated: {2}");

    public static readonly DiagnosticDescriptor ActorClientNameTaken = Rule("RIVET022",
        "Actor client name is already taken",
        "Actor client interface '{0}' would generate '{1}Handle', '{1}Connection', '{1}Accessor' and 'client.{1}', which {2} '{3}' already generates in the same namespace; rename the interface");

    public static readonly DiagnosticDescriptor EventSignatureInvalid = Rule("RIVET023",
        "Event must be a partial void method without a body",
        "Event '{0}' cannot be generated: {1}");

    public static readonly DiagnosticDescriptor EventTypeNotSerializable = Rule("RIVET024",
        "Event parameter type cannot be serialized",
        "Parameter '{0}' of event '{1}' has type '{2}': {3}");

    public static readonly DiagnosticDescriptor DuplicateEventName = Rule("RIVET025",
        "Two events share a wire name",
        "Events '{0}' and '{1}' of '{2}' are both called '{3}' on the wire; rename one or set [Event(\"name\")]");

    public static readonly DiagnosticDescriptor EventOutsideActor = Rule("RIVET026",
        "[Event] outside an actor",
        "Method '{0}' is marked [Event] but '{1}' is neither an [Actor] class nor an [ActorClient] interface; the event will never be sent",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor GeneratedMemberNameTaken = Rule("RIVET027",
        "A member takes the name of a generated member",
        "'{0}' of actor '{1}' takes the name of the generated {2}, which is therefore not generated; rename '{0}' to get it",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor DuplicateQueueName = Rule("RIVET045",
        "Two queues share a name",
        "Actor '{0}' declares queue '{1}' more than once (or two queue names give the same member name '{2}'); give each queue its own name");
    public static readonly DiagnosticDescriptor WallClockInActor = Rule("RIVET055",
        "Actor code reads the wall clock or waits in real time",
        "'{0}' in actor '{1}' bypasses the actor's clock, so a test cannot drive it; use {2}",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor ActionNameTakenOnHandle = Rule("RIVET028",
        "An action takes the name of a member of the typed handle",
        "Action '{0}' of actor '{1}' has the name of a member of the generated '{1}Handle', which therefore leaves it out; rename the method to call it through the typed handle",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor TypeLessAccessibleThanActor = Rule("RIVET029",
        "A type used by the generated client is less accessible than the actor",
        "'{0}', the {1}, is less accessible than '{2}', whose generated client is public; make '{0}' public or '{2}' internal");

    public static readonly DiagnosticDescriptor DuplicateEventMethodName = Rule("RIVET030",
        "Two events share a method name",
        "Two events of '{1}' are called '{0}', and the generated connection names its members after the method ('On{0}', '{0}Events'), so this one gets none; rename it");

    public static readonly DiagnosticDescriptor GeneratedTypeNameTaken = Rule("RIVET031",
        "A type takes the name of a generated type",
        "The type '{0}' takes a name of the {2} generated for '{1}', which is therefore not generated; rename the type or '{1}'");

    public static readonly DiagnosticDescriptor AttributeThroughRenamedAlias = Rule("RIVET033",
        "[Actor] or [ActorClient] is applied through a renamed alias",
        "'{0}' applies [{1}] through the alias '{2}', which the generator does not look for: nothing is generated for '{0}'; write [{1}] (or [Rivet.{1}])");

    public static readonly DiagnosticDescriptor ConnectionParamsMismatch = Rule("RIVET032",
        "IConnectionParams and IConnectionState disagree on the parameter type",
        "Actor '{0}' implements IConnectionParams<{1}> but IConnectionState<{2}, …>; both must name the same connection parameter type");
}
