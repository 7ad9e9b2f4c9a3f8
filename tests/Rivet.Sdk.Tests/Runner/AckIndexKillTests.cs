using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Client;
using Rivet.Sdk.Tests.Engine;
using Rivet.Sdk.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Rivet.Sdk.Tests.Runner;

/// <summary>
/// The acknowledged message index of a hibernatable connection lives in memory and reaches the KV only with the next
/// state save, at sleep or at stop. A runner killed with SIGKILL (no sleep, no stop) therefore leaves records behind
/// the acknowledged index: after the restart nothing acknowledged may be lost, nothing may run twice, and the
/// connection must keep working.
/// </summary>
[Collection("engine")]
public sealed class AckIndexKillTests(EngineFixture engine, ITestOutputHelper output)
{
    /// <summary>How long the actor may take to answer again after the kill (the engine reschedules within ~15-20 s; doubled for a busy machine).</summary>
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(60);

    /// <summary>How soon the connection must answer once the restarted process is connected: a reconnect takes ~1 s on
    /// a quiet machine; ignoring the dead process's socket instead took ~40 s (calls timing out before the client
    /// reconnected). Counted from the new process being connected, not from the kill: starting a .NET process is what a
    /// busy machine slows down most, and it says nothing about how the sockets of the previous one are handled.</summary>
    private static readonly TimeSpan PromptRecoveryBound = TimeSpan.FromSeconds(25);

    private static readonly ReadOnlyMemory<byte> s_one = Encoding.UTF8.GetBytes("[1]");
    private static readonly ReadOnlyMemory<byte> s_none = Encoding.UTF8.GetBytes("[]");

    [Fact]
    public async Task After_a_kill_9_nothing_acknowledged_over_a_connection_is_lost_or_run_twice_and_the_connection_works()
    {
        var pool = "ackkill-" + Guid.NewGuid().ToString("N")[..8];
        // Debug: the runner logs a restored socket whose first message is ahead of the persisted index.
        await using var runner = await RunnerProcess.StartAsync(engine.Endpoint, pool, "ackkill-0", new System.Collections.Generic.Dictionary<string, string> { ["RIVET_LOG"] = "debug" });
        await using var client = RivetClient.Create(new RivetClientOptions
        {
            Endpoint = engine.Endpoint,
            PoolName = pool,
            Encoding = RivetEncoding.Json,
            RequestTimeout = TimeSpan.FromSeconds(8), // a call the restarted runner ignores (its socket died with the process) fails sooner and is retried
        });
        var statuses = new ConcurrentQueue<ActorConnectionStatus>();
        await using var connection = await client.GetOrCreate("counter", ["kill"]).ConnectAsync(
            cancellationToken: new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        connection.StatusChanged += statuses.Enqueue;

        // Each increment is saved before its answer; its message is acknowledged once handled.
        const int increments = 20;
        for (var i = 1; i <= increments; i++)
        {
            Assert.Equal(i, await CallAsync(connection, "increment", s_one));
        }
        // Read-only calls save nothing: their acknowledged indexes exist only in the runner's memory. Their answers
        // also come after the acks of every increment (one ordered queue per socket), so none of those is in doubt.
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(increments, await CallAsync(connection, "getCount", s_none));
        }

        runner.Kill();
        var fault = Stopwatch.StartNew();
        await runner.RestartAsync();
        var restartedAfter = fault.Elapsed;

        // The first answer after the restart: read-only, so waiting for it by retrying runs nothing twice.
        var count = await UntilAnswerAsync(connection, runner, fault);
        var answeredAfter = fault.Elapsed - restartedAfter;
        Assert.Equal(increments, count); // every acknowledged increment kept, none run again
        Assert.Equal(increments + 1, await CallAsync(connection, "increment", s_one));
        Assert.Equal(increments + 1, await CallAsync(connection, "getCount", s_none));

        // The restarted process closes the socket it never knew (1011 ws.socket_not_found) at the first message, so the
        // client reconnects at once instead of waiting out its calls; the bound leaves room for a busy machine.
        Assert.True(answeredAfter < PromptRecoveryBound, $"The connection answered {answeredAfter.TotalSeconds:0.0} s after the restarted runner was connected "
            + $"({restartedAfter.TotalSeconds:0.0} s after the kill); "
            + $"a restarted runner should close the sockets of the previous process at once (bound {PromptRecoveryBound.TotalSeconds} s).\n{runner.OutputTail(30)}");
        var restoredAhead = runner.CountLines("ahead of the persisted");
        output.WriteLine($"answered again {answeredAfter.TotalSeconds:0.0} s after the restarted runner was connected ({restartedAfter.TotalSeconds:0.0} s after the kill); connection statuses: {string.Join(", ", statuses)}; "
            + $"restored sockets whose first message was ahead of the persisted index: {restoredAhead}\n{runner.OutputTail(30)}");
        Assert.Equal(0, runner.CountLines("ws.message_index_skip"));
        Assert.Equal(0, runner.CountLines("messages were lost, closing the socket"));
    }

    private static async Task<int> CallAsync(ActorConnection connection, string action, ReadOnlyMemory<byte> args)
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            var json = await connection.InvokeRawAsync(action, args, bound.Token);
            return int.Parse(Encoding.UTF8.GetString(json.Span), CultureInfo.InvariantCulture);
        }
        catch (OperationCanceledException) when (bound.IsCancellationRequested)
        {
            throw new TimeoutException($"'{action}' over the connection got no answer within 60 s (status {connection.Status}).");
        }
    }

    /// <summary>Calls getCount until it answers; fails with the runner's output once <see cref="RecoveryBound"/> after the kill passed.</summary>
    private static async Task<int> UntilAnswerAsync(ActorConnection connection, RunnerProcess runner, Stopwatch fault)
    {
        Exception? last = null;
        while (fault.Elapsed < RecoveryBound)
        {
            using var bound = new CancellationTokenSource(RecoveryBound - fault.Elapsed);
            try
            {
                var json = await connection.InvokeRawAsync("getCount", s_none, bound.Token);
                return int.Parse(Encoding.UTF8.GetString(json.Span), CultureInfo.InvariantCulture);
            }
            catch (Exception ex) when (ex is RivetException or TimeoutException or OperationCanceledException or System.Net.WebSockets.WebSocketException)
            {
                last = ex;
                await Task.Delay(TimeSpan.FromMilliseconds(250)); // pacing between attempts, not a wait for a condition
            }
        }
        throw new TimeoutException($"The connection's getCount did not answer within {RecoveryBound.TotalSeconds} s of the kill (last error: {last?.Message}; status {connection.Status}); runner output:\n{runner.OutputTail()}");
    }
}
