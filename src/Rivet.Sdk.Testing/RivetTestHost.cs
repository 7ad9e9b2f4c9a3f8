using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Rivet.Hosting;
using Rivet.Hosting.Embedded;
using Rivet.Runtime;
using Rivet.Storage;

namespace Rivet.Testing;

/// <summary>
/// A deterministic host for testing actors: Rivet.Sdk's embedded host (the same generated code and runtime as
/// production) on a fake clock, so idle sleep, schedules, alarms and action timeouts fire when the test advances
/// <see cref="Time"/>, never on real time. It also forces sleep, wake, destroy, restart and crash, injects storage
/// faults (<see cref="Faults"/>), reads and seeds actor state, and records the events actors send. It depends on no
/// test framework: failures are ordinary exceptions whose message says what was expected.
/// </summary>
/// <example>
/// <code>
/// await using var host = await RivetTestHost.StartAsync();
/// var counter = host.Client.Counter.GetOrCreate("room-1");
/// await counter.Increment(5);
/// await host.AdvanceAsync(TimeSpan.FromMinutes(1));          // idle past SleepTimeout: the actor sleeps
/// Assert.False(await host.IsAwakeAsync&lt;Counter&gt;("room-1"));
/// </code>
/// </example>
public sealed partial class RivetTestHost : IAsyncDisposable
{
    private readonly RivetTestHostOptions _options;
    private readonly FaultyStorage _storage;
    private readonly ILogger _logger;
    private readonly ConcurrentQueue<SentEvent> _sent = new();
    private RivetHost _host;
    private int _disposed;

    private RivetTestHost(RivetTestHostOptions options, FaultyStorage storage, RivetHost host)
    {
        _options = options;
        _storage = storage;
        _host = host;
        _logger = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Rivet.Testing");
        Time = options.Time!;
        Faults = new TestFaults(storage);
        Client = new RivetClient(new HostTransport(this), ownsTransport: false);
        Attach(host);
    }

    /// <summary>A client for the actors. Handles taken from it keep working across <see cref="RestartAsync"/> and <see cref="CrashAsync"/>.</summary>
    public RivetClient Client { get; }

    /// <summary>
    /// The fake clock of the host and its actors (<see cref="ActorContext.TimeProvider"/>). Prefer
    /// <see cref="AdvanceAsync"/>, which also waits for what came due; <c>Time.GetUtcNow()</c> reads it.
    /// </summary>
    public FakeTimeProvider Time { get; }

    /// <summary>Storage faults to inject.</summary>
    public TestFaults Faults { get; }

    /// <summary>The storage actor state lives in (it survives restarts and crashes).</summary>
    public IActorStorage Storage => _storage.Inner;

    /// <summary>The events actors broadcast since the host started (or <see cref="ClearSentEvents"/>), in order.</summary>
    public IReadOnlyList<SentEvent> SentEvents => _sent.ToArray();

    /// <summary>Forgets the recorded <see cref="SentEvents"/>.</summary>
    public void ClearSentEvents() => _sent.Clear();

    internal EmbeddedActorSystem CurrentSystem => Volatile.Read(ref _host).Embedded!;

    /// <summary>Starts a test host; every setting has a test-friendly default (fake clock, in-memory storage).</summary>
    /// <exception cref="ArgumentException">A setting is out of range (the message names it).</exception>
    public static async Task<RivetTestHost> StartAsync(RivetTestHostOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new RivetTestHostOptions();
        if (options.WaitTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"RivetTestHostOptions.WaitTimeout must be positive; it is {options.WaitTimeout}.", nameof(options));
        }
        if (options.AdvanceStep <= TimeSpan.Zero)
        {
            throw new ArgumentException($"RivetTestHostOptions.AdvanceStep must be positive; it is {options.AdvanceStep}.", nameof(options));
        }
        options.Time ??= new FakeTimeProvider(RivetTestHostOptions.DefaultStart);
        var storage = FaultyStorage.Over(options.Storage ?? new InMemoryActorStorage());
        var host = await StartHostAsync(options, storage, cancellationToken).ConfigureAwait(false);
        return new RivetTestHost(options, storage, host);
    }

    private static Task<RivetHost> StartHostAsync(RivetTestHostOptions options, FaultyStorage storage, CancellationToken cancellationToken) =>
        RivetHost.StartAsync(new RivetHostOptions
        {
            Registry = options.Registry,
            Storage = storage,
            LoggerFactory = options.LoggerFactory,
            TimeProvider = options.Time!,
            ReadEnvironment = false, // a test host never joins an engine, whatever RIVET_ENDPOINT says
        }, cancellationToken);

    private void Attach(RivetHost host)
    {
        var system = host.Embedded!;
        system.TrackConnections = true;
        system.EventObserver = (actor, name, arguments) =>
            _sent.Enqueue(new SentEvent(actor.Definition.Name, actor.Key, actor.ActorId, name, Encoding.UTF8.GetString(arguments.Span)));
    }

    /// <summary>
    /// Moves the clock forward by <paramref name="by"/>, in steps of at most <see cref="RivetTestHostOptions.AdvanceStep"/>,
    /// and after each step waits until what came due (idle sleep, scheduled actions, alarm wakes, saves) has run to
    /// the end (actions the test started itself are not waited for: they may wait on the clock). No real time passes
    /// beyond the work itself.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="by"/> is negative.</exception>
    /// <exception cref="TimeoutException">The actors did not settle within <see cref="RivetTestHostOptions.WaitTimeout"/> after a step.</exception>
    public async Task AdvanceAsync(TimeSpan by, CancellationToken cancellationToken = default)
    {
        if (by < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(by), by, "The clock only moves forward: pass a positive TimeSpan.");
        }
        var end = Time.GetUtcNow() + by;
        do
        {
            var step = end - Time.GetUtcNow();
            Time.Advance(step > _options.AdvanceStep ? _options.AdvanceStep : step);
            // Actions the test started and has not awaited may wait on the clock themselves (a timeout, a delay):
            // only the host's own work must finish before the next step.
            await WaitForAsync(() => CurrentSystem.IsQuiet(includeTurns: false),
                "what came due to run (starts, stops, scheduled actions, alarm wakes, saves)", cancellationToken).ConfigureAwait(false);
        }
        while (Time.GetUtcNow() < end);
    }

    /// <summary>
    /// Waits until the host has nothing in hand: no actor starting or stopping, no scheduled action or alarm wake
    /// running, no action running or waiting, every save durable.
    /// </summary>
    /// <exception cref="TimeoutException">That did not happen within <see cref="RivetTestHostOptions.WaitTimeout"/> (an action that waits on something the test never gives it, say).</exception>
    public Task WaitUntilSettledAsync(CancellationToken cancellationToken = default) =>
        WaitForAsync(() => CurrentSystem.IsQuiet(includeTurns: true), "the actors to settle (no start, stop, action, scheduled action or save in flight)", cancellationToken);

    /// <summary>Waits for <paramref name="condition"/> (checked after every yield), for at most <see cref="RivetTestHostOptions.WaitTimeout"/> of real time.</summary>
    internal async Task WaitForAsync(Func<bool> condition, string what, CancellationToken cancellationToken)
    {
        // Settled only when it holds twice in a row across a yield: work queued to the thread pool gets to start.
        var holds = 0;
        var started = Environment.TickCount64;
        for (var round = 0; ; round++)
        {
            if (condition())
            {
                if (++holds >= 2)
                {
                    return;
                }
            }
            else
            {
                holds = 0;
            }
            if (Environment.TickCount64 - started > (long)_options.WaitTimeout.TotalMilliseconds)
            {
                throw new TimeoutException($"The test host waited {_options.WaitTimeout.TotalSeconds:0.###} s (real time) for {what}; it did not happen.");
            }
            cancellationToken.ThrowIfCancellationRequested();
            if (round < 50)
            {
                await Task.Yield();
            }
            else
            {
                // Real work (a save on a slow disk) is in flight: check again shortly instead of spinning.
                await Task.Delay(1, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Stops the host in order (running actions finish, every actor sleeps and saves) and starts a new one on the same
    /// storage and clock, as a redeployed process would. Pending schedules wake their actors in the new host.
    /// </summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await WithinWaitTimeout(_host.DisposeAsync().AsTask(), "the old host to stop (its actors to finish their actions and sleep)").ConfigureAwait(false);
        await StartNewHostAsync(cancellationToken).ConfigureAwait(false);
        LogRestarted(_logger);
    }

    /// <summary>
    /// The process dies: from this moment no write reaches the storage (an action in flight sees its
    /// <c>CancellationToken</c> fire and its changes are lost, no <c>OnSleep</c> is saved), then a new host starts on
    /// the storage and clock, as after a <c>kill -9</c> and a restart. Also brings the host back after
    /// <see cref="TestFaults.LoseHostAfterNextWrite"/>.
    /// </summary>
    public async Task CrashAsync(CancellationToken cancellationToken = default)
    {
        _storage.GoDown();
        await WithinWaitTimeout(_host.DisposeAsync().AsTask(), "the crashed host's actions to end (an action that ignores its CancellationToken keeps a crash waiting)").ConfigureAwait(false);
        _storage.ComeBack();
        await StartNewHostAsync(cancellationToken).ConfigureAwait(false);
        LogCrashed(_logger);
    }

    private async Task StartNewHostAsync(CancellationToken cancellationToken)
    {
        var host = await StartHostAsync(_options, _storage, cancellationToken).ConfigureAwait(false);
        Attach(host);
        Volatile.Write(ref _host, host);
    }

    private async Task WithinWaitTimeout(Task task, string what)
    {
        try
        {
            await task.WaitAsync(_options.WaitTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"The test host waited {_options.WaitTimeout.TotalSeconds:0.###} s (real time) for {what}; it did not happen.", e);
        }
    }

    /// <summary>Stops the host in order (actors sleep and save). The storage is not disposed.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        _storage.ComeBack();
        await _host.DisposeAsync().ConfigureAwait(false);
        await Client.DisposeAsync().ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 1600, Level = LogLevel.Information, Message = "Test host restarted on the same storage and clock")]
    private static partial void LogRestarted(ILogger logger);

    [LoggerMessage(EventId = 1601, Level = LogLevel.Information, Message = "Test host crashed (no write after the crash reached the storage) and a new one started")]
    private static partial void LogCrashed(ILogger logger);
}
