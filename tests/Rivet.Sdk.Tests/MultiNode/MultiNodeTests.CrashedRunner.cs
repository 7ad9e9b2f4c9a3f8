using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading.Tasks;
using Rivet.Sdk.Tests.Infrastructure;
using Rivet.Sdk.Tests.Runtime;

namespace Rivet.Sdk.Tests.MultiNode;

public sealed partial class MultiNodeTests
{
    /// <summary>
    /// How the replacement of a crashed runner process names itself: the suite runs the advice of docs/deployment.md
    /// (the same key); <c>RIVET_MULTINODE_FULL=1</c> also measures a new random key (the default per process), which
    /// leaves the dead runner in the pool until the engine writes it off.
    /// </summary>
    public static TheoryData<bool> ReplacementKeys()
    {
        var data = new TheoryData<bool> { true };
        if (Full)
        {
            data.Add(false);
        }
        return data;
    }

    /// <summary>
    /// A runner process on both nodes (<c>RIVET_ENDPOINT=A,B</c>) is killed with <c>kill -9</c> and replaced: the old
    /// actor answers again with its state, and a brand-new actor gets placed, each within <see cref="RecoveryBound"/>
    /// of the replacement's connection.
    /// </summary>
    [Theory]
    [MemberData(nameof(ReplacementKeys))]
    public async Task A_crashed_runner_process_replaced_places_old_and_new_actors_again(bool sameKey)
    {
        var environment = new Dictionary<string, string>
        {
            ["RIVET_ENDPOINT"] = $"{cluster.NodeA.Endpoint.ToString().TrimEnd('/')},{cluster.NodeB.Endpoint.ToString().TrimEnd('/')}",
        };
        var first = await RunnerProcess.StartAsync(cluster.NodeA.Endpoint, _pool, environment: environment);
        _owned.Add(first);
        var client = Client(cluster.NodeB, cluster.NodeA);
        var old = client.Counter.GetOrCreate("crash-old-" + Guid.NewGuid().ToString("N")[..8]);
        Assert.Equal(3, await old.Increment(3).WaitAsync(CallBound));

        first.Kill();
        RunnerProcess replacement;
        if (sameKey)
        {
            await first.RestartAsync();
            replacement = first;
        }
        else
        {
            replacement = await RunnerProcess.StartAsync(cluster.NodeA.Endpoint, _pool, environment: environment);
            _owned.Add(replacement);
        }
        var connected = Stopwatch.StartNew();

        var fresh = client.Counter.GetOrCreate("crash-new-" + Guid.NewGuid().ToString("N")[..8]);
        var placeNew = TimeUntilAnsweredAsync(() => fresh.Increment(1), 1, connected, replacement);
        var wakeOld = TimeUntilAnsweredAsync(() => old.Increment(1), 4, connected, replacement);
        var (newAfter, oldAfter) = (await placeNew, await wakeOld);
        output.WriteLine($"runner killed and replaced under {(sameKey ? "the same key" : "a new key")}: a new actor answered {newAfter.TotalSeconds:0.0} s "
            + $"and the old actor {oldAfter.TotalSeconds:0.0} s after the replacement connected");
    }

    /// <summary>Calls until the call answers <paramref name="expected"/>; returns when, failing after <see cref="RecoveryBound"/>.</summary>
    private static async Task<TimeSpan> TimeUntilAnsweredAsync(Func<Task<int>> call, int expected, Stopwatch since, RunnerProcess runner)
    {
        Exception? last = null;
        while (since.Elapsed < RecoveryBound)
        {
            try
            {
                Assert.Equal(expected, await call().WaitAsync(RecoveryBound));
                return since.Elapsed;
            }
            catch (Exception e) when (e is RivetException or TimeoutException)
            {
                last = e;
                await Task.Delay(250);
            }
        }
        throw new TimeoutException($"No answer {expected} within {RecoveryBound.TotalSeconds:0} s of the replacement runner connecting (last: {last?.Message}); runner output:\n{runner.OutputTail(40)}");
    }
}
