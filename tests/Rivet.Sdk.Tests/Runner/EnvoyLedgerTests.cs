using System;
using System.Linq;
using Rivet.Hosting.Runner;
using Rivet.Protocol.Envoy;

namespace Rivet.Sdk.Tests.Runner;

public sealed class EnvoyLedgerTests
{
    private static ActorCheckpoint At(string actor, uint generation, long index) => new() { ActorId = actor, Generation = generation, Index = index };

    [Fact]
    public void Replayed_commands_are_recognised_per_actor_generation()
    {
        var ledger = new CommandLedger();
        Assert.True(ledger.TryAccept(At("a", 1, 1)));
        Assert.False(ledger.TryAccept(At("a", 1, 1)));      // re-sent after a reconnect
        Assert.True(ledger.TryAccept(At("a", 1, 2)));
        Assert.False(ledger.TryAccept(At("a", 1, 1)));      // older than the last handled
        Assert.True(ledger.TryAccept(At("a", 2, 1)));       // a new generation starts at 1 again
        Assert.True(ledger.TryAccept(At("b", 1, 1)));
    }

    [Fact]
    public void Events_are_numbered_from_zero_per_generation_and_kept_until_acknowledged()
    {
        var journal = new EventJournal();
        var running = new EventActorStateUpdate { State = ActorStateRunning.Instance };
        Assert.Equal(0, journal.Append("a", 1, running).Checkpoint.Index);
        Assert.Equal(1, journal.Append("a", 1, new EventActorSetAlarm { AlarmTs = null }).Checkpoint.Index);
        Assert.Equal(0, journal.Append("a", 2, running).Checkpoint.Index);
        Assert.Equal(0, journal.Append("b", 1, running).Checkpoint.Index);

        journal.Acknowledge([At("a", 1, 0)]);
        Assert.Equal(new[] { ("a", 1u, 1L), ("a", 2u, 0L), ("b", 1u, 0L) },
            journal.Unacknowledged().Select(e => (e.Checkpoint.ActorId, e.Checkpoint.Generation, e.Checkpoint.Index)));

        journal.Acknowledge([At("a", 2, 5), At("b", 1, 0)]);
        Assert.Single(journal.Unacknowledged());
    }

    [Fact]
    public void A_stopped_generations_events_are_dropped_after_the_retention_so_the_journal_stays_bounded()
    {
        var clock = new ManualClock();
        var journal = new EventJournal(clock);
        journal.Append("a", 1, new EventActorStateUpdate { State = ActorStateRunning.Instance });
        journal.Append("a", 1, new EventActorStateUpdate { State = new ActorStateStopped { Code = StopCode.Ok } });
        journal.Append("b", 1, new EventActorStateUpdate { State = ActorStateRunning.Instance });

        clock.Advance(EventJournal.StoppedRetention - TimeSpan.FromSeconds(1));
        journal.Prune();
        Assert.Equal(3, journal.PendingCount);      // still there for a reconnect

        clock.Advance(TimeSpan.FromSeconds(2));
        journal.Prune();
        Assert.Equal("b", Assert.Single(journal.Unacknowledged()).Checkpoint.ActorId);
    }

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
