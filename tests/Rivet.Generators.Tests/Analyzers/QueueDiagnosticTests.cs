using System.Linq;
using Rivet.Generators.Tests.Infrastructure;
using static Rivet.Generators.Tests.Analyzers.GeneratorDiagnosticVerifier;

namespace Rivet.Generators.Tests.Analyzers;

/// <summary>The queue declarations (<c>[Queue&lt;T&gt;]</c>): RIVET045 for a repeated name, RIVET014 for an empty one,
/// RIVET011 for a message type that cannot be serialized; valid queues generate code that compiles.</summary>
public sealed class QueueDiagnosticTests
{
    private const string Usings = "using System;\nusing System.Threading;\nusing System.Threading.Tasks;\nusing Rivet;\n\n";

    [Fact]
    public void RIVET045_fires_for_a_queue_name_declared_twice_or_two_names_with_one_member_name()
    {
        var result = Verify(Usings + """
            public sealed record Job(string Name);
            [Actor]
            [Queue<Job>("jobs")]
            [{|RIVET045:Queue<Job>("jobs")|}]
            [Queue<Job>("my-jobs")]
            [{|RIVET045:Queue<Job>("my.jobs")|}]
            public partial class Worker : Actor { }
            """);
        Assert.Contains("'jobs'", result.Diagnostics[0].GetMessage());
        result.AssertGenerated("Worker");
        Assert.Contains("Worker.Queues.g.cs", result.HintNames);
    }

    [Fact]
    public void RIVET014_and_RIVET011_fire_for_an_empty_name_and_a_message_that_cannot_be_serialized()
    {
        Verify(Usings + """
            [Actor]
            [{|RIVET014:Queue<string>(" ")|}]
            [{|RIVET011:Queue<Action>("callbacks")|}]
            public partial class Worker : Actor { }
            """);
    }

    [Fact]
    public void Valid_queues_generate_receivers_and_typed_senders_that_compile()
    {
        var compilation = TestCompilation.Create(Usings + """
            public sealed record Job(string Name);
            public sealed record JobResult(int Position);
            [Actor]
            [Queue<Job, JobResult>("jobs")]
            [Queue<Job>("audit-log")]
            public partial class Worker : Actor
            {
                protected override async Task RunAsync(CancellationToken cancellationToken)
                {
                    await foreach (var message in Queues.Jobs.ReceiveAsync(cancellationToken))
                    {
                        message.Complete(new JobResult(message.Body.Name.Length));
                    }
                    _ = Queues.AuditLog.Count;
                }
            }
            public static class Use
            {
                public static async Task Send(WorkerHandle worker)
                {
                    await worker.SendJobs(new Job("a"));
                    QueueSendResult<JobResult> result = await worker.SendJobsAndWait(new Job("b"), TimeSpan.FromSeconds(1));
                    QueueSendStatus status = await worker.SendAuditLogAndWait(new Job("c"));
                    await worker.SendAuditLog(new Job("d"));
                }
            }
            """);
        var (output, diagnostics, _) = TestCompilation.RunGenerator(compilation);
        Assert.Empty(diagnostics);
        Assert.Empty(TestCompilation.Problems(output));
    }
}
