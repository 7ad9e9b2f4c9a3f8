using Microsoft.CodeAnalysis;

namespace Rivet.Generators.Parsing;

/// <summary>The Rivet and BCL symbols the parsers compare against, resolved once per transform.</summary>
internal sealed class KnownTypes
{
    public INamedTypeSymbol Actor { get; private set; } = null!;
    public INamedTypeSymbol ActorOfState { get; private set; } = null!;
    public INamedTypeSymbol ActorOfStateAndInput { get; private set; } = null!;
    public INamedTypeSymbol ActorAttribute { get; private set; } = null!;
    public INamedTypeSymbol ActionAttribute { get; private set; } = null!;
    public INamedTypeSymbol? ActorClientAttribute { get; private set; }
    public INamedTypeSymbol? EventAttribute { get; private set; }
    public INamedTypeSymbol? ConnectionParams { get; private set; }
    public INamedTypeSymbol? ConnectionState { get; private set; }
    public INamedTypeSymbol? CancellationToken { get; private set; }
    public INamedTypeSymbol? Task { get; private set; }
    public INamedTypeSymbol? TaskOfT { get; private set; }
    public INamedTypeSymbol? ValueTask { get; private set; }
    public INamedTypeSymbol? ValueTaskOfT { get; private set; }

    /// <summary>The symbols, or null when the compilation does not reference Rivet.Sdk.</summary>
    public static KnownTypes? Create(Compilation compilation)
    {
        var actor = compilation.GetTypeByMetadataName("Rivet.Actor");
        var actorOfState = compilation.GetTypeByMetadataName("Rivet.Actor`1");
        var actorOfStateAndInput = compilation.GetTypeByMetadataName("Rivet.Actor`2");
        var actorAttribute = compilation.GetTypeByMetadataName(ActorParser.ActorAttributeName);
        var actionAttribute = compilation.GetTypeByMetadataName("Rivet.ActionAttribute");
        if (actor is null || actorOfState is null || actorOfStateAndInput is null || actorAttribute is null || actionAttribute is null)
        {
            return null;
        }
        return new KnownTypes
        {
            Actor = actor,
            ActorOfState = actorOfState,
            ActorOfStateAndInput = actorOfStateAndInput,
            ActorAttribute = actorAttribute,
            ActionAttribute = actionAttribute,
            ActorClientAttribute = compilation.GetTypeByMetadataName(ActorClientParser.ActorClientAttributeName),
            EventAttribute = compilation.GetTypeByMetadataName(EventParser.EventAttributeName),
            ConnectionParams = compilation.GetTypeByMetadataName("Rivet.IConnectionParams`1"),
            ConnectionState = compilation.GetTypeByMetadataName("Rivet.IConnectionState`2"),
            CancellationToken = compilation.GetTypeByMetadataName("System.Threading.CancellationToken"),
            Task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task"),
            TaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task`1"),
            ValueTask = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask"),
            ValueTaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask`1"),
        };
    }
}
