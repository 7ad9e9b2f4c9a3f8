using System;
using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Diagnostics;
using Rivet.Hosting;
using Rivet.Runtime;
using Rivet.Sdk.Tests.Runtime;
using Rivet.Storage;

namespace Rivet.Sdk.Tests.Performance;

/// <summary>
/// Guards of the embedded hot path's allocations (issue 17; docs/performance.md). Bytes allocated on the current
/// thread are deterministic, unlike time, and both paths measured here run synchronously on the calling thread.
/// </summary>
public sealed class HotPathAllocationTests
{
    private const int Calls = 1000;

    [Theory]
    [InlineData("increment", "[1]")]
    [InlineData("getCount", "[]")]
    public void Generated_dispatch_allocates_nothing(string action, string arguments)
    {
        var definition = Of<Counter>();
        var actor = definition.CreateInstance();
        actor.ReadState(definition, "{\"count\":0}"u8);
        var buffer = new ArrayBufferWriter<byte>(256);
        using var writer = new Utf8JsonWriter(buffer);
        var json = Encoding.UTF8.GetBytes(arguments);
        void Dispatch()
        {
            buffer.ResetWrittenCount();
            writer.Reset(buffer);
            var pending = definition.DispatchAsync(actor, action, json, writer, CancellationToken.None);
            if (!pending.IsCompletedSuccessfully)
            {
                // (No interpolated message on the measured path: building it would allocate.)
                throw new InvalidOperationException("dispatch of " + action + " did not complete synchronously");
            }
            writer.Flush();
        }
        Dispatch();

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Calls; i++)
        {
            Dispatch();
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(allocated == 0, $"dispatching {action} {Calls} times allocated {allocated} B; the generated dispatch should allocate nothing");
    }

    [Fact]
    public void A_state_save_allocates_only_what_the_storage_keeps()
    {
        var store = new ActorStateStore(new InMemoryActorStorage().ForActor("actor-1"));
        var input = "{\"owner\":\"ada\"}"u8.ToArray();
        void Save(int count)
        {
            var put = store.SaveAsync(new PersistedActorState
            {
                HasInitialized = true,
                Input = input,
                State = Encoding.UTF8.GetBytes($"{{\"count\":{count},\"name\":\"hot\"}}"),
            }, CancellationToken.None);
            Assert.True(put.IsCompletedSuccessfully, "the in-memory put did not complete synchronously");
        }
        Save(100);
        var states = new PersistedActorState[Calls];
        for (var i = 0; i < Calls; i++)
        {
            states[i] = new PersistedActorState { HasInitialized = true, Input = input, State = Encoding.UTF8.GetBytes($"{{\"count\":{100 + i % 900},\"name\":\"hot\"}}") };
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Calls; i++)
        {
            Assert.True(store.SaveAsync(states[i], CancellationToken.None).IsCompletedSuccessfully);
        }
        var perSave = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)Calls;

        // The encoded record (version, input, state as CBOR: ~40 B here, in one array with its 24 B header); the CBOR
        // and the record are built in reused buffers, the input's CBOR is kept, the one-entry list handed to the
        // storage is reused once the put completed, and the storage overwrites the same-length value in place.
        Assert.True(perSave <= 72, $"a state save allocated {perSave:0.#} B; expected at most 72 B (the stored value)");
    }

    [Theory]
    [InlineData(true, 160)]
    [InlineData(false, 72)]
    public async Task A_typed_call_on_the_embedded_host_allocates_little(bool save, int maxBytes)
    {
        await using var host = await RivetHost.StartAsync(new RivetHostOptions
        {
            Storage = new InMemoryActorStorage(),
            Registry = new ActorRegistry().Add<Counter>(),
            ReadEnvironment = false,
        });
        var counter = host.Client.Counter.GetOrCreate("hot");
        // Past the counts whose Task<int> the runtime caches, so the generated client's task is counted too.
        await counter.Increment(1000);
        for (var i = 0; i < 100; i++)
        {
            Call(counter, save);
        }

        // Tests running in parallel may attach a span or metric listener, which turns the call's telemetry on (more
        // bytes, by design): only rounds with nobody listening before and after them count, and the least of three
        // (a listener attached and gone within a round only adds bytes).
        var perCall = double.NaN;
        var counted = 0;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (counted < 3 && DateTime.UtcNow < deadline)
        {
            if (TelemetryListening())
            {
                await Task.Delay(50);
                continue;
            }
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < Calls; i++)
            {
                Call(counter, save);
            }
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (!TelemetryListening())
            {
                perCall = double.IsNaN(perCall) ? allocated / (double)Calls : Math.Min(perCall, allocated / (double)Calls);
                counted++;
            }
        }
        Assert.False(double.IsNaN(perCall), "span or metric listeners of other tests stayed attached for 60 s: no round of calls without telemetry to measure");

        // Read-only: the generated client's Task<int> (72 B) alone: the handle calls the action directly, with no
        // argument or result JSON (Runtime/DirectAction.cs). With a save, also the state's JSON kept for a rollback and
        // the encoded record handed to the storage.
        Assert.True(perCall <= maxBytes, $"a typed call (save: {save}) allocated {perCall:0.#} B; expected at most {maxBytes} B");
    }

    private static bool TelemetryListening() =>
        ClientCallTelemetry.IsEnabled || RivetMetrics.ServerCallDuration.Enabled || RivetMetrics.StateSaveDuration.Enabled;

    /// <summary>One call; on a free actor with in-memory storage it completes synchronously on this thread, so the
    /// thread's allocation count is the call's.</summary>
    private static void Call(CounterHandle counter, bool save)
    {
        var call = save ? counter.Increment(1) : counter.GetCount();
        if (!call.IsCompletedSuccessfully)
        {
            throw new InvalidOperationException("a typed call on a free actor with in-memory storage did not complete synchronously");
        }
    }

    private static ActorDefinition Of<T>() where T : IGeneratedActor => T.Definition;
}
