using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Rivet.Testing;

/// <summary>One step of an <see cref="Interleaving"/>: caller <paramref name="Caller"/>'s step number <paramref name="Step"/> (both from 0).</summary>
public readonly record struct InterleavedStep(int Caller, int Step);

/// <summary>
/// Runs several callers' steps in an order drawn from a seed: the same seed gives the same order on every run and
/// machine, so a failing seed replays the failure. Each caller is a list of steps (usually one actor call each) that
/// run in their own order; between callers the seed decides. A step runs to its end before the next starts, so the
/// interleaving is exactly the printed one (an actor runs one action at a time, so a call is the unit at which
/// callers interleave on it).
/// </summary>
public static class Interleaving
{
    /// <summary>The order <see cref="RunAsync"/> runs the steps in, for callers with these step counts and this seed.</summary>
    public static IReadOnlyList<InterleavedStep> Order(int seed, IReadOnlyList<int> stepCounts)
    {
        ArgumentNullException.ThrowIfNull(stepCounts);
        var random = new Random(seed);
        var next = new int[stepCounts.Count];
        var remaining = new List<int>();
        for (var caller = 0; caller < stepCounts.Count; caller++)
        {
            if (stepCounts[caller] < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(stepCounts), stepCounts[caller], $"Caller {caller} has a negative step count.");
            }
            if (stepCounts[caller] > 0)
            {
                remaining.Add(caller);
            }
        }
        var order = new List<InterleavedStep>();
        while (remaining.Count > 0)
        {
            var pick = random.Next(remaining.Count);
            var caller = remaining[pick];
            order.Add(new InterleavedStep(caller, next[caller]++));
            if (next[caller] == stepCounts[caller])
            {
                remaining.RemoveAt(pick);
            }
        }
        return order;
    }

    /// <summary>Runs <paramref name="callers"/>' steps in the order the <paramref name="seed"/> gives.</summary>
    /// <returns>The order they ran in.</returns>
    /// <exception cref="InterleavingException">A step threw: the exception carries the seed, the order so far and the step's exception.</exception>
    public static async Task<IReadOnlyList<InterleavedStep>> RunAsync(int seed, IReadOnlyList<IReadOnlyList<Func<Task>>> callers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(callers);
        var counts = new int[callers.Count];
        for (var i = 0; i < callers.Count; i++)
        {
            counts[i] = (callers[i] ?? throw new ArgumentException($"Caller {i} is null.", nameof(callers))).Count;
        }
        var order = Order(seed, counts);
        for (var i = 0; i < order.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var step = order[i];
            try
            {
                await callers[step.Caller][step.Step]().ConfigureAwait(false);
            }
            catch (Exception e)
            {
                throw new InterleavingException(seed, order, i, e);
            }
        }
        return order;
    }
}

/// <summary>A step of a seeded <see cref="Interleaving"/> failed; replay it with <see cref="Seed"/>.</summary>
public sealed class InterleavingException : Exception
{
    internal InterleavingException(int seed, IReadOnlyList<InterleavedStep> order, int failedAt, Exception inner)
        : base($"Step {failedAt + 1} of {order.Count} (caller {order[failedAt].Caller}, step {order[failedAt].Step}) failed with seed {seed}; "
            + $"replay with Interleaving.RunAsync({seed}, …). Order: {Describe(order, failedAt)}. {inner.GetType().Name}: {inner.Message}", inner)
    {
        Seed = seed;
        Order = order;
        FailedAt = failedAt;
    }

    /// <summary>The seed that produced the failing order.</summary>
    public int Seed { get; }

    /// <summary>The whole order the seed gives.</summary>
    public IReadOnlyList<InterleavedStep> Order { get; }

    /// <summary>The index in <see cref="Order"/> of the step that failed.</summary>
    public int FailedAt { get; }

    private static string Describe(IReadOnlyList<InterleavedStep> order, int failedAt)
    {
        var parts = new string[failedAt + 1];
        for (var i = 0; i <= failedAt; i++)
        {
            parts[i] = $"{order[i].Caller}.{order[i].Step}";
        }
        return string.Join(" ", parts);
    }
}
