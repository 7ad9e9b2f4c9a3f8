using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging.Abstractions;
using Rivet.Client;
using Rivet.Hosting.Runner;
using Rivet.Protocol.Envoy;
using Rivet.Runtime;

namespace Rivet.Sdk.Tests.Runner;

/// <summary>What the runner holds for requests whose engine connection is gone is freed.</summary>
public sealed class RunnerLostRequestTests
{
    [Fact]
    public async Task A_streamed_body_still_arriving_when_the_actors_are_lost_is_freed()
    {
        await using var client = new RivetClient(new NoTransport());
        var host = new RunnerActorHost(new ActorRegistry(), NullLoggerFactory.Instance, client);
        await using var envoy = new EnvoyClient(new RunnerOptions { Endpoint = new Uri("http://127.0.0.1:1"), PoolName = "lost" }, [], host, NullLogger.Instance);
        host.Attach(envoy);
        var id = new MessageId { GatewayId = [1, 2, 3, 4], RequestId = [5, 6, 7, 8], MessageIndex = 0 };
        host.OnTunnelMessage(new ToEnvoyTunnelMessage
        {
            MessageId = id,
            MessageKind = new ToEnvoyRequestStart
            {
                ActorId = "a1",
                Method = "POST",
                Path = "/action/increment",
                Headers = new Dictionary<string, string>(),
                Stream = true,
                ResponseStream = false,
            },
        });
        host.OnTunnelMessage(new ToEnvoyTunnelMessage { MessageId = id, MessageKind = new ToEnvoyRequestChunk { Body = new byte[64 * 1024], Finish = false } });
        Assert.Equal(64 * 1024, host.RequestBodies.Held);

        host.OnActorsLost("a test");

        Assert.Equal(0, host.RequestBodies.Held);
    }

    private sealed class NoTransport : IActorTransport
    {
        public Task<ReadOnlyMemory<byte>> InvokeAsync(ActorQuery query, string action, ReadOnlyMemory<byte> arguments, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("No calls expected.");

        public Task<string> ResolveAsync(ActorQuery query, CancellationToken cancellationToken) => throw new InvalidOperationException("No calls expected.");

        public Task<string> CreateAsync(string name, ActorKey key, ReadOnlyMemory<byte> input, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("No calls expected.");

        public ValueTask DisposeAsync() => default;
    }
}
