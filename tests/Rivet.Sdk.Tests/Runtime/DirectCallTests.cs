using System;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Hosting;
using Rivet.Runtime;
using Rivet.Storage;

namespace Rivet.Sdk.Tests.Runtime;

/// <summary>
/// Direct calls (docs/performance.md, "Embedded call path, fourth round"): on the embedded host a generated handle hands
/// immutable arguments to the actor's method and gets its result back without JSON. What a caller sees must not change:
/// mutable values are still copied, and errors, rollbacks, null checks and wrong handles answer as the encoded call does.
/// </summary>
public sealed class DirectCallTests
{
    private static Task<RivetHost> StartAsync() => RivetHost.StartAsync(new RivetHostOptions
    {
        Storage = new InMemoryActorStorage(),
        Registry = new ActorRegistry().Add<Shelf>().Add<Counter>(),
        ReadEnvironment = false,
    });

    [Fact]
    public async Task Mutable_arguments_and_results_are_still_copied_in_process()
    {
        await using var host = await StartAsync();
        var shelf = host.Client.Shelf.GetOrCreate("copies");
        var book = new Book { Title = "a" };

        var returned = await shelf.Store(book);

        Assert.Equal("a", book.Title);
        Assert.Equal("a!", returned.Title);
        Assert.NotSame(book, returned);
        book.Title = "changed by the caller";
        returned.Title = "changed by the caller too";
        Assert.Equal(["a!"], await shelf.Titles());
    }

    [Fact]
    public async Task Value_arguments_reach_the_actor_as_the_encoded_call_delivers_them()
    {
        await using var host = await StartAsync();
        var shelf = host.Client.Shelf.GetOrCreate("values");
        var id = Guid.NewGuid();
        var at = new DateTime(2026, 12, 7, 13, 14, 15, DateTimeKind.Utc).AddTicks(1234567);
        var offset = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(2));
        var span = TimeSpan.FromMilliseconds(1234.5);
        await shelf.GetName(); // the first call looks the actor up (encoded); the rest go directly

        var direct = await shelf.Describe(long.MaxValue, 12.50m, id, at, offset, span, 'é', null);
        var json = $"[{long.MaxValue},12.50,\"{id}\",\"{at:O}\",\"{offset:O}\",\"{span:c}\",\"é\",null]";
        var encoded = JsonSerializer.Deserialize<string>((await shelf.Handle.InvokeRawAsync("describe", System.Text.Encoding.UTF8.GetBytes(json))).Span);

        Assert.Equal(encoded, direct);
        Assert.Equal($"{long.MaxValue}|{12.50m}|{id}|{at:O}|Utc|{offset:O}|{span}|é|null", direct);
    }

    [Fact]
    public async Task Errors_roll_back_and_reach_the_caller_as_a_plain_RivetException()
    {
        await using var host = await StartAsync();
        var shelf = host.Client.Shelf.GetOrCreate("errors");
        await shelf.Rename("kept");

        var error = await Assert.ThrowsAsync<RivetException>(() => shelf.RenameThenFail("lost"));

        Assert.Equal(typeof(RivetException), error.GetType());
        Assert.Equal(("user", "refused", "refused lost"), (error.Group, error.Code, error.Message));
        Assert.Equal("kept", await shelf.GetName());
    }

    [Fact]
    public async Task A_null_string_the_action_does_not_accept_is_refused_as_before()
    {
        await using var host = await StartAsync();
        var shelf = host.Client.Shelf.GetOrCreate("nulls");
        await shelf.GetName();

        var error = await Assert.ThrowsAsync<RivetException>(() => shelf.Rename(null!));

        Assert.Equal(RivetErrors.InvalidRequest, error.Code);
        Assert.Contains("'name'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_typed_handle_over_another_actor_gets_action_not_found_every_time()
    {
        await using var host = await StartAsync();
        await host.Client.Shelf.GetOrCreate("other").GetName();
        // A Counter handle whose query names a shelf: the direct call must not run Counter's code on a Shelf.
        var wrong = new CounterHandle(host.Client.GetOrCreate("shelf", "other"));

        for (var i = 0; i < 2; i++)
        {
            var error = await Assert.ThrowsAsync<RivetException>(() => wrong.GetCount());
            Assert.Equal(RivetErrors.ActionNotFound, error.Code);
        }
    }

    [Fact]
    public async Task Async_actions_and_an_actor_that_went_to_sleep_answer_through_the_direct_path()
    {
        await using var host = await StartAsync();
        var shelf = host.Client.Shelf.GetOrCreate("sleepy");
        await shelf.Store(new Book { Title = "one" });
        Assert.Equal(1, await shelf.CountLaterAsync());

        await shelf.GoToSleep();

        // The next calls find the stopped instance (or its successor): the state survived the sleep.
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(1, await shelf.CountLaterAsync());
        }
    }

    [Fact]
    public async Task Concurrent_direct_calls_on_one_actor_are_serialised()
    {
        await using var host = await StartAsync();
        var counter = host.Client.Counter.GetOrCreate("concurrent");
        await counter.GetCount(); // looked up: the calls below go directly

        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => counter.SlowIncrement(1)));

        Assert.Equal(Enumerable.Range(1, 40), results.Order());
    }

    [Fact]
    public async Task A_direct_call_waiting_for_the_turn_gives_up_when_its_caller_cancels()
    {
        await using var host = await StartAsync();
        var counter = host.Client.Counter.GetOrCreate("cancelled");
        await counter.GetCount();
        // Takes the turn at once (a direct call on a free actor) and holds it while it waits.
        var slow = counter.SlowIncrement(500);

        using var giveUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => counter.Increment(1, giveUp.Token));

        Assert.Equal(1, await slow);
        Assert.Equal(1, await counter.GetCount());
    }
}
