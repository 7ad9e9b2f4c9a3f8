using System.Threading;
using System.Threading.Tasks;

namespace Rivet.Runtime;

internal sealed partial class ActorInstance
{
    /// <summary>Writes the turn's changes now and waits until they are durable; they become the base a later throw goes back to.</summary>
    public Task SaveStateNowAsync(CancellationToken cancellationToken) => PersistIfChangedAsync("saveState", cancellationToken);
}
