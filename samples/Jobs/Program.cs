using System;
using System.Diagnostics;
using System.Threading.Tasks;
using JobsSample;
using Microsoft.Extensions.Logging;
using Rivet.Hosting;

// RIVET_LOG=debug (or information, warning …) shows what the host and the actors do.
using var logging = LoggerFactory.Create(builder => builder
    .AddSimpleConsole(o => o.SingleLine = true)
    .SetMinimumLevel(Enum.TryParse<LogLevel>(Environment.GetEnvironmentVariable("RIVET_LOG"), ignoreCase: true, out var level) ? level : LogLevel.None));

// Embedded (local SQLite) by default; with RIVET_ENDPOINT set, a runner on the Rivet Engine.
await using var host = await RivetHost.StartAsync(new RivetHostOptions { LoggerFactory = logging });
var board = host.Client.JobBoard.GetOrCreate("board-1");

// Fire-and-forget: stored durably, handled by the actor's run loop.
await board.SendJobs(new Job("queued, not awaited"));
// Send and wait for the run loop to complete the message.
foreach (var text in new[] { "hello", "rivet" })
{
    var sent = await board.SendJobsAndWait(new Job(text), TimeSpan.FromSeconds(30));
    Console.WriteLine(sent.Completed ? $"job '{text}' -> #{sent.Response!.Id} '{sent.Response.Output}'" : $"job '{text}' timed out (it stays queued)");
}
Console.WriteLine($"results: {(await board.Results()).Count}; cron: {string.Join("; ", await board.CronJobs())}");

// The cron cleanup forgets results older than 2 s.
var watch = Stopwatch.StartNew();
while ((await board.Results()).Count > 0)
{
    if (watch.Elapsed > TimeSpan.FromSeconds(30))
    {
        throw new TimeoutException("The cron cleanup did not clear the results within 30 s.");
    }
    await Task.Delay(250);
}
Console.WriteLine($"cron cleanup cleared the results after {watch.Elapsed.TotalSeconds:0.0} s");
