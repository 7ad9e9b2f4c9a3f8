using System.Threading;
using System.Threading.Tasks;

namespace Rivet.Sdk.Tests.Surface;

/// <summary>Lets connections subscribe to <c>news</c> but not to <c>secret</c> (CanSubscribeAsync).</summary>
[Actor]
public partial class GuardedRoom : Actor
{
    [Event] partial void News(int value);

    [Event] partial void Secret(int value);

    [Action]
    public void Publish(int value)
    {
        News(value);
        Secret(value);
    }

    protected override ValueTask<bool> CanSubscribeAsync(Connection connection, string eventName, CancellationToken cancellationToken) =>
        ValueTask.FromResult(eventName != "secret");
}
