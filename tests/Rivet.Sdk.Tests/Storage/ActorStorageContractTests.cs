using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Rivet.Storage;

namespace Rivet.Sdk.Tests.Storage;

/// <summary>The KV contract every store must keep (it is what the engine gives actors).</summary>
public abstract class ActorStorageContractTests : IAsyncLifetime
{
    protected IActorStorage Storage { get; private set; } = null!;

    protected abstract IActorStorage CreateStorage();

    public Task InitializeAsync()
    {
        Storage = CreateStorage();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Storage.DisposeAsync();

    private static byte[] B(params byte[] bytes) => bytes;

    [Fact]
    public async Task Get_returns_values_in_request_order_and_null_for_missing_keys()
    {
        var kv = Storage.ForActor("a1");
        await kv.PutAsync([new(B(1), B(10)), new(B(2), B(20))]);
        var values = await kv.GetAsync([B(2), B(3), B(1)]);
        Assert.Equal(B(20), values[0]);
        Assert.Null(values[1]);
        Assert.Equal(B(10), values[2]);
    }

    [Fact]
    public async Task Put_overwrites_and_keeps_empty_values()
    {
        var kv = Storage.ForActor("a1");
        await kv.PutAsync([new(B(1), B(10))]);
        await kv.PutAsync([new(B(1), B())]);
        var values = await kv.GetAsync([B(1)]);
        Assert.NotNull(values[0]);
        Assert.Empty(values[0]!);
    }

    [Fact]
    public async Task Actors_do_not_see_each_others_keys()
    {
        await Storage.ForActor("a1").PutAsync([new(B(1), B(10))]);
        Assert.Null((await Storage.ForActor("a2").GetAsync([B(1)]))[0]);
        Assert.Empty(await Storage.ForActor("a2").ListPrefixAsync(B()));
    }

    [Fact]
    public async Task List_by_prefix_orders_keys_bytewise_and_honours_reverse_and_limit()
    {
        var kv = Storage.ForActor("a1");
        await kv.PutAsync([new(B(3), B(0)), new(B(2, 2), B(0)), new(B(1), B(0)), new(B(2, 1), B(0)), new(B(2, 0xFF), B(0)), new(B(0xFF), B(0)), new(B(0xFF, 0xFF), B(0))]);

        var all = await kv.ListPrefixAsync(B());
        Assert.Equal(new[] { B(1), B(2, 1), B(2, 2), B(2, 0xFF), B(3), B(0xFF), B(0xFF, 0xFF) }, all.Select(e => e.Key));

        var prefixed = await kv.ListPrefixAsync(B(2));
        Assert.Equal(new[] { B(2, 1), B(2, 2), B(2, 0xFF) }, prefixed.Select(e => e.Key));

        var reversed = await kv.ListPrefixAsync(B(2), limit: 2, reverse: true);
        Assert.Equal(new[] { B(2, 0xFF), B(2, 2) }, reversed.Select(e => e.Key));

        var high = await kv.ListPrefixAsync(B(0xFF));
        Assert.Equal(new[] { B(0xFF), B(0xFF, 0xFF) }, high.Select(e => e.Key));
    }

    [Fact]
    public async Task Delete_and_delete_all_remove_only_this_actors_keys()
    {
        var kv = Storage.ForActor("a1");
        await kv.PutAsync([new(B(1), B(1)), new(B(2), B(2)), new(B(3), B(3))]);
        await Storage.ForActor("a2").PutAsync([new(B(1), B(1))]);
        await kv.DeleteAsync([B(2), B(9)]);
        Assert.Equal(new[] { B(1), B(3) }, (await kv.ListPrefixAsync(B())).Select(e => e.Key));
        await kv.DeleteAllAsync();
        Assert.Empty(await kv.ListPrefixAsync(B()));
        Assert.NotNull((await Storage.ForActor("a2").GetAsync([B(1)]))[0]);
    }

    [Fact]
    public async Task Stored_values_are_copies_of_what_the_caller_passed()
    {
        var kv = Storage.ForActor("a1");
        var value = B(1, 2, 3);
        await kv.PutAsync([new(B(1), value)]);
        value[0] = 99;
        Assert.Equal(B(1, 2, 3), (await kv.GetAsync([B(1)]))[0]);
    }
}

public sealed class InMemoryActorStorageTests : ActorStorageContractTests
{
    protected override IActorStorage CreateStorage() => new InMemoryActorStorage();
}

public sealed class SqliteActorStorageTests : ActorStorageContractTests, IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "rivet-tests-" + Guid.NewGuid().ToString("N"));

    protected override IActorStorage CreateStorage() => new SqliteActorStorage(Path.Combine(_directory, "actors.db"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task Data_survives_closing_and_reopening_the_file()
    {
        var path = Path.Combine(_directory, "reopen.db");
        await using (var first = new SqliteActorStorage(path))
        {
            await first.ForActor("a1").PutAsync([new(B(1), B(42))]);
        }
        await using var second = new SqliteActorStorage(path);
        Assert.Equal(B(42), (await second.ForActor("a1").GetAsync([B(1)]))[0]);
    }

    [Fact]
    public void An_unusable_path_fails_with_the_path_in_the_message()
    {
        var blocker = Path.Combine(_directory, "file");
        Directory.CreateDirectory(_directory);
        File.WriteAllText(blocker, "not a directory");
        var ex = Assert.ThrowsAny<IOException>(() => new SqliteActorStorage(Path.Combine(blocker, "actors.db")));
        Assert.Contains("file", ex.Message);
    }

    private static byte[] B(params byte[] bytes) => bytes;
}
