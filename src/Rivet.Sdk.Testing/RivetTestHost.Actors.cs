using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Hosting.Embedded;
using Rivet.Runtime;

namespace Rivet.Testing;

// One actor's lifecycle, state, schedule and connections, addressed by its class and key as a client would.
public sealed partial class RivetTestHost
{
    /// <summary>The id of the actor <typeparamref name="TActor"/> with key <paramref name="key"/>.</summary>
    /// <exception cref="InvalidOperationException">No such actor exists (the message names it).</exception>
    public async Task<string> ActorIdAsync<TActor>(ActorKey key, CancellationToken cancellationToken = default) where TActor : IGeneratedActor =>
        (await RequireRecordAsync<TActor>(key, cancellationToken).ConfigureAwait(false)).ActorId;

    /// <summary>Whether the actor is awake (running) now; false when it sleeps or does not exist.</summary>
    public async Task<bool> IsAwakeAsync<TActor>(ActorKey key, CancellationToken cancellationToken = default) where TActor : IGeneratedActor =>
        await CurrentSystem.FindAsync(TActor.Definition.Name, key, cancellationToken).ConfigureAwait(false) is { } record
        && CurrentSystem.IsAwake(record.ActorId);

    /// <summary>Puts the actor to sleep now, as its idle timeout would (<c>OnSleepAsync</c> runs, the state is saved), and waits until it sleeps.</summary>
    /// <exception cref="InvalidOperationException">No such actor exists.</exception>
    public async Task SleepAsync<TActor>(ActorKey key, CancellationToken cancellationToken = default) where TActor : IGeneratedActor
    {
        var record = await RequireRecordAsync<TActor>(key, cancellationToken).ConfigureAwait(false);
        await CurrentSystem.StopAsync(record, destroy: false, cancellationToken).WaitAsync(_options.WaitTimeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Wakes a sleeping actor without calling it (<c>OnWakeAsync</c> runs, due scheduled actions run); no-op when it is awake.</summary>
    /// <exception cref="InvalidOperationException">No such actor exists.</exception>
    public async Task WakeAsync<TActor>(ActorKey key, CancellationToken cancellationToken = default) where TActor : IGeneratedActor
    {
        var record = await RequireRecordAsync<TActor>(key, cancellationToken).ConfigureAwait(false);
        await CurrentSystem.WakeAsync(record, cancellationToken).WaitAsync(_options.WaitTimeout, cancellationToken).ConfigureAwait(false);
        await WaitUntilSettledAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Destroys the actor as <c>Destroy()</c> would (<c>OnDestroyAsync</c> runs, its state is deleted, its key is free) and waits until it is gone.</summary>
    /// <exception cref="InvalidOperationException">No such actor exists.</exception>
    public async Task DestroyAsync<TActor>(ActorKey key, CancellationToken cancellationToken = default) where TActor : IGeneratedActor
    {
        var record = await RequireRecordAsync<TActor>(key, cancellationToken).ConfigureAwait(false);
        await CurrentSystem.StopAsync(record, destroy: true, cancellationToken).WaitAsync(_options.WaitTimeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether an actor <typeparamref name="TActor"/> with key <paramref name="key"/> exists (awake or asleep).</summary>
    public async Task<bool> ExistsAsync<TActor>(ActorKey key, CancellationToken cancellationToken = default) where TActor : IGeneratedActor =>
        await CurrentSystem.FindAsync(TActor.Definition.Name, key, cancellationToken).ConfigureAwait(false) is not null;

    /// <summary>Waits until the actor sleeps (after <c>Sleep()</c> or an idle timeout the test advanced the clock past).</summary>
    /// <exception cref="TimeoutException">It was still awake after <see cref="RivetTestHostOptions.WaitTimeout"/> of real time.</exception>
    public async Task WaitUntilAsleepAsync<TActor>(ActorKey key, CancellationToken cancellationToken = default) where TActor : IGeneratedActor
    {
        var record = await RequireRecordAsync<TActor>(key, cancellationToken).ConfigureAwait(false);
        var system = CurrentSystem;
        await WaitForAsync(() => !system.IsAwake(record.ActorId) && system.IsQuiet(includeTurns: false),
            $"actor '{record.Name}' {key} to sleep", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The actor's durable state: what the last completed action saved (and what a restart would find). The actor
    /// may be awake or asleep; reading does not wake it.
    /// </summary>
    /// <exception cref="InvalidOperationException">No such actor exists, or it has no saved state yet.</exception>
    public async Task<TState> ReadStateAsync<TActor, TState>(ActorKey key, CancellationToken cancellationToken = default)
        where TActor : Actor<TState>, IGeneratedActor where TState : class
    {
        var record = await RequireRecordAsync<TActor>(key, cancellationToken).ConfigureAwait(false);
        var persisted = await new ActorStateStore(Storage.ForActor(record.ActorId)).LoadAsync(cancellationToken).ConfigureAwait(false);
        if (persisted is not { HasInitialized: true } saved || saved.State.IsEmpty)
        {
            throw new InvalidOperationException($"Actor '{record.Name}' {key} ({record.ActorId}) has no saved state yet.");
        }
        return JsonSerializer.Deserialize(saved.State.Span, StateType<TActor, TState>())
            ?? throw new InvalidOperationException($"The saved state of actor '{record.Name}' {key} is null.");
    }

    /// <summary>
    /// Sets the actor's state, creating the actor if it does not exist (without running <c>OnCreateAsync</c>: as if it
    /// had existed with this state). An awake actor is put to sleep first; the next call wakes it with
    /// <paramref name="state"/> (<c>OnWakeAsync</c> runs). Its schedule is kept.
    /// </summary>
    public async Task SeedStateAsync<TActor, TState>(ActorKey key, TState state, CancellationToken cancellationToken = default)
        where TActor : Actor<TState>, IGeneratedActor where TState : class
    {
        ArgumentNullException.ThrowIfNull(state);
        var system = CurrentSystem;
        var record = await system.FindAsync(TActor.Definition.Name, key, cancellationToken).ConfigureAwait(false)
            ?? await system.CreateRecordAsync(TActor.Definition.Name, key, cancellationToken).ConfigureAwait(false);
        await system.StopAsync(record, destroy: false, cancellationToken).WaitAsync(_options.WaitTimeout, cancellationToken).ConfigureAwait(false);
        var store = new ActorStateStore(Storage.ForActor(record.ActorId));
        var persisted = await store.LoadAsync(cancellationToken).ConfigureAwait(false);
        await store.SaveAsync(new PersistedActorState
        {
            HasInitialized = true,
            Input = persisted?.Input ?? ReadOnlyMemory<byte>.Empty,
            State = JsonSerializer.SerializeToUtf8Bytes(state, StateType<TActor, TState>()),
            ScheduledEvents = persisted?.ScheduledEvents ?? [],
            Idempotency = persisted?.Idempotency ?? [],
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The actor's saved schedule (what will run, and when, on <see cref="Time"/>), earliest first.</summary>
    /// <exception cref="InvalidOperationException">No such actor exists.</exception>
    public async Task<IReadOnlyList<ScheduledEvent>> ReadScheduleAsync<TActor>(ActorKey key, CancellationToken cancellationToken = default) where TActor : IGeneratedActor
    {
        var record = await RequireRecordAsync<TActor>(key, cancellationToken).ConfigureAwait(false);
        var persisted = await new ActorStateStore(Storage.ForActor(record.ActorId)).LoadAsync(cancellationToken).ConfigureAwait(false);
        var events = new List<ScheduledEvent>(persisted?.ScheduledEvents ?? []);
        events.Sort((a, b) => a.At.CompareTo(b.At));
        return events;
    }

    /// <summary>
    /// Drops every open connection to the actor as a network failure would: the actor sees them go
    /// (<c>OnDisconnectAsync</c>), and each client connection reconnects on its own and subscribes again.
    /// </summary>
    /// <returns>How many connections were dropped.</returns>
    /// <exception cref="InvalidOperationException">No such actor exists.</exception>
    public async Task<int> DropConnectionsAsync<TActor>(ActorKey key, CancellationToken cancellationToken = default) where TActor : IGeneratedActor
    {
        var record = await RequireRecordAsync<TActor>(key, cancellationToken).ConfigureAwait(false);
        return await CurrentSystem.DropConnectionsAsync(record.ActorId).ConfigureAwait(false);
    }

    private async Task<EmbeddedActorRecord> RequireRecordAsync<TActor>(ActorKey key, CancellationToken cancellationToken) where TActor : IGeneratedActor =>
        await CurrentSystem.FindAsync(TActor.Definition.Name, key, cancellationToken).ConfigureAwait(false)
        ?? throw new InvalidOperationException($"No actor '{TActor.Definition.Name}' with key {key} exists in the test host; call it with GetOrCreate (or seed it) first.");

    private static JsonTypeInfo<TState> StateType<TActor, TState>() where TActor : IGeneratedActor =>
        TActor.Definition.StateType as JsonTypeInfo<TState>
        ?? throw new InvalidOperationException($"Actor '{TActor.Definition.Name}' has no state of type {typeof(TState).Name}.");
}
