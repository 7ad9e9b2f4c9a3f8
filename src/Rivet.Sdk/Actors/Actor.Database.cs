using System.Threading;
using System.Threading.Tasks;

namespace Rivet;

public abstract partial class Actor
{
    /// <summary>The actor's own SQLite database (<see cref="ActorContext.Db"/>). Available in actions and lifecycle hooks.</summary>
    protected ActorDatabase Db => Context.Db;

    /// <summary>
    /// Runs on every start, before the state is loaded and before <see cref="OnCreateAsync"/> and
    /// <see cref="OnWakeAsync"/> (RivetKit's <c>onMigrate</c>): bring the database schema up to date here, typically with
    /// <see cref="ActorDatabase.MigrateAsync"/>. When it throws, the actor does not start.
    /// </summary>
    protected virtual ValueTask OnMigrateAsync(CancellationToken cancellationToken) => default;

    internal ValueTask RunOnMigrateAsync(CancellationToken cancellationToken) => OnMigrateAsync(cancellationToken);
}
