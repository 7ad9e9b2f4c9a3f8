using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Hosting;
using Rivet.Storage;

namespace Rivet.Sdk.Tests.Runtime;

public sealed class EmbeddedRuntimeTests : IAsyncLifetime
{
    private readonly InMemoryActorStorage _storage = new();
    private RivetHost _host = null!;

    private RivetClient Client => _host.Client;

    public async Task InitializeAsync() => _host = await StartHostAsync(_storage);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static Task<RivetHost> StartHostAsync(IActorStorage storage) =>
        RivetHost.StartAsync(new RivetHostOptions { Storage = storage });

    private static string NewKey() => "k-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task State_survives_a_host_restart_on_the_sqlite_store()
    {
        var path = Path.Combine(Path.GetTempPath(), "rivet-restart-" + Guid.NewGuid().ToString("N"), "actors.db");
        try
        {
            await using (var first = await RivetHost.StartAsync(new RivetHostOptions { StoragePath = path }))
            {
                Assert.Equal(5, await first.Client.Counter.GetOrCreate("room-1").Increment(5));
            }
            await using (var second = await RivetHost.StartAsync(new RivetHostOptions { StoragePath = path }))
            {
                Assert.Equal(5, await second.Client.Counter.Get("room-1").GetCount());
                Assert.Equal(7, await second.Client.Counter.Get("room-1").Increment(2));
            }
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [Fact]
    public async Task A_user_error_reaches_the_caller_with_its_group_code_and_message_and_the_state_is_unchanged()
    {
        var ledger = Client.Ledger.GetOrCreate(NewKey(), new LedgerInput("ada", 10));
        Assert.Equal(15, await ledger.Apply(new Entry(EntryKind.Deposit, 5)));

        var error = await Assert.ThrowsAsync<RivetException>(() => ledger.Apply(new Entry(EntryKind.Withdrawal, 100)));
        Assert.Equal("user", error.Group);
        Assert.Equal("insufficient_funds", error.Code);
        Assert.Equal("Balance of ada would go negative", error.Message);

        var snapshot = await ledger.Snapshot();
        Assert.Equal(15, snapshot.Balance);
        Assert.Equal(new[] { "Deposit:5" }, snapshot.History);
    }

    [Fact]
    public async Task An_unexpected_exception_becomes_an_internal_error_and_the_actor_keeps_its_state()
    {
        var ledger = Client.Ledger.GetOrCreate(NewKey(), new LedgerInput("bob", 3));
        await ledger.Apply(new Entry(EntryKind.Deposit, 1, "first"));

        var error = await Assert.ThrowsAsync<RivetException>(() => ledger.Crash());
        Assert.Equal("actor", error.Group);
        Assert.Equal("internal_error", error.Code);
        Assert.IsType<InvalidOperationException>(error.InnerException);

        var snapshot = await ledger.Snapshot();
        Assert.Equal(4, snapshot.Balance);
        Assert.Single(snapshot.History);
    }

    [Fact]
    public async Task Concurrent_callers_on_one_actor_are_serialised()
    {
        var counter = Client.Counter.GetOrCreate(NewKey());
        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => counter.SlowIncrement(2)));
        Assert.Equal(Enumerable.Range(1, 40), results.Order());
        Assert.Equal(40, await counter.GetCount());
    }

    [Fact]
    public async Task Many_actors_run_in_parallel()
    {
        // Every actor waits inside its action until all have arrived: this only completes if actors run concurrently.
        const int actors = 16;
        var barrier = Guid.NewGuid().ToString("N");
        var arrivals = await Task.WhenAll(Enumerable.Range(0, actors).Select(i => Client.Counter.GetOrCreate($"{barrier}-{i}").Rendezvous(barrier, actors)));
        Assert.All(arrivals, a => Assert.Equal(actors, a));
    }

    [Fact]
    public async Task Hundreds_of_actors_each_keep_their_own_state()
    {
        var prefix = NewKey();
        await Task.WhenAll(Enumerable.Range(0, 300).Select(async i =>
        {
            var counter = Client.Counter.GetOrCreate($"{prefix}-{i}");
            for (var n = 0; n < 5; n++)
            {
                await counter.Increment(i);
            }
        }));
        var counts = await Task.WhenAll(Enumerable.Range(0, 300).Select(i => Client.Counter.Get($"{prefix}-{i}").GetCount()));
        Assert.Equal(Enumerable.Range(0, 300).Select(i => i * 5), counts);
    }

    [Fact]
    public async Task Creation_input_builds_the_initial_state_and_is_kept_across_restarts()
    {
        var key = NewKey();
        var created = await Client.Ledger.Create(["tenant/a", key], new LedgerInput("carol", 42));
        Assert.Equal(42, (await created.Snapshot()).Balance);

        await _host.DisposeAsync();
        _host = await StartHostAsync(_storage);

        var again = Client.Ledger.Get(["tenant/a", key]);
        Assert.Equal("carol", await again.Owner());
        var snapshot = await again.Snapshot();
        Assert.Equal(42, snapshot.Balance);
        Assert.Equal(1, snapshot.Created);
        Assert.Equal(2, snapshot.Wakes);
    }

    [Fact]
    public async Task Get_of_a_missing_actor_and_create_of_an_existing_one_fail_with_clear_errors()
    {
        var key = NewKey();
        var missing = await Assert.ThrowsAsync<RivetException>(() => Client.Counter.Get(key).GetCount());
        Assert.Equal("actor.not_found", missing.Id);
        Assert.Contains(key, missing.Message);

        await Client.Counter.Create(key);
        var duplicate = await Assert.ThrowsAsync<RivetException>(() => Client.Counter.Create(key));
        Assert.Equal("actor.duplicate_key", duplicate.Id);
    }

    [Fact]
    public async Task Handles_by_id_reach_the_same_actor_as_handles_by_key()
    {
        var key = NewKey();
        var byKey = Client.Counter.GetOrCreate(key);
        await byKey.Increment(3);
        var id = await byKey.ResolveAsync();
        Assert.Equal(4, await Client.Counter.GetForId(id).Increment(1));

        var wrong = await Assert.ThrowsAsync<RivetException>(() => Client.Counter.GetForId("no-such-id").GetCount());
        Assert.Equal("actor.not_found", wrong.Id);
    }

    [Theory]
    [InlineData("nope", "[]", "actor.action_not_found", "nope")]
    [InlineData("increment", "[\"five\"]", "actor.invalid_request", "amount")]
    [InlineData("increment", "[1, 2]", "actor.invalid_request", "takes 1 argument")]
    [InlineData("increment", "{\"amount\": 1}", "actor.invalid_request", "JSON array")]
    [InlineData("increment", "[1", "actor.invalid_request", "increment")]
    [InlineData("slowIncrement", "[]", "actor.invalid_request", "delayMs")]
    public async Task Bad_calls_get_a_clear_error_and_leave_the_actor_alive(string action, string arguments, string errorId, string mentioned)
    {
        var counter = Client.Counter.GetOrCreate(NewKey());
        await counter.Increment(2);
        var error = await Assert.ThrowsAsync<RivetException>(() => counter.Handle.InvokeRawAsync(action, Encoding.UTF8.GetBytes(arguments)));
        Assert.Equal(errorId, error.Id);
        Assert.Contains(mentioned, error.Message);
        Assert.Equal(2, await counter.GetCount());
    }

    [Fact]
    public async Task Omitted_optional_arguments_take_their_default_values()
    {
        var counter = Client.Counter.GetOrCreate(NewKey());
        var result = await counter.Handle.InvokeRawAsync("increment", Encoding.UTF8.GetBytes("[]"));
        Assert.Equal("1", Encoding.UTF8.GetString(result.Span));
        Assert.Equal(2, await counter.Increment());
    }

    [Fact]
    public async Task A_caller_that_gives_up_while_waiting_for_the_turn_leaves_the_actor_untouched()
    {
        var counter = Client.Counter.GetOrCreate(NewKey());
        // The actor exists before the slow call, so the slow call takes the turn first (a first call racing the
        // creation could let the second one in first; seen once at load 27).
        Assert.Equal(0, await counter.GetCount());
        var slow = counter.SlowIncrement(1000);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => counter.Increment(100, cancel.Token));
        Assert.Equal(1, await slow);
        Assert.Equal(1, await counter.GetCount());
    }

    [Fact]
    public async Task An_unknown_actor_name_lists_the_registered_ones()
    {
        var error = await Assert.ThrowsAsync<RivetException>(() => Client.Get("ghost", "k").InvokeRawAsync("x", Encoding.UTF8.GetBytes("[]")));
        Assert.Equal("actor.not_found", error.Id);
        Assert.Contains("ghost", error.Message);
        Assert.Contains("counter", error.Message);
    }
}

public sealed class PersistenceFormatTests
{
    [Fact]
    public async Task State_is_stored_as_RivetKits_actor_persist_record_with_exact_numbers()
    {
        var storage = new Rivet.Storage.InMemoryActorStorage();
        string actorId;
        await using (var host = await RivetHost.StartAsync(new RivetHostOptions { Storage = storage }))
        {
            var ledger = host.Client.Ledger.GetOrCreate("persist", new LedgerInput("dora", 7));
            await ledger.Apply(new Entry(EntryKind.Deposit, 3));
            actorId = await ledger.ResolveAsync();
        }

        var raw = (await storage.ForActor(actorId).GetAsync([new byte[] { 1 }]))[0];
        Assert.NotNull(raw);
        Assert.Equal(new byte[] { 4, 0 }, raw![..2]);
        var record = Rivet.Storage.Persistence.PersistedActorCodec.Decode(raw);
        Assert.True(record.HasInitialized);
        using var state = System.Text.Json.JsonDocument.Parse(Rivet.Codecs.Cbor.CborJson.CborToJson(record.State));
        Assert.Equal(10, state.RootElement.GetProperty("balance").GetInt32());
        Assert.Equal("dora", state.RootElement.GetProperty("owner").GetString());
        using var input = System.Text.Json.JsonDocument.Parse(Rivet.Codecs.Cbor.CborJson.CborToJson(record.Input!));
        Assert.Equal(7, input.RootElement.GetProperty("opening").GetInt32());
    }

    [Fact]
    public async Task Long_and_decimal_state_survives_a_restart_exactly()
    {
        var storage = new Rivet.Storage.InMemoryActorStorage();
        await using (var host = await RivetHost.StartAsync(new RivetHostOptions { Storage = storage }))
        {
            await host.Client.Precise.GetOrCreate("p").Set(long.MaxValue - 1, 79228162514264337593543950335m, 0.1m);
        }
        await using var again = await RivetHost.StartAsync(new RivetHostOptions { Storage = storage });
        var state = await again.Client.Precise.Get("p").Read();
        Assert.Equal(long.MaxValue - 1, state.Big);
        Assert.Equal(79228162514264337593543950335m, state.Money);
        Assert.Equal(0.1m, state.Tenth);
    }
}
