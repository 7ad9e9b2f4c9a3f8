using System;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace Rivet.Runtime;

internal sealed partial class ActorInstance
{
    private ActorDatabase? _database;

    /// <summary>Releases the actor's database connection once it stops (idempotent; a failure is logged, never thrown).</summary>
    private async ValueTask CloseDatabaseAsync()
    {
        var database = _database;
        _database = null;
        if (database is null)
        {
            return;
        }
        try
        {
            await database.CloseAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogDatabaseCloseFailed(_logger, ex, Definition.Name, ActorId);
        }
    }

    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "Closing the database of actor {Name} ({ActorId}) failed")]
    private static partial void LogDatabaseCloseFailed(ILogger logger, Exception exception, string name, string actorId);
}
