using System;
using Microsoft.Extensions.Logging;

namespace Rivet.Runtime;

internal sealed partial class ActorInstance
{
    /// <summary>Runs <see cref="Actor.OnStateChange"/> (in the turn that changed the state); an exception is logged, as in RivetKit.</summary>
    private void NotifyStateChange()
    {
        try
        {
            Actor.RunOnStateChange();
        }
        catch (Exception ex)
        {
            LogStateChangeFailed(_logger, ex, Definition.Name, Key, ActorId);
        }
    }

    [LoggerMessage(EventId = 1452, Level = LogLevel.Error, Message = "OnStateChange of actor {Name} {Key} ({ActorId}) threw; ignored")]
    private static partial void LogStateChangeFailed(ILogger logger, Exception exception, string name, ActorKey key, string actorId);
}
