using System;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Rivet.Runtime;
using Rivet.Storage;

namespace Rivet.Testing;

/// <summary>Settings of a <see cref="RivetTestHost"/>.</summary>
public sealed class RivetTestHostOptions
{
    /// <summary>The time a new fake clock starts at (a fixed instant, so runs are alike): 2030-01-01 00:00 UTC.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The actors the host runs. Defaults to <see cref="ActorRegistry.Default"/> (every generated actor of the loaded assemblies).</summary>
    public ActorRegistry? Registry { get; set; }

    /// <summary>The fake clock of the host and its actors. Defaults to a new one at <see cref="DefaultStart"/>.</summary>
    public FakeTimeProvider? Time { get; set; }

    /// <summary>
    /// Where actor state lives; it outlives <see cref="RivetTestHost.RestartAsync"/> and <see cref="RivetTestHost.CrashAsync"/>.
    /// Defaults to a new <see cref="InMemoryActorStorage"/>. A storage passed here is not disposed by the test host.
    /// </summary>
    public IActorStorage? Storage { get; set; }

    /// <summary>Where the host and the actors log. Defaults to no logging.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>
    /// The longest real time a wait of the test host (<see cref="RivetTestHost.AdvanceAsync"/>, the waits for sleep or
    /// settling) may take before it fails with a <see cref="TimeoutException"/> saying what it waited for: 30 s by default.
    /// Only a bound for a stuck actor; nothing waits for it to pass.
    /// </summary>
    public TimeSpan WaitTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The largest step <see cref="RivetTestHost.AdvanceAsync"/> moves the clock at once (1 s by default): after
    /// each step the host lets whatever came due run to the end, so a timer set by that work fires in a later step.
    /// </summary>
    public TimeSpan AdvanceStep { get; set; } = TimeSpan.FromSeconds(1);
}
