using System.Threading;
using System.Threading.Tasks;

namespace Rivet.Sdk.Tests.Runtime;

/// <summary>Forwards a call along a route of actors (by key) through <see cref="ActorContext.Client"/>: routes that come back to a waiting actor are call cycles.</summary>
[Actor("cycleRelay")]
public partial class CycleRelay : Actor
{
    /// <summary>Calls the actor with key <c>next[0]</c> with the rest of the route; the last actor returns its key.</summary>
    [Action]
    public async Task<string> Relay(string[] next, CancellationToken cancellationToken)
    {
        if (next.Length == 0)
        {
            return Context.Key[0];
        }
        return Context.Key[0] + ">" + await Context.Client.CycleRelay.GetOrCreate(next[0]).Relay(next[1..], cancellationToken);
    }
}
