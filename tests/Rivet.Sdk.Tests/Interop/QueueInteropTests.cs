using System;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Rivet.Client;
using Rivet.Sdk.Tests.EngineClient;

namespace Rivet.Sdk.Tests.Interop;

// RivetKit's client handle.send(...) to a .NET actor's queues (the queue part of ts-client.mjs's run).
public sealed partial class TsClientInteropTests
{
    private static void AssertQueueSends(JsonElement r)
    {
        Assert.Equal("sent", Ok(r, "sendJob").GetString());
        var waited = Ok(r, "sendJobAndWait");
        Assert.Equal("completed", waited.GetProperty("status").GetString());
        Assert.Equal("TS-B", waited.GetProperty("response").GetProperty("upper").GetString());
        Assert.Equal(2, waited.GetProperty("response").GetProperty("position").GetInt32());
        Assert.Equal("timedOut", Ok(r, "sendHoldAndWait").GetProperty("status").GetString());
        AssertError(r, "sendClosed", "auth", "forbidden");
        AssertError(r, "sendInvalid", "actor", "invalid_request");
        Assert.Equal("[\"ts-a\",\"ts-b\"]", Ok(r, "workerDone").GetRawText());
        Assert.Equal(1, Ok(r, "workerHeld").GetInt32());
    }
}

/// <summary>Our client sends to the queues of RivetKit's TypeScript actor (<c>tsWorker</c> in ts-actor.mjs), in each encoding.</summary>
[Collection(TsActorCollection.Name)]
public sealed class TsActorQueueInteropTests(TsActorFixture fixture)
{
    public static TheoryData<RivetEncoding> Encodings => new() { RivetEncoding.Json, RivetEncoding.Cbor, RivetEncoding.Bare };

    [Theory, MemberData(nameof(Encodings))]
    public async Task Our_client_sends_to_a_typescript_actor_queue_and_gets_its_completion(RivetEncoding encoding)
    {
        await using var client = RivetClient.Create(fixture.ClientOptions(encoding));
        var worker = client.GetOrCreate("tsWorker", ["q-" + Guid.NewGuid().ToString("N")[..10]]);

        await worker.SendRawAsync("jobs", Encoding.UTF8.GetBytes("{\"name\":\"a\"}"));
        var (status, response) = await worker.SendAndWaitRawAsync("jobs", Encoding.UTF8.GetBytes("{\"name\":\"b\"}"), TimeSpan.FromSeconds(30));
        Assert.Equal(QueueSendStatus.Completed, status);
        using (var completion = JsonDocument.Parse(response))
        {
            Assert.Equal("B", completion.RootElement.GetProperty("upper").GetString());
            Assert.Equal(2, completion.RootElement.GetProperty("position").GetInt32());
        }
        // Nobody receives "hold": the wait times out. A queue the actor does not declare takes nothing and reports completed.
        Assert.Equal(QueueSendStatus.TimedOut, (await worker.SendAndWaitRawAsync("hold", Encoding.UTF8.GetBytes("{\"name\":\"h\"}"), TimeSpan.FromMilliseconds(300))).Status);
        Assert.Equal(QueueSendStatus.Completed, (await worker.SendAndWaitRawAsync("undeclared", Encoding.UTF8.GetBytes("{\"name\":\"u\"}"), TimeSpan.FromSeconds(30))).Status);
        Assert.Equal("[\"a\",\"b\"]", Encoding.UTF8.GetString((await worker.InvokeRawAsync("getDone", "[]"u8.ToArray())).Span));
    }
}
