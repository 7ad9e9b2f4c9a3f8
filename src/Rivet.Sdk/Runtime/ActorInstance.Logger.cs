using Microsoft.Extensions.Logging;

namespace Rivet.Runtime;

internal sealed partial class ActorInstance
{
    /// <summary>The actor's logger (category <c>Rivet.Actors.{name}</c>), for the protocol layers that serve it.</summary>
    internal ILogger Logger => _logger;
}
