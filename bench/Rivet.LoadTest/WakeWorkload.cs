using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Engine;

namespace Rivet.LoadTest;

/// <summary>
/// Wake latency: for each sample, an actor is created and called, put to sleep (<c>POST /actors/{id}/sleep</c>,
/// then polled until the engine reports <c>sleep_ts</c>), and the first action after that is timed. The action
/// goes by id, so the time is the wake (engine start command, actor start, state load) plus one call.
/// </summary>
internal static class WakeWorkload
{
    private static readonly ReadOnlyMemory<byte> s_args = "[1]"u8.ToArray();

    public static async Task<Latencies> RunAsync(RivetClient client, EngineApiClient api, string run, int samples)
    {
        var result = new Latencies();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < samples; i++)
        {
            try
            {
                // A sample whose actor the engine does not create and put to sleep within 30 s is counted as an
                // error (the client would otherwise retry route timeouts for a minute).
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                var handle = client.GetOrCreate("counter", ActorKey.Create([$"wake-{run}-{i}"]));
                await handle.InvokeRawAsync("increment", s_args, timeout.Token);
                var actorId = await handle.ResolveAsync(timeout.Token);
                await api.SleepActorAsync(actorId, timeout.Token);
                while ((await api.GetActorAsync(actorId, timeout.Token))?.SleepTs is null)
                {
                    await Task.Delay(20, timeout.Token);
                }
                var byId = client.GetForId("counter", actorId);
                using var wakeTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                var t0 = Stopwatch.GetTimestamp();
                await byId.InvokeRawAsync("increment", s_args, wakeTimeout.Token);
                result.Add(Stopwatch.GetTimestamp() - t0);
            }
            catch (Exception e) when (e is RivetException or TimeoutException or OperationCanceledException)
            {
                result.AddError($"{e.GetType().Name}: {e.Message}");
            }
        }
        result.Elapsed = clock.Elapsed;
        return result;
    }
}
