using System;
using CounterSample;
using Rivet.Hosting;

// No engine configured: actors run in this process and keep their state in a local SQLite file.
await using var host = await RivetHost.StartAsync();
Console.WriteLine($"Rivet embedded host; actor state in {host.StoragePath}");

var counter = host.Client.Counter.GetOrCreate("room-1");
Console.WriteLine($"counter[room-1] starts at {await counter.GetCount()}");

var count = await counter.Increment(5);
Console.WriteLine($"increment(5) -> {count}");

count = await host.Client.Counter.Get("room-1").Increment(1);
Console.WriteLine($"increment(1) -> {count}");
Console.WriteLine("Run again: the count carries over.");
