using System;
using System.Threading.Tasks;

namespace Rivet.LoadTest;

/// <summary>Entry point: the load run, or one of its child processes (<c>serve-runner</c>, <c>serve-floor</c>, <c>serve-floor-durable</c>, <c>serve-floor-durable-ack</c>, <c>serve-floor-durable-sql</c>, <c>serve-floor-durable-2</c>).</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["serve-runner", var runnerEndpoint, var runnerPool])
        {
            return await Serve.RunnerAsync(new Uri(runnerEndpoint), runnerPool);
        }
        if (args is ["serve-floor", var floorEndpoint, var floorPool])
        {
            return await Serve.FloorAsync(new Uri(floorEndpoint), floorPool, durable: false);
        }
        if (args is ["serve-floor-durable", var durableEndpoint, var durablePool])
        {
            return await Serve.FloorAsync(new Uri(durableEndpoint), durablePool, durable: true);
        }
        if (args is ["serve-floor-durable-sql", var sqlEndpoint, var sqlPool])
        {
            return await Serve.FloorAsync(new Uri(sqlEndpoint), sqlPool, durable: true, write: DurableWrite.SqlUpsert);
        }
        if (args is ["serve-floor-durable-2", var pipeEndpoint, var pipePool])
        {
            return await Serve.FloorAsync(new Uri(pipeEndpoint), pipePool, durable: true, depth: 2);
        }
        if (args is ["serve-floor-durable-ack", var ackEndpoint, var ackPool])
        {
            return await Serve.FloorAsync(new Uri(ackEndpoint), ackPool, durable: true, acknowledges: true);
        }
        if (args is ["--help"] or ["-h"])
        {
            Console.WriteLine(LoadOptions.Usage);
            return 0;
        }
        LoadOptions options;
        try
        {
            options = LoadOptions.Parse(args);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(LoadOptions.Usage);
            return 2;
        }
        return await LoadRun.RunAsync(options);
    }
}
