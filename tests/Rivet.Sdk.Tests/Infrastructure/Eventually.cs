using System;
using System.Diagnostics;
using System.Threading.Tasks;

namespace Rivet.Sdk.Tests.Infrastructure;

/// <summary>
/// Waits for a condition, polling every 20 ms, up to a deadline in wall time (a <see cref="Stopwatch"/>): on a loaded
/// machine a loop that adds up its 20 ms steps waits far longer than its bound says, since every step and every
/// check of the condition take longer than planned. The timeout names what was waited for.
/// </summary>
internal static class Eventually
{
    private static readonly TimeSpan s_step = TimeSpan.FromMilliseconds(20);

    /// <summary>Returns once <paramref name="condition"/> holds; throws a <see cref="TimeoutException"/> naming <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public static Task UntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> what) =>
        UntilAsync(() => Task.FromResult(condition()), timeout, what);

    /// <inheritdoc cref="UntilAsync(Func{bool}, TimeSpan, Func{string})"/>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Waited {timeout.TotalSeconds:0.#} s for {what()}");
            }
            await Task.Delay(s_step);
        }
    }
}
