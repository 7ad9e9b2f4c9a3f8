using System;
using System.Threading.Tasks;
using Rivet.Hosting;
using Rivet.Sdk.Tests.Runtime;

namespace Rivet.Sdk.Tests.Persistence;

/// <summary>
/// After every action the state is compared as a whole with the saved one, so a change made through a reference
/// the state already held (a nested object, a list inside it) is saved before the answer, and an action that leaves
/// the state as it was writes nothing.
/// </summary>
public sealed class StateChangeDetectionTests
{
    [Fact]
    public async Task Nested_mutations_are_saved_and_unchanged_states_are_not_written()
    {
        var storage = new GatedStorage();
        var key = "nested-" + Guid.NewGuid().ToString("N");
        await using (var host = await RivetHost.StartAsync(new RivetHostOptions { Storage = storage, ReadEnvironment = false }))
        {
            var actor = host.Client.SavedStateActor.GetOrCreate(key);
            await actor.Replace(new SavedState { Nodes = [new SavedNode { Name = "a" }] });
            var writes = storage.Writes;

            await actor.Read();
            await actor.ChangeAndRestore();
            Assert.Equal(writes, storage.Writes);

            await actor.AddDeep(5);
            Assert.Equal(writes + 1, storage.Writes);
            await actor.AddDeep(6);
            await actor.Rename(0, "b");
            Assert.Equal(writes + 3, storage.Writes);

            await actor.Read();
            Assert.Equal(writes + 3, storage.Writes);
        }

        // What a new host reads from the storage is what the actions left.
        await using var reader = await RivetHost.StartAsync(new RivetHostOptions { Storage = storage.Inner, ReadEnvironment = false });
        var state = await reader.Client.SavedStateActor.Get(key).Read();
        Assert.Equal("b", state.Nodes[0].Name);
        Assert.Equal([5, 6], state.Nodes[0].Child!.Values);
    }
}
