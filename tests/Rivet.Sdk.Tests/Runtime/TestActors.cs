using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Rivet.Sdk.Tests.Runtime;

[Actor]
public partial class Counter : Actor<CounterState>
{
    // Tests count running actors and time calls on loaded engines; idle sleep has its own actors and tests.
    protected override TimeSpan SleepTimeout => Timeout.InfiniteTimeSpan;

    [Action] public int Increment(int amount = 1) => State.Count += amount;

    [Action] public int GetCount() => State.Count;

    /// <summary>Reads, yields, then writes: loses updates unless calls on one actor are serialised.</summary>
    [Action]
    public async Task<int> SlowIncrement(int delayMs, CancellationToken cancellationToken)
    {
        var before = State.Count;
        await Task.Delay(TimeSpan.FromMilliseconds(delayMs), Context.TimeProvider, cancellationToken);
        State.Count = before + 1;
        return State.Count;
    }

    /// <summary>Waits until <paramref name="expected"/> actors arrived at <paramref name="barrier"/>: proves actors run in parallel.</summary>
    [Action]
    public async Task<int> Rendezvous(string barrier, int expected)
    {
        var gate = Barriers.GetOrAdd(barrier, _ => new Gate(expected));
        if (Interlocked.Increment(ref gate.Arrived) >= expected)
        {
            gate.AllArrived.TrySetResult();
        }
        await gate.AllArrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return gate.Arrived;
    }

    internal static readonly ConcurrentDictionary<string, Gate> Barriers = new();

    internal sealed class Gate(int expected)
    {
        public int Expected = expected;
        public int Arrived;
        public readonly TaskCompletionSource AllArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

public sealed class CounterState
{
    public int Count { get; set; }
}

public sealed record LedgerInput(string Owner, int Opening);

public sealed class LedgerState
{
    public string Owner { get; set; } = "";
    public int Balance { get; set; }
    public List<string> History { get; set; } = new();
    public int Created { get; set; }
    public int Wakes { get; set; }
}

public enum EntryKind { Deposit, Withdrawal }

public sealed record Entry(EntryKind Kind, int Amount, string? Note = null);

[Actor("ledger")]
public partial class Ledger : Actor<LedgerState, LedgerInput>
{
    protected override LedgerState CreateState(LedgerInput? input) =>
        new() { Owner = input?.Owner ?? "nobody", Balance = input?.Opening ?? 0 };

    protected override ValueTask OnCreateAsync(CancellationToken cancellationToken)
    {
        State.Created++;
        return default;
    }

    protected override ValueTask OnWakeAsync(CancellationToken cancellationToken)
    {
        State.Wakes++;
        return default;
    }

    [Action]
    public int Apply(Entry entry)
    {
        State.History.Add($"{entry.Kind}:{entry.Amount}");
        State.Balance += entry.Kind == EntryKind.Deposit ? entry.Amount : -entry.Amount;
        if (State.Balance < 0)
        {
            throw new UserError($"Balance of {State.Owner} would go negative", "insufficient_funds");
        }
        return State.Balance;
    }

    [Action]
    public int Crash()
    {
        State.Balance = -999;
        State.History.Clear();
        throw new InvalidOperationException("boom");
    }

    [Action] public LedgerState Snapshot() => State;

    [Action] public string? Owner() => Input?.Owner;
}

public sealed class PreciseState
{
    public long Big { get; set; }
    public decimal Money { get; set; }
    public decimal Tenth { get; set; }
}

[Actor]
public partial class Precise : Actor<PreciseState>
{
    [Action]
    public void Set(long big, decimal money, decimal tenth)
    {
        State.Big = big;
        State.Money = money;
        State.Tenth = tenth;
    }

    [Action] public PreciseState Read() => State;
}

public sealed record EchoNested(bool Flag, double Ratio);

public sealed record EchoPayload(string Text, long Big, int Small, byte[] Bytes, List<string> Tags, EchoNested Nested, string? Missing);

/// <summary>Returns what it is given: checks how values cross each encoding.</summary>
[Actor]
public partial class Echo : Actor
{
    [Action] public EchoPayload Roundtrip(EchoPayload payload) => payload;

    [Action] public long AddLong(long a, long b) => a + b;

    [Action] public int Measure(string text) => text.Length;

    [Action] public string Repeat(string text, int times) => string.Concat(System.Linq.Enumerable.Repeat(text, times));
}
