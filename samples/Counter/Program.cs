using System;
using System.Threading.Tasks;
using CounterSample;
using Microsoft.Extensions.Logging;
using Rivet.Hosting;

// RIVET_LOG=debug (or information, warning …) shows what the host and the actors do.
using var logging = LoggerFactory.Create(builder => builder
    .AddSimpleConsole(o => o.SingleLine = true)
    .SetMinimumLevel(Enum.TryParse<LogLevel>(Environment.GetEnvironmentVariable("RIVET_LOG"), ignoreCase: true, out var level) ? level : LogLevel.None));

// With no engine configured, actors run in this process and keep their state in a local SQLite file.
// With RIVET_ENDPOINT set (e.g. http://127.0.0.1:6420), this process joins the Rivet Engine as a runner and
// the calls below go through the engine's gateway to the actor, wherever the engine placed it.
await using var host = await RivetHost.StartAsync(new RivetHostOptions { LoggerFactory = logging });
Console.WriteLine(host.Mode == RivetHostMode.Embedded
    ? $"Rivet embedded host; actor state in {host.StoragePath}"
    : $"Rivet runner on the engine at {host.Endpoint}; actor state in the engine");

var counter = host.Client.Counter.GetOrCreate("room-1");
Console.WriteLine($"counter[room-1] starts at {await counter.GetCount()}");

var count = await counter.Increment(5);
Console.WriteLine($"increment(5) -> {count}");

// A realtime connection: the same actions over one socket, plus the actor's events.
await using (var connection = await host.Client.Counter.Get("room-1").Connect())
{
    var heard = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
    using var subscription = connection.OnNewCount(n => heard.TrySetResult(n));
    count = await connection.Increment(1);
    Console.WriteLine($"increment(1) over a connection -> {count}; event newCount -> {await heard.Task.WaitAsync(TimeSpan.FromSeconds(30))}");
}
Console.WriteLine("Run again: the count carries over.");
