using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Rivet;

namespace JobsSample;

public sealed record Job(string Text);

public sealed record JobResult(int Id, string Output);

public sealed record Finished(int Id, string Output, DateTimeOffset At);

public sealed class BoardState
{
    public int NextId { get; set; } = 1;
    public List<Finished> Finished { get; set; } = [];
}

/// <summary>
/// A job-processing actor: jobs arrive on its durable queue, its run loop handles them one at a time, and a cron job
/// cleans out finished results older than <see cref="Retention"/>.
/// </summary>
[Actor]
[Queue<Job, JobResult>("jobs")]
public partial class JobBoard : Actor<BoardState>
{
    private static readonly TimeSpan Retention = TimeSpan.FromSeconds(2);

    protected override ValueTask OnCreateAsync(CancellationToken cancellationToken)
    {
        // Durable: set once, it keeps running across sleeps and restarts (and wakes the actor when due).
        Cron.Every("cleanup", TimeSpan.FromSeconds(1)).Cleanup((int)Retention.TotalMilliseconds);
        return default;
    }

    protected override async Task RunAsync(CancellationToken cancellationToken)
    {
        await foreach (var message in Queues.Jobs.ReceiveAsync(cancellationToken))
        {
            var id = State.NextId++;
            var output = new string(message.Body.Text.Reverse().ToArray());
            State.Finished.Add(new Finished(id, output, Context.TimeProvider.GetUtcNow()));
            message.Complete(new JobResult(id, output));
        }
    }

    /// <summary>Run by the cron job: forgets results older than <paramref name="retentionMs"/>.</summary>
    [Action]
    public int Cleanup(int retentionMs)
    {
        var cutoff = Context.TimeProvider.GetUtcNow() - TimeSpan.FromMilliseconds(retentionMs);
        return State.Finished.RemoveAll(f => f.At < cutoff);
    }

    [Action] public List<Finished> Results() => State.Finished;

    [Action] public List<string> CronJobs() => Cron.List().Select(j => $"{j.Name}: every {j.Interval}, next {j.NextRun:O}").ToList();
}
