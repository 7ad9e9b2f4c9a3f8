using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace Rivet.Sdk.Tests.Behaviour;

public sealed record Job(string Name, bool FailOnce = false);

public sealed record JobResult(string Upper, int Position);

public sealed class WorkerState
{
    public List<string> Done { get; set; } = [];
}

/// <summary>
/// A queue consumer: its run loop handles <c>jobs</c> in order (a job marked FailOnce makes the loop throw the first
/// time it is seen, recorded in <see cref="Probe"/>); <c>hold</c> is never received, so its messages stay queued;
/// <c>closed</c> refuses every sender.
/// </summary>
[Actor("queueWorker")]
[Queue<Job, JobResult>("jobs")]
[Queue<Job>("hold")]
[Queue<Job>("closed")]
public partial class QueueWorker : Actor<WorkerState>
{
    protected override async Task RunAsync(CancellationToken cancellationToken)
    {
        await foreach (var message in Queues.Jobs.ReceiveAsync(cancellationToken))
        {
            State.Done.Add(message.Body.Name);
            if (message.Body.FailOnce && !Probe.Entries(Context.Key[0]).Contains("failed " + message.Body.Name))
            {
                Probe.Record(Context.Key[0], "failed " + message.Body.Name);
                throw new InvalidOperationException("job " + message.Body.Name + " failed on purpose");
            }
            message.Complete(new JobResult(message.Body.Name.ToUpperInvariant(), State.Done.Count));
        }
    }

    protected override ValueTask<bool> CanPublishAsync(string queue, CancellationToken cancellationToken) =>
        ValueTask.FromResult(queue != "closed");

    [Action] public List<string> GetDone() => State.Done;

    [Action] public int Queued(string queue) => Context.Queues.Count(queue);
}
