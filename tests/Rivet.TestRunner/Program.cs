using System;
using System.Runtime.InteropServices;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Rivet.Hosting;

// A plain runner, configured only by the environment a user's process would have: RIVET_ENDPOINT, RIVET_RUNNER,
// RIVET_RUNNER_KEY (and RIVET_LOG, default information). It prints ReadyLine once connected to the engine; SIGTERM
// or SIGINT stops it gracefully. Fault tests start it as a separate OS process and kill or freeze it.
const string ReadyLine = "rivet-test-runner: connected";

using var logging = LoggerFactory.Create(builder => builder
    .AddSimpleConsole(o =>
    {
        o.SingleLine = true;
        o.TimestampFormat = "HH:mm:ss.fff ";
        o.UseUtcTimestamp = true;
    })
    .SetMinimumLevel(Enum.TryParse<LogLevel>(Environment.GetEnvironmentVariable("RIVET_LOG"), ignoreCase: true, out var level) ? level : LogLevel.Information));

if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("RIVET_ENDPOINT")))
{
    Console.Error.WriteLine("rivet-test-runner: RIVET_ENDPOINT is not set; this process only runs as a runner on an engine.");
    return 2;
}

var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.TrySetResult(); });
using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.TrySetResult(); });

await using (var host = await RivetHost.StartAsync(new RivetHostOptions { LoggerFactory = logging }))
{
    Console.WriteLine($"{ReadyLine} pid={Environment.ProcessId} key={Environment.GetEnvironmentVariable("RIVET_RUNNER_KEY")}");
    await stop.Task;
    Console.WriteLine("rivet-test-runner: stopping");
}
Console.WriteLine("rivet-test-runner: stopped");
return 0;
