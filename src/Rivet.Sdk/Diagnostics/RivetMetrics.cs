using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Rivet.Hosting;
using Rivet.Runtime;
using Rivet.Runtime.Lifecycle;

namespace Rivet.Diagnostics;

/// <summary>
/// The SDK's one <see cref="Meter"/> and its instruments. Tags stay low-cardinality: actor name, action, outcome,
/// never an actor id or key. An instrument nobody listens to costs one field read (<see cref="Instrument.Enabled"/>).
/// </summary>
internal static class RivetMetrics
{
    public static readonly Meter Meter = new(RivetDiagnostics.MeterName, SdkVersion.Current);

    // Bucket bounds for call and save durations (seconds): OpenTelemetry's RPC advice, down to sub-millisecond calls.
    private static readonly InstrumentAdvice<double> s_durationAdvice = new()
    {
        HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10],
    };

    /// <summary>Duration of an action as the actor sees it (waiting for the turn, running, making its state durable).</summary>
    public static readonly Histogram<double> ServerCallDuration = Meter.CreateHistogram(
        "rpc.server.call.duration", "s", "Duration of actor actions, server side.", advice: s_durationAdvice);

    /// <summary>Duration of an action call as the caller sees it.</summary>
    public static readonly Histogram<double> ClientCallDuration = Meter.CreateHistogram(
        "rpc.client.call.duration", "s", "Duration of actor action calls, client side.", advice: s_durationAdvice);

    // Actors running in this process, read when a listener collects (so the hot path never touches them).
    private static readonly ConcurrentDictionary<ActorInstance, byte> s_running = new();

    public static readonly ObservableUpDownCounter<long> ActiveActors = Meter.CreateObservableUpDownCounter(
        "rivet.actor.active", () => PerActorName(static _ => 1), "{actor}", "Actors running in this process.");

    public static readonly ObservableUpDownCounter<long> Connections = Meter.CreateObservableUpDownCounter(
        "rivet.actor.connections", () => PerActorName(static actor => actor.ConnectionList.Count), "{connection}",
        "Open realtime connections to the actors running in this process.");

    public static readonly Counter<long> Starts = Meter.CreateCounter<long>(
        "rivet.actor.starts", "{start}", "Actor starts (first creation and wakes).");

    public static readonly Counter<long> Wakes = Meter.CreateCounter<long>(
        "rivet.actor.wakes", "{wake}", "Starts of actors that existed before (woken from sleep or moved).");

    public static readonly Counter<long> Sleeps = Meter.CreateCounter<long>(
        "rivet.actor.sleeps", "{sleep}", "Actors put to sleep (idle, asked to, or their host shut down).");

    public static readonly Counter<long> Destroys = Meter.CreateCounter<long>(
        "rivet.actor.destroys", "{destroy}", "Actors destroyed.");

    public static readonly Histogram<double> WakeDuration = Meter.CreateHistogram(
        "rivet.actor.wake.duration", "s", "Time from an actor's start to its first turn: state load and create/wake hooks.", advice: s_durationAdvice);

    public static readonly Histogram<double> StateSaveDuration = Meter.CreateHistogram(
        "rivet.actor.state.save.duration", "s", "Duration of one write of an actor's state to its storage.", advice: s_durationAdvice);

    public static readonly Counter<long> EngineReconnects = Meter.CreateCounter<long>(
        "rivet.envoy.reconnects", "{reconnect}", "Times a runner connected to the engine again after losing its connection.");

    /// <summary>Messages waiting in actor queues (for the queue feature: add on send, subtract on receive).</summary>
    public static readonly UpDownCounter<long> QueueDepth = Meter.CreateUpDownCounter<long>(
        "rivet.queue.depth", "{message}", "Messages waiting in actor queues.");

    /// <summary>
    /// The actor started and runs (counted by <see cref="ActiveActors"/> and <see cref="Connections"/> until
    /// <see cref="Stopped(ActorInstance)"/>); <paramref name="woke"/> when it existed before this start.
    /// </summary>
    public static void Started(ActorInstance actor, bool woke, long startTimestamp)
    {
        s_running.TryAdd(actor, 0);
        var name = ActorName(actor.Definition.Name);
        Starts.Add(1, name);
        if (woke)
        {
            Wakes.Add(1, name);
        }
        if (WakeDuration.Enabled)
        {
            WakeDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, name);
        }
    }

    /// <summary>The actor stopped without going to sleep (its host lost it); idempotent.</summary>
    public static void Stopped(ActorInstance actor) => s_running.TryRemove(actor, out _);

    /// <summary>The actor stopped for <paramref name="reason"/> (sleep and shutdown count as sleeps).</summary>
    public static void Stopped(ActorInstance actor, ActorStopReason reason)
    {
        if (!s_running.TryRemove(actor, out _))
        {
            return;
        }
        (reason == ActorStopReason.Destroy ? Destroys : Sleeps).Add(1, ActorName(actor.Definition.Name));
    }

    private static IEnumerable<Measurement<long>> PerActorName(Func<ActorInstance, int> count)
    {
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var actor in s_running.Keys)
        {
            totals[actor.Definition.Name] = totals.GetValueOrDefault(actor.Definition.Name) + count(actor);
        }
        foreach (var (name, total) in totals)
        {
            yield return new Measurement<long>(total, ActorName(name));
        }
    }

    /// <summary>The one tag of per-actor instruments.</summary>
    public static KeyValuePair<string, object?> ActorName(string name) => new(RivetTracing.ActorNameKey, name);

    /// <summary>Records a call duration with RPC semantic-convention tags; <paramref name="errorType"/> only on failure.</summary>
    public static void RecordCall(Histogram<double> histogram, long startTimestamp, string actorName, string action, string? errorType)
    {
        var tags = new TagList
        {
            { RivetTracing.RpcSystemKey, RivetTracing.RpcSystem },
            { RivetTracing.RpcMethodKey, RivetTracing.Method(actorName, action) },
            { RivetTracing.ActorNameKey, actorName },
        };
        if (errorType is not null)
        {
            tags.Add(RivetTracing.ErrorTypeKey, errorType);
        }
        histogram.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, tags);
    }
}
