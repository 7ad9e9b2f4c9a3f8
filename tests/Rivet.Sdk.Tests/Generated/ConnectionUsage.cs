using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Rivet.Sdk.Tests.Generated;

/// <summary>
/// The generated connection API as user code writes it (the example). It compiles here, in a real project with
/// the generator as an analyzer; <see cref="GeneratedEventApiTests"/> checks the shapes it relies on.
/// </summary>
internal static class ConnectionUsage
{
    /// <summary>Connects, listens with a handler and a stream, increments over the connection, and returns what arrived.</summary>
    public static async Task<(List<int> Handled, List<int> Streamed)> WatchCounts(RivetClient client, string key, int increments, CancellationToken ct)
    {
        await using var conn = await client.GenEventCounter.GetOrCreate(key).Connect(new GenJoinParams("ada"), ct);
        var handled = new List<int>();
        using var subscription = conn.OnNewCount(n => { lock (handled) { handled.Add(n); } });
        using var cleared = conn.OnCleared(() => { });
        using var moved = conn.OnMoved(e => _ = e.Who + e.X + e.Y);
        var streamed = new List<int>();
        var stream = conn.NewCountEvents(ct).GetAsyncEnumerator(ct);
        try
        {
            for (var i = 0; i < increments; i++)
            {
                await conn.Increment(1, ct);
            }
            while (streamed.Count < increments && await stream.MoveNextAsync())
            {
                streamed.Add(stream.Current);
            }
        }
        finally
        {
            await stream.DisposeAsync();
        }
        return (handled, streamed);
    }

    /// <summary>The loop: every new count until cancelled.</summary>
    public static async Task<int> LastCount(RivetClient client, string key, CancellationToken ct)
    {
        await using var conn = await client.GenEventCounter.Get(key).Connect(new GenJoinParams("bo"), ct);
        var last = -1;
        await foreach (var n in conn.NewCountEvents(ct))
        {
            last = n;
        }
        return last;
    }

    /// <summary>The same through the [ActorClient] interface.</summary>
    public static async Task<IAsyncEnumerable<int>> RemoteCounts(RivetClient client, string key, CancellationToken ct)
    {
        var conn = await client.RemoteEventCounter.Get(key).Connect(new GenJoinParams("cy"), ct);
        conn.StatusChanged += _ => { };
        _ = conn.Status;
        await conn.Increment();
        _ = conn.ClearedEvents(ct);
        return conn.NewCountEvents(ct);
    }
}
