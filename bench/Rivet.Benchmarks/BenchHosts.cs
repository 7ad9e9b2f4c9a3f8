using System.Threading.Tasks;
using Rivet.Hosting;
using Rivet.Runtime;
using Rivet.Storage;

namespace Rivet.Benchmarks;

/// <summary>The embedded host the in-memory benchmarks share: <see cref="BenchCounter"/> only, no disk, no environment.</summary>
internal static class BenchHosts
{
    /// <summary>Starts an embedded host with <see cref="InMemoryActorStorage"/> serving <see cref="BenchCounter"/>.</summary>
    public static Task<RivetHost> StartInMemoryAsync() => RivetHost.StartAsync(new RivetHostOptions
    {
        Storage = new InMemoryActorStorage(),
        Registry = new ActorRegistry().Add<BenchCounter>(),
        ReadEnvironment = false,
    });
}
