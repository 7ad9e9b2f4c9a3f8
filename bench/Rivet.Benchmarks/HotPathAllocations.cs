using System;
using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Linq;
using System.Threading.Tasks;

namespace Rivet.Benchmarks;

/// <summary>
/// Where the bytes of a hot embedded call go: runs the typed-client calls of <see cref="EmbeddedHotPathBenchmarks"/>
/// under an <see cref="EventListener"/> on the runtime's allocation ticks (one sample per ~100 KB allocated, with the
/// type that crossed the mark) and prints bytes per call and the sampled types, most first.
/// <c>dotnet run -c Release --project bench/Rivet.Benchmarks -- --hotpath-allocations</c>.
/// </summary>
internal static class HotPathAllocations
{
    private const int Calls = 400_000;

    public static async Task RunAsync()
    {
        await using var host = await BenchHosts.StartInMemoryAsync();
        var hot = host.Client.BenchCounter.GetOrCreate("hot");
        await hot.Increment(0);
        await MeasureAsync("save (increment)", async () => await hot.Increment(1));
        await MeasureAsync("read-only (getCount)", async () => await hot.GetCount());
    }

    private static async Task MeasureAsync(string name, Func<Task> call)
    {
        for (var i = 0; i < 10_000; i++)
        {
            await call();
        }
        using var listener = new AllocationListener();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < Calls; i++)
        {
            await call();
        }
        var perCall = (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)Calls;
        Console.WriteLine($"{name}: {perCall:0.0} B per call (all threads, {Calls:N0} calls)");
        var total = listener.Samples.Values.Sum();
        foreach (var (type, count) in listener.Samples.OrderByDescending(p => p.Value).Take(20))
        {
            Console.WriteLine($"  {count * 100.0 / total,5:0.0}%  {type}");
        }
    }

    private sealed class AllocationListener : EventListener
    {
        public ConcurrentDictionary<string, long> Samples { get; } = new();

        protected override void OnEventSourceCreated(EventSource source)
        {
            if (source.Name == "Microsoft-Windows-DotNETRuntime")
            {
                EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1 /* GC */);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs data)
        {
            if (data.EventName is { } name && name.StartsWith("GCAllocationTick", StringComparison.Ordinal)
                && data.PayloadNames?.IndexOf("TypeName") is { } index and >= 0)
            {
                Samples.AddOrUpdate((string)data.Payload![index]!, 1, (_, n) => n + 1);
            }
        }
    }
}
