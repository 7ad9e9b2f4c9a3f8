using System;
using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Threading;
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

        // The encoded record (version, input, state as CBOR: ~40 B here, in one array with its 24 B header) and the
        // one-entry list handed to the storage; the CBOR and the record are built in reused buffers, the input's CBOR is
        // kept, and the storage overwrites the same-length value in place.
        Assert.True(perSave <= 128, $"a state save allocated {perSave:0.#} B; expected at most 128 B (the stored value and the entry list)");
    }

    private static ActorDefinition Of<T>() where T : IGeneratedActor => T.Definition;
}
