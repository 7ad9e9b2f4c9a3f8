using System;
using System.Text;
using System.Threading.Tasks;
using Rivet.Hosting;
using Rivet.Sdk.Tests.Behaviour;
using Rivet.Storage;

namespace Rivet.Sdk.Tests.Queues;

/// <summary>Queue bounds and the wire codec, on the embedded host (the engine hosts run the behaviour cases).</summary>
public sealed class QueueRuntimeTests : IAsyncLifetime
{
    private RivetHost _host = null!;

    public async Task InitializeAsync() => _host = await RivetHost.StartAsync(new RivetHostOptions { Storage = new InMemoryActorStorage(), ReadEnvironment = false });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_queue_holds_at_most_1000_messages_and_then_refuses_with_queue_full()
    {
        var worker = _host.Client.QueueWorker.GetOrCreate("full-" + Guid.NewGuid().ToString("N")[..8]);
        var sends = new Task[Rivet.Runtime.ActorInstance.MaxQueueSize];
        for (var i = 0; i < sends.Length; i++)
        {
            sends[i] = worker.SendHold(new Job("h" + i));
        }
        await Task.WhenAll(sends);
        var error = await Assert.ThrowsAsync<RivetException>(() => worker.SendHold(new Job("one too many")));
        Assert.Equal("queue.full", error.Id);
        Assert.Contains("Limit is 1000 messages", error.Message, StringComparison.Ordinal);
        Assert.Equal(1000, await worker.Queued("hold"));
        // Another queue of the same actor shares the bound (RivetKit counts the actor's messages).
        Assert.Equal("queue.full", (await Assert.ThrowsAsync<RivetException>(() => worker.SendJobs(new Job("j")))).Id);
    }

    [Theory]
    [InlineData("json")]
    [InlineData("cbor")]
    [InlineData("bare")]
    public void A_queue_send_round_trips_in_every_encoding(string encoding)
    {
        Assert.True(Rivet.Protocol.Client.ClientEncoding.TryParse(encoding, out var kind));
        var body = Rivet.Protocol.Client.ClientEncoding.EncodeQueueRequest(kind, "jobs", "{\"name\":\"a\",\"n\":[1,2]}"u8, wait: true, timeoutMs: 1500);
        var request = Rivet.Protocol.Client.ClientEncoding.DecodeQueueRequest(kind, body);
        Assert.Equal("jobs", request.Name);
        Assert.True(request.Wait);
        Assert.Equal(1500UL, request.TimeoutMs);
        Assert.Equal("{\"name\":\"a\",\"n\":[1,2]}", Encoding.UTF8.GetString(request.BodyJson));

        var answer = Rivet.Protocol.Client.ClientEncoding.EncodeQueueResponse(kind, new Rivet.Protocol.Client.QueueSendResponse("completed", "{\"upper\":\"A\"}"u8.ToArray()));
        var decoded = Rivet.Protocol.Client.ClientEncoding.DecodeQueueResponse(kind, answer);
        Assert.Equal("completed", decoded.Status);
        Assert.Equal("{\"upper\":\"A\"}", Encoding.UTF8.GetString(decoded.ResponseJson!));
    }

    [Fact]
    public void A_malformed_queue_send_is_an_invalid_request_naming_the_problem()
    {
        var error = Assert.Throws<RivetException>(() => Rivet.Protocol.Client.ClientEncoding.DecodeQueueRequest(Rivet.Protocol.Client.ClientEncodingKind.Json, "{\"body\":1,\"timeout\":\"soon\"}"u8));
        Assert.Equal("actor.invalid_request", error.Id);
        Assert.Contains("timeout", error.Message, StringComparison.Ordinal);
        Assert.Equal("actor.invalid_request", Assert.Throws<RivetException>(() => Rivet.Protocol.Client.ClientEncoding.DecodeQueueRequest(Rivet.Protocol.Client.ClientEncodingKind.Json, "{\"wait\":true}"u8)).Id);
    }
}
