using Rivet.Runtime;

namespace Rivet.Benchmarks;

internal static class BenchDefinitions
{
    /// <summary>The generated definition of <typeparamref name="TActor"/>.</summary>
    public static ActorDefinition Of<TActor>() where TActor : IGeneratedActor => TActor.Definition;
}
