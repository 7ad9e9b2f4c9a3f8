using Microsoft.CodeAnalysis;

namespace Rivet.Generators;

/// <summary>Emits the dispatch, typed client, serializers and registration of every [Actor] class.</summary>
[Generator(LanguageNames.CSharp)]
public sealed class ActorGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
    }
}
