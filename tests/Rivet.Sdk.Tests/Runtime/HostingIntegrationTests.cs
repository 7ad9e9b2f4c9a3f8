using System;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Rivet.Hosting;
using Rivet.Storage;

namespace Rivet.Sdk.Tests.Runtime;

public sealed class HostingIntegrationTests
{
    [Fact]
    public async Task AddRivet_gives_the_application_a_client_and_stops_actors_with_it()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddRivet(options => options.Storage = new InMemoryActorStorage());
        using var app = builder.Build();
        await app.StartAsync();

        var client = app.Services.GetRequiredService<RivetClient>();
        Assert.Equal(3, await client.Counter.GetOrCreate("k").Increment(3));
        Assert.Same(client, app.Services.GetRequiredService<RivetHost>().Client);

        await app.StopAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.Counter.Get("k").GetCount());
    }
}
