using System;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Rivet.Codecs.Cbor;
using Rivet.Hosting.ActorHttp;
using Rivet.Protocol.Envoy;
using Rivet.Runtime;
using Rivet.Runtime.Lifecycle;

namespace Rivet.Hosting.Runner;

/// <summary>
/// The actors of one runner: starts and stops them on the engine's commands (one command at a time per actor),
/// reports their state, and serves the client requests the gateway tunnels to them.
/// </summary>
internal sealed partial class RunnerActorHost : IEnvoyHandler
{
    private const int MaxStrayEntries = 10_000;
    private static readonly TimeSpan s_strayRetry = TimeSpan.FromSeconds(5);

    private readonly ActorRegistry _registry;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly RivetClient _client;
    private readonly ConcurrentDictionary<string, RunningActor> _actors = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task> _actorQueues = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<ulong, InboundRequest> _requests = new();
    private readonly RunnerConnectSockets _sockets;
    private readonly Dictionary<string, DateTime> _strayAsked = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _allStopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private EnvoyClient? _envoy;
    private volatile bool _draining;

    /// <param name="registry">The actors this runner hosts.</param>
    /// <param name="loggerFactory">Where the runner and its actors log.</param>
    /// <param name="client">The client actors use to call other actors.</param>
    /// <param name="connectionIdleTimeout">Closes client sockets silent for this long (<see cref="RunnerOptions.ConnectionIdleTimeout"/>); null: never.</param>
    public RunnerActorHost(ActorRegistry registry, ILoggerFactory loggerFactory, RivetClient client, TimeSpan? connectionIdleTimeout = null)
    {
        _registry = registry;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger("Rivet.Runner");
        _client = client;
        _sockets = new RunnerConnectSockets(message => Envoy.TrySendTunnelAsync(message), _logger, connectionIdleTimeout);
    }

    /// <summary>The request-body bytes this host holds (bounded per request by <see cref="RequestBodyBuffer.LimitFor"/>).</summary>
    public RequestBodyGauge RequestBodies { get; } = new();

    /// <summary>The actors running here now (not those starting, or stopping after the engine asked).</summary>
    public int RunningCount => _actors.Count;

    /// <summary>
    /// The actors this host is still busy with: running, starting, or stopping (a stop waits for the running action).
    /// </summary>
    public int BusyCount
    {
        get
        {
            var busy = new HashSet<string>(_actors.Keys, StringComparer.Ordinal);
            lock (_actorQueues)
            {
                foreach (var actorId in _actorQueues.Keys)
                {
                    busy.Add(actorId);
                }
            }
            return busy.Count;
        }
    }

    /// <summary>
    /// Raised with (actorId, generation) once that generation no longer runs here: stopped by the engine, failed to
    /// start, lost, or stopped locally. Raised off the receive loop; handlers must not block.
    /// </summary>
    public event Action<string, uint>? ActorStopped;

    /// <summary>Whether that generation of the actor runs here now.</summary>
    public bool IsRunning(string actorId, uint generation) => _actors.TryGetValue(actorId, out var running) && running.Generation == generation;

    /// <summary>
    /// Stops that generation of the actor here (after its running action) and reports it stopped with an error, so
    /// the engine puts it to sleep and starts it again on the next request. For a serverless request that ended
    /// before the engine stopped the actor.
    /// </summary>
    public Task StopLocallyAsync(string actorId, uint generation, string reason)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Enqueue(actorId, async () =>
        {
            try
            {
                if (_actors.TryGetValue(actorId, out var running) && running.Generation == generation && _actors.TryRemove(new KeyValuePair<string, RunningActor>(actorId, running)))
                {
                    LogActorLost(_logger, actorId, reason);
                    try
                    {
                        await _sockets.SuspendAsync(actorId).ConfigureAwait(false);
                        await StopQuietlyAsync(running.Instance).ConfigureAwait(false);
                        _sockets.AbandonAll(actorId);
                    }
                    finally
                    {
                        Envoy.SendEvent(actorId, generation, new EventActorStateUpdate
                        {
                            State = new ActorStateStopped { Code = StopCode.Error, Message = reason },
                        });
                        RaiseStopped(actorId, generation);
                    }
                }
            }
            finally
            {
                done.TrySetResult();
            }
        });
        return done.Task;
    }

    private void RaiseStopped(string actorId, uint generation)
    {
        // A request already on its way when the actor stopped here is no sign of a stray: the engine may be starting
        // the actor again (here or elsewhere), and asking it to sleep now would interrupt that.
        NoteStrayCheck(actorId, DateTime.UtcNow);
        try
        {
            ActorStopped?.Invoke(actorId, generation);
        }
        catch (Exception ex)
        {
            LogStoppedHandlerFailed(_logger, ex, actorId);
        }
    }

    /// <summary>Destroys the actor through the engine's API (<c>DELETE /actors/{id}</c>: the envoy protocol cannot carry a destroy after a sleep intent), retried for about a minute.</summary>
    private async Task DestroyThroughEngineAsync(string actorId)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await Envoy.DestroyActorAsync(actorId, CancellationToken.None).ConfigureAwait(false);
                LogDestroyedAfterSleep(_logger, actorId);
                return;
            }
            catch (ObjectDisposedException)
            {
                return; // the runner is shutting down; the engine keeps the actor asleep
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                if (attempt >= 20)
                {
                    LogDestroyAfterSleepFailed(_logger, ex, actorId);
                    return;
                }
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(250 * attempt, 5000))).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(EventId = 214, Level = LogLevel.Debug, Message = "Actor {ActorId} asked to be destroyed after it asked to sleep: destroyed through the engine's API")]
    private static partial void LogDestroyedAfterSleep(ILogger logger, string actorId);

    [LoggerMessage(EventId = 215, Level = LogLevel.Error, Message = "Actor {ActorId} asked to be destroyed after it asked to sleep; its storage was deleted, but destroying it through the engine's API failed")]
    private static partial void LogDestroyAfterSleepFailed(ILogger logger, Exception exception, string actorId);

    private EnvoyClient Envoy => _envoy ?? throw new InvalidOperationException("The runner is not attached to an engine connection.");

    public void Attach(EnvoyClient envoy) => _envoy = envoy;

    public void OnCommand(ActorCheckpoint checkpoint, ICommand command)
    {
        switch (command)
        {
            case CommandStartActor start:
                LogStartCommand(_logger, start.Config.Name, checkpoint.ActorId, checkpoint.Generation);
                var received = Stopwatch.GetTimestamp();
                Enqueue(checkpoint.ActorId, () => StartActorAsync(checkpoint, start, received));
                break;
            case CommandStopActor stop:
                Enqueue(checkpoint.ActorId, () => StopActorAsync(checkpoint, stop.Reason));
                break;
        }
    }

    /// <summary>Runs the actor's lifecycle operations one after another.</summary>
    private void Enqueue(string actorId, Func<Task> operation)
    {
        lock (_actorQueues)
        {
            var previous = _actorQueues.TryGetValue(actorId, out var tail) ? tail : Task.CompletedTask;
            var next = previous.ContinueWith(_ => operation(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
            _actorQueues[actorId] = next;
            _ = next.ContinueWith(t =>
            {
                if (t.Exception is { } fault)
                {
                    // Read, so it is not an unobserved task exception; the operations log their own failures.
                    LogQueueFault(_logger, fault.GetBaseException(), actorId);
                }
                lock (_actorQueues)
                {
                    if (_actorQueues.TryGetValue(actorId, out var current) && current == t)
                    {
                        _actorQueues.TryRemove(actorId, out _);
                    }
                }
            }, TaskScheduler.Default);
        }
    }

    private async Task StartActorAsync(ActorCheckpoint checkpoint, CommandStartActor start, long received)
    {
        var actorId = checkpoint.ActorId;
        var generation = checkpoint.Generation;
        var config = start.Config;
        try
        {
            if (!_registry.TryGet(config.Name, out var definition))
            {
                throw new InvalidOperationException($"No actor named '{config.Name}' is registered on this runner (registered: {string.Join(", ", _registry.Definitions.Select(d => d.Name))}).");
            }
            var key = config.Key is { } serialized ? ActorKey.Parse(serialized) : ActorKey.Empty;
            var input = config.Input is { Length: > 0 } cbor ? CborJson.CborToJson(cbor) : ReadOnlyMemory<byte>.Empty;
            var control = new RunnerActorControl(this, actorId, generation);
            // Client connections kept open at the gateway while the actor slept come back before OnWake runs, and
            // their open messages go out before it reports Running.
            RunnerConnectSockets.Restoration? restored = null;
            ActorInstance instance;
            try
            {
                instance = await ActorInstance.StartAsync(definition, actorId, key, input, new EnvoyActorKv(Envoy, actorId),
                    _loggerFactory, _client, control, CancellationToken.None,
                    beforeWake: async starting => restored = await _sockets.AttachHibernatedAsync(starting, start.HibernatingRequests).ConfigureAwait(false),
                    database: new ActorDatabase(new Database.EnvoySqlBackend(Envoy, Envoy.Namespace, actorId, generation))).ConfigureAwait(false);
            }
            catch
            {
                _sockets.AbandonAll(actorId);
                throw;
            }
            _actors[actorId] = new RunningActor(instance, generation, control);
            if (restored is not null)
            {
                await _sockets.FinishRestoreAsync(instance, restored).ConfigureAwait(false);
            }
            Envoy.SendEvent(actorId, generation, new EventActorStateUpdate { State = ActorStateRunning.Instance });
            control.MarkRunning();
            LogActorStarted(_logger, config.Name, actorId, generation, Stopwatch.GetElapsedTime(received).TotalMilliseconds);
        }
        catch (Exception ex)
        {
            LogActorStartFailed(_logger, ex, config.Name, actorId, generation);
            Envoy.SendEvent(actorId, generation, new EventActorStateUpdate
            {
                State = new ActorStateStopped { Code = StopCode.Error, Message = ex.Message },
            });
            RaiseStopped(actorId, generation);
        }
    }

    private async Task StopActorAsync(ActorCheckpoint checkpoint, StopActorReason reason)
    {
        var actorId = checkpoint.ActorId;
        if (!_actors.TryGetValue(actorId, out var running) || running.Generation != checkpoint.Generation)
        {
            // A stop for a generation that does not run here: its start failed, this runner gave it up without telling
            // the engine, or a previous process with this key ran it. Confirm the stop, or the engine waits for it
            // (a Lost stop needs no answer: the engine has written that generation off already).
            LogStopUnknown(_logger, actorId, checkpoint.Generation, reason);
            if (reason != StopActorReason.Lost)
            {
                Envoy.SendStrayStopped(actorId, checkpoint.Generation, StopCode.Ok, null);
            }
            RaiseStopped(actorId, checkpoint.Generation);
            if (reason == StopActorReason.Lost)
            {
                _ = UnparkLostAsync(actorId);
            }
            return;
        }
        _actors.TryRemove(actorId, out _);
        if (reason == StopActorReason.Lost)
        {
            // This runner reconnected after the engine had written it off (it was frozen, or cut off): the engine may
            // have started the actor elsewhere already, so no sleep path and no save (see DisposeLostAsync), and no
            // Stopped event (the engine ignores it, and every ignored event lengthens its reallocation backoff).
            LogActorLost(_logger, actorId, "the engine declared it lost while this runner was unreachable");
            _sockets.AbandonAll(actorId, dropQueued: true);
            await DisposeLostAsync(running.Instance).ConfigureAwait(false);
            RaiseStopped(actorId, checkpoint.Generation);
            _ = UnparkLostAsync(actorId);
            return;
        }
        try
        {
            // Sleep keeps the state (the engine's KV survives); a destroy (ours or the engine's) deletes it. A destroy
            // asked for after the sleep intent went out wins: the engine, already stopping the actor for the sleep,
            // drops the later stop intent, so the actor is destroyed here and then through the engine's API.
            var destroyAfterSleep = running.Control.DestroyAfterSleep && reason is not (StopActorReason.StopIntent or StopActorReason.Destroy);
            var destroyed = reason is StopActorReason.StopIntent or StopActorReason.Destroy || destroyAfterSleep;
            if (!destroyed)
            {
                // Hibernatable connections stay open at the gateway; the wake re-attaches them.
                await _sockets.SuspendAsync(actorId).ConfigureAwait(false);
            }
            await running.Instance.StopAsync(destroyed ? ActorStopReason.Destroy : ActorStopReason.Sleep, CancellationToken.None).ConfigureAwait(false);
            if (destroyed)
            {
                _sockets.CloseAll(actorId, "actor.destroyed");
            }
            else
            {
                _sockets.AbandonAll(actorId);
            }
            Envoy.SendEvent(actorId, checkpoint.Generation, new EventActorStateUpdate
            {
                State = new ActorStateStopped { Code = StopCode.Ok, Message = null },
            });
            LogActorStopped(_logger, running.Instance.Definition.Name, actorId, checkpoint.Generation, reason);
            if (destroyAfterSleep)
            {
                _ = DestroyThroughEngineAsync(actorId);
            }
        }
        catch (Exception ex)
        {
            LogActorStopFailed(_logger, ex, actorId, reason);
            Envoy.SendEvent(actorId, checkpoint.Generation, new EventActorStateUpdate
            {
                State = new ActorStateStopped { Code = StopCode.Error, Message = ex.Message },
            });
        }
        finally
        {
            RaiseStopped(actorId, checkpoint.Generation);
            if (_draining && _actors.IsEmpty)
            {
                _allStopped.TrySetResult();
            }
        }
    }

    public void OnActorsLost(string reason)
    {
        // Through each actor's operation queue, after the start or stop running there now: a start that ends after
        // the loss is dropped too (not left running on a connection the engine wrote off), and a later start of the
        // same actor waits until this generation has let go.
        var lost = EnqueueForAll(actorId => LoseAsync(actorId, reason));
        // Streamed requests still receiving their body end here (the gateway fails them with the connection): drop
        // them and free their bytes, or they would stay in the table, counted as held, for good.
        foreach (var (id, request) in _requests.ToArray())
        {
            if (_requests.TryRemove(new KeyValuePair<ulong, InboundRequest>(id, request)))
            {
                request.Body.Release();
                request.Cancel();
            }
        }
        _sockets.AbandonAll();
        _ = Task.WhenAll(lost.Values).ContinueWith(_ => _allStopped.TrySetResult(), TaskScheduler.Default);
    }

    /// <summary>Drops the generation running here after a loss (see <see cref="OnActorsLost"/>); nothing when none runs.</summary>
    private async Task LoseAsync(string actorId, string reason)
    {
        if (!_actors.TryRemove(actorId, out var running))
        {
            return;
        }
        LogActorLost(_logger, actorId, reason);
        // Kept and sent once the socket is back: an engine that restarted meanwhile never declared this runner
        // lost and would keep routing the actor here. An engine that did declare it lost ignores the old generation.
        Envoy.SendEvent(actorId, running.Generation, new EventActorStateUpdate
        {
            State = new ActorStateStopped { Code = StopCode.Error, Message = "The runner lost its connection to the engine: " + reason },
        });
        RaiseStopped(actorId, running.Generation);
        await DisposeLostAsync(running.Instance).ConfigureAwait(false);
    }

    /// <summary>
    /// Queues <paramref name="operation"/> on the operation queue of every actor that runs here or has a start or stop
    /// queued or running; each task ends once its operation has run (a failure is logged by the queue).
    /// </summary>
    private Dictionary<string, Task> EnqueueForAll(Func<string, Task> operation)
    {
        var done = new Dictionary<string, Task>(StringComparer.Ordinal);
        lock (_actorQueues)
        {
            foreach (var actorId in _actors.Keys.Concat(_actorQueues.Keys))
            {
                if (done.ContainsKey(actorId))
                {
                    continue;
                }
                var ran = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                Enqueue(actorId, async () =>
                {
                    try
                    {
                        await operation(actorId).ConfigureAwait(false);
                    }
                    finally
                    {
                        ran.TrySetResult();
                    }
                });
                done[actorId] = ran.Task;
            }
        }
        return done;
    }

    /// <summary>
    /// Drops a lost actor without its sleep path: its storage is the engine's KV behind the lost connection, and a final
    /// save queued until the reconnect could land after the engine restarted the actor elsewhere and overwrite what that
    /// generation saved (KV writes carry no generation). Every acknowledged action was saved before its answer.
    /// </summary>
    private async Task DisposeLostAsync(ActorInstance instance)
    {
        try
        {
            await instance.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogActorStopFailed(_logger, ex, instance.ActorId, StopActorReason.Lost);
        }
    }

    /// <summary>
    /// Asks the engine to put every actor here to sleep. A sleeping actor wakes on the next request on whichever
    /// runner is there; one moved away as "going away" with no other runner present is instead parked by the engine
    /// until a retry backoff expires.
    /// </summary>
    public void RequestSleepForAll()
    {
        _draining = true;
        foreach (var (actorId, running) in _actors)
        {
            Envoy.SendEvent(actorId, running.Generation, new EventActorIntent { Intent = ActorIntentSleep.Instance });
        }
    }

    /// <summary>Waits until the engine has stopped every actor here (after sleep intents or <see cref="EnvoyClient.SendStoppingAsync"/>).</summary>
    public Task WaitForAllStoppedAsync(TimeSpan timeout)
    {
        _draining = true;
        if (_actors.IsEmpty)
        {
            _allStopped.TrySetResult();
        }
        return _allStopped.Task.WaitAsync(timeout);
    }

    /// <summary>Whether no actor runs, starts or stops here any more (<see cref="BusyCount"/> is 0).</summary>
    public bool IsIdle => _actors.IsEmpty && _actorQueues.IsEmpty;

    /// <summary>
    /// Stops whatever is still running (after a drain timeout), without telling the engine. It goes through each
    /// actor's operation queue, after the start or stop running there now: a start that ends meanwhile is stopped too,
    /// and a stop the engine asks for later is confirmed only after this one saved. With a <paramref name="bound"/>,
    /// gives up waiting after it: an action that ignores its token keeps its actor's turn, and the actor is abandoned
    /// (its unsaved changes are lost; nothing was acknowledged for them); each one cut off is logged.
    /// </summary>
    public async Task StopAllLocallyAsync(TimeSpan? bound = null)
    {
        _sockets.AbandonAll();
        var stops = EnqueueForAll(async actorId =>
        {
            if (_actors.TryRemove(actorId, out var running))
            {
                await StopQuietlyAsync(running.Instance).ConfigureAwait(false);
                RaiseStopped(actorId, running.Generation);
            }
        });
        LogStoppingLocally(_logger, stops.Count, _actors.Count);
        var all = Task.WhenAll(stops.Values);
        if (bound is not { } limit)
        {
            await all.ConfigureAwait(false);
            return;
        }
        try
        {
            await all.WaitAsync(limit).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            var cutOff = stops.Where(s => !s.Value.IsCompleted).Select(s => s.Key).ToArray();
            LogAbandoned(_logger, limit.TotalSeconds, cutOff.Length);
            foreach (var actorId in cutOff)
            {
                LogCutOff(_logger, actorId, limit.TotalSeconds);
            }
        }
    }

    /// <summary>
    /// How long the runner's last local stop waits: the longest sleep grace period among the actors running here
    /// (<see cref="Actor.DefaultSleepGracePeriod"/> when none runs), the time each is given to stop.
    /// </summary>
    public TimeSpan LocalStopGrace => _actors.Values
        .Select(r => r.Instance.Actor.EffectiveSleepGracePeriod)
        .Append(Actor.DefaultSleepGracePeriod)
        .Max();

    [LoggerMessage(EventId = 2400, Level = LogLevel.Debug, Message = "Stopping {Count} actor(s) here without the engine ({Running} running, the others starting or stopping first)")]
    private static partial void LogStoppingLocally(ILogger logger, int count, int running);

    [LoggerMessage(EventId = 2401, Level = LogLevel.Warning, Message = "Actor {ActorId} did not stop here within {Seconds} s (an action ignoring its CancellationToken, a slow OnSleepAsync, start or stop); abandoned without its last save")]
    private static partial void LogCutOff(ILogger logger, string actorId, double seconds);

    [LoggerMessage(EventId = 218, Level = LogLevel.Warning, Message = "Stopping the actors here did not finish within {Seconds} s ({Busy} still in an action that ignores its CancellationToken, starting or stopping); abandoning them")]
    private static partial void LogAbandoned(ILogger logger, double seconds, int busy);

    /// <summary>Stops an actor the engine did not ask to stop: OnSleep and a last save, with failures only logged.</summary>
    private async Task StopQuietlyAsync(ActorInstance instance)
    {
        try
        {
            await instance.StopAsync(ActorStopReason.Shutdown, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogActorStopFailed(_logger, ex, instance.ActorId, StopActorReason.Lost);
            await instance.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// What one generation of an actor asks of the engine: intents and alarms, sent as that generation's events. What
    /// the actor asks while starting waits until it reported Running (an alarm sent before Running stalls the
    /// engine's placement of other actors; RivetKit also sends it after).
    /// </summary>
    private sealed class RunnerActorControl(RunnerActorHost host, string actorId, uint generation) : IActorHostControl
    {
        private readonly Lock _gate = new();
        private List<IEvent>? _pending = [];

        private volatile bool _sleepSent;

        /// <summary>A destroy was asked for after the sleep intent went out (the engine drops that stop intent).</summary>
        public bool DestroyAfterSleep { get; private set; }

        public void RequestSleep(ActorInstance actor)
        {
            _sleepSent = true;
            Send(new EventActorIntent { Intent = ActorIntentSleep.Instance });
        }

        public void RequestDestroy(ActorInstance actor)
        {
            if (_sleepSent)
            {
                DestroyAfterSleep = true;
            }
            Send(new EventActorIntent { Intent = ActorIntentStop.Instance });
        }

        public void SetAlarm(ActorInstance actor, DateTimeOffset? at) => Send(new EventActorSetAlarm { AlarmTs = at?.ToUnixTimeMilliseconds() });

        /// <summary>The generation reported Running: send what waited, then everything as it comes.</summary>
        public void MarkRunning()
        {
            lock (_gate)
            {
                foreach (var pending in _pending ?? [])
                {
                    host.Envoy.SendEvent(actorId, generation, pending);
                }
                _pending = null;
            }
        }

        private void Send(IEvent inner)
        {
            lock (_gate)
            {
                if (_pending is { } pending)
                {
                    pending.Add(inner);
                    return;
                }
                host.Envoy.SendEvent(actorId, generation, inner);
            }
        }
    }

    public void OnTunnelMessage(ToEnvoyTunnelMessage message)
    {
        var id = RequestKey(message.MessageId);
        switch (message.MessageKind)
        {
            case ToEnvoyRequestStart start:
                var request = new InboundRequest(message.MessageId.GatewayId, message.MessageId.RequestId, start, RequestBodies);
                // Bodies over the limit are refused from what is known first (content-length, then the running length)
                // and never held; the default gateway sends the whole body in this one message, the streaming one in chunks.
                if ((RequestBodyBuffer.CheckDeclaredLength(start.Headers, request.Body.Limit) ?? RequestBodyBuffer.CheckLength(start.Body?.Length ?? 0, request.Body.Limit)) is { } tooLong)
                {
                    _ = RefuseAsync(request, tooLong);
                }
                else if (start.Stream)
                {
                    _requests[id] = request;
                }
                else
                {
                    _ = ServeAsync(request, start.Body ?? []);
                }
                break;
            case ToEnvoyRequestChunk chunk when _requests.TryGetValue(id, out var streaming):
                if (streaming.Body.Append(chunk.Body) is { } overLimit)
                {
                    _requests.TryRemove(id, out _);
                    _ = RefuseAsync(streaming, overLimit);
                    break;
                }
                // Flow control: return the credit for what was consumed (cumulative), so the engine keeps sending.
                _ = SendTunnelAsync(streaming, new ToRivetRequestBodyWindowUpdate { ConsumedBytes = (ulong)streaming.Body.Written.Length });
                if (chunk.Finish)
                {
                    _requests.TryRemove(id, out _);
                    _ = ServeAsync(streaming, streaming.Body.Written);
                }
                break;
            case ToEnvoyRequestAbort or ToEnvoyRequestBodyCancel:
                if (_requests.TryRemove(id, out var aborted))
                {
                    aborted.Body.Release();
                    aborted.Cancel();
                }
                break;
            case ToEnvoyWebSocketOpen open:
                var target = _actors.TryGetValue(open.ActorId, out var running) ? running.Instance : null;
                if (target is null)
                {
                    ReportStray(open.ActorId);
                }
                _sockets.Open(message.MessageId, open, target);
                break;
            case ToEnvoyWebSocketMessage frame:
                _sockets.Receive(message.MessageId, frame);
                break;
            case ToEnvoyWebSocketClose close:
                _sockets.ClientClosed(message.MessageId, close);
                break;
            default:
                LogTunnelIgnored(_logger, message.MessageKind.GetType().Name);
                break;
        }
    }

    /// <summary>
    /// The gateway sent a request or socket for an actor that does not run here and is not starting: the engine still
    /// places it on this runner key (a process restarted with the key of one that crashed, or a runner that gave its
    /// actors up during an engine outage). Answering "not found" alone would strand it here, so ask the engine to put it
    /// to sleep (at most every <see cref="s_strayRetry"/> per actor, and not within that time of a stop here); its stop command names the generation, which
    /// <see cref="StopActorAsync"/> then reports stopped, and the next request starts the actor again.
    /// </summary>
    private void ReportStray(string actorId)
    {
        if (_actors.ContainsKey(actorId) || _actorQueues.ContainsKey(actorId))
        {
            return;
        }
        var now = DateTime.UtcNow;
        lock (_strayAsked)
        {
            // Checked and noted in one step: requests for the actor arrive concurrently, and each would ask otherwise.
            if (_strayAsked.TryGetValue(actorId, out var last) && now - last < s_strayRetry)
            {
                return;
            }
            NoteStrayCheck(actorId, now);
        }
        LogStrayReported(_logger, actorId);
        _ = AskEngineToSleepAsync(actorId);
    }

    /// <summary>Records when the actor last stopped here or was reported stray; <see cref="ReportStray"/> waits <see cref="s_strayRetry"/> after either.</summary>
    private void NoteStrayCheck(string actorId, DateTime at)
    {
        lock (_strayAsked)
        {
            if (_strayAsked.Count >= MaxStrayEntries)
            {
                _strayAsked.Clear(); // an early repeat is harmless; an unbounded table is not
            }
            _strayAsked[actorId] = at;
        }
    }

    /// <summary>
    /// After the engine declared an actor lost (this runner was unreachable past the lost threshold), a request for it
    /// while no runner of the pool was reachable parks the engine's actor workflow in its reallocation backoff
    /// (<c>Reallocating</c>), and every further request (wake signal) or event for the actor doubles that backoff (2, 4 …
    /// 64 s) without ending it; a request the gateway holds waiting for the actor sends no further wake. A sleep request
    /// moves a reallocating actor to sleep, and a wake then starts a sleeping actor at once on an eligible runner (this
    /// one, reconnected). So, for an actor that runs nowhere: sleep, then wake (through the gateway, without waiting), and
    /// check again up to <see cref="UnparkAttempts"/> times, <see cref="s_unparkRetry"/> apart, in case the start went to a runner that was not ready.
    /// </summary>
    private async Task UnparkLostAsync(string actorId)
    {
        for (var attempt = 0; attempt < UnparkAttempts; attempt++)
        {
            try
            {
                if (attempt > 0)
                {
                    await Task.Delay(s_unparkRetry).ConfigureAwait(false);
                }
                if (_draining || _actors.ContainsKey(actorId))
                {
                    return; // this runner is shutting down, or the actor started here again
                }
                var actor = await Envoy.GetActorAsync(actorId, CancellationToken.None).ConfigureAwait(false);
                var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                var stranded = actor is { ConnectableTs: null, DestroyTs: null };
                LogLostActorState(_logger, actorId, attempt + 1, actor?.ConnectableTs, actor?.RescheduleTs is { } at ? at - now : null, stranded);
                if (!stranded)
                {
                    return;
                }
                NoteStrayCheck(actorId, DateTime.UtcNow);
                await Envoy.RequestSleepAsync(actorId, CancellationToken.None).ConfigureAwait(false);
                // The wake is sent once the gateway found the actor; its answer may wait (seen: 10 s and more when the
                // engine had the actor in another state), which must not hold up the next check.
                using var wakeTimeout = new CancellationTokenSource(s_unparkRetry);
                try
                {
                    await Envoy.WakeActorAsync(actorId, wakeTimeout.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is OperationCanceledException or TimeoutException && wakeTimeout.IsCancellationRequested)
                {
                    LogWakeUnanswered(_logger, actorId, s_unparkRetry.TotalSeconds);
                }
            }
            catch (Exception ex)
            {
                LogStraySleepFailed(_logger, actorId, ex.Message);
            }
        }
    }

    private const int UnparkAttempts = 8;
    private static readonly TimeSpan s_unparkRetry = TimeSpan.FromSeconds(5);

    private async Task AskEngineToSleepAsync(string actorId)
    {
        try
        {
            await Envoy.RequestSleepAsync(actorId, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogStraySleepFailed(_logger, actorId, ex.Message);
        }
    }

    private async Task ServeAsync(InboundRequest request, ReadOnlyMemory<byte> body)
    {
        var start = request.Start;
        ActorHttpResponse response;
        try
        {
            if (!_actors.TryGetValue(start.ActorId, out var running))
            {
                ReportStray(start.ActorId);
                response = new ActorHttpResponse(503, new Dictionary<string, string>
                {
                    ["x-rivet-error"] = "envoy.actor_not_found",
                    ["content-type"] = "application/json",
                }, System.Text.Encoding.UTF8.GetBytes($"{{\"group\":\"envoy\",\"code\":\"actor_not_found\",\"message\":\"Actor {start.ActorId} is not running on this runner.\"}}"));
            }
            else
            {
                response = await ActorHttpEndpoint.HandleAsync(running.Instance, running.Generation, start.Method, start.Path, start.Headers,
                    body, request.Aborted).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (request.Aborted.IsCancellationRequested)
        {
            return; // the client went away
        }
        catch (Exception ex)
        {
            LogRequestFailed(_logger, ex, start.ActorId, start.Method, start.Path);
            response = new ActorHttpResponse(500, new Dictionary<string, string> { ["content-type"] = "application/json" },
                System.Text.Encoding.UTF8.GetBytes("{\"group\":\"actor\",\"code\":\"internal_error\",\"message\":\"An internal error occurred\"}"));
        }
        finally
        {
            request.Body.Release();
        }
        await SendTunnelAsync(request, new ToRivetResponseStart
        {
            Status = response.Status,
            Headers = response.Headers,
            Body = response.Body,
            Stream = false,
        }).ConfigureAwait(false);
    }

    /// <summary>Answers a request whose body is over the limit, and tells a streaming gateway to stop sending it.</summary>
    private async Task RefuseAsync(InboundRequest request, RivetException error)
    {
        var start = request.Start;
        LogBodyRefused(_logger, start.ActorId, start.Method, start.Path, error.Message);
        RequestBodies.CountRefused();
        var running = _actors.GetValueOrDefault(start.ActorId);
        var response = ActorHttpEndpoint.Refuse(running?.Instance, running?.Generation ?? 0, start.Headers, error, RequestBodyBuffer.RefusedStatus(start.Path));
        await SendTunnelAsync(request, new ToRivetResponseStart
        {
            Status = response.Status,
            Headers = response.Headers,
            Body = response.Body,
            Stream = false,
        }).ConfigureAwait(false);
        if (start.Stream)
        {
            await SendTunnelAsync(request, ToRivetRequestBodyCancel.Instance).ConfigureAwait(false);
        }
    }

    private ValueTask SendTunnelAsync(InboundRequest request, IToRivetTunnelMessageKind kind) =>
        Envoy.SendTunnelAsync(new ToRivetTunnelMessage
        {
            MessageId = new MessageId { GatewayId = request.GatewayId, RequestId = request.RequestId, MessageIndex = request.NextIndex() },
            MessageKind = kind,
        });

    private static ulong RequestKey(MessageId id) =>
        ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(id.GatewayId) << 32) | BinaryPrimitives.ReadUInt32LittleEndian(id.RequestId);

    private sealed record RunningActor(ActorInstance Instance, uint Generation, RunnerActorControl Control);

    /// <summary>One tunnelled request: its body so far, and the index counter of the messages we send for it.</summary>
    private sealed class InboundRequest(byte[] gatewayId, byte[] requestId, ToEnvoyRequestStart start, RequestBodyGauge bodies)
    {
        private readonly CancellationTokenSource _aborted = new();
        private int _nextIndex = -1;

        public byte[] GatewayId { get; } = gatewayId;

        public byte[] RequestId { get; } = requestId;

        public ToEnvoyRequestStart Start { get; } = start;

        /// <summary>The streamed body so far (a buffered request's body is its start message's).</summary>
        public RequestBodyBuffer Body { get; } = new(bodies, RequestBodyBuffer.LimitFor(start.Path));

        public CancellationToken Aborted => _aborted.Token;

        public ushort NextIndex() => unchecked((ushort)Interlocked.Increment(ref _nextIndex));

        public void Cancel() => _aborted.Cancel();
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Debug, Message = "Actor {Name} ({ActorId}) generation {Generation} started, Running sent {Milliseconds:0} ms after its start command arrived")]
    private static partial void LogActorStarted(ILogger logger, string name, string actorId, uint generation, double milliseconds);

    [LoggerMessage(EventId = 208, Level = LogLevel.Debug, Message = "Start command for actor {Name} ({ActorId}) generation {Generation}")]
    private static partial void LogStartCommand(ILogger logger, string name, string actorId, uint generation);

    [LoggerMessage(EventId = 201, Level = LogLevel.Error, Message = "Actor {Name} ({ActorId}) generation {Generation} failed to start")]
    private static partial void LogActorStartFailed(ILogger logger, Exception exception, string name, string actorId, uint generation);

    [LoggerMessage(EventId = 202, Level = LogLevel.Debug, Message = "Actor {Name} ({ActorId}) generation {Generation} stopped ({Reason})")]
    private static partial void LogActorStopped(ILogger logger, string name, string actorId, uint generation, StopActorReason reason);

    [LoggerMessage(EventId = 203, Level = LogLevel.Error, Message = "Stopping actor {ActorId} ({Reason}) failed")]
    private static partial void LogActorStopFailed(ILogger logger, Exception exception, string actorId, StopActorReason reason);

    [LoggerMessage(EventId = 204, Level = LogLevel.Debug, Message = "Stop ({Reason}) for actor {ActorId} generation {Generation}, which is not running here")]
    private static partial void LogStopUnknown(ILogger logger, string actorId, uint generation, StopActorReason reason);

    [LoggerMessage(EventId = 205, Level = LogLevel.Warning, Message = "Actor {ActorId} stopped locally: {Reason}")]
    private static partial void LogActorLost(ILogger logger, string actorId, string reason);

    [LoggerMessage(EventId = 206, Level = LogLevel.Error, Message = "Request {Method} {Path} to actor {ActorId} failed")]
    private static partial void LogRequestFailed(ILogger logger, Exception exception, string actorId, string method, string path);

    [LoggerMessage(EventId = 213, Level = LogLevel.Debug, Message = "Refused request {Method} {Path} to actor {ActorId}: {Reason}")]
    private static partial void LogBodyRefused(ILogger logger, string actorId, string method, string path, string reason);

    [LoggerMessage(EventId = 207, Level = LogLevel.Debug, Message = "Ignoring tunnel message {Kind}")]
    private static partial void LogTunnelIgnored(ILogger logger, string kind);

    [LoggerMessage(EventId = 210, Level = LogLevel.Warning, Message = "Actor {ActorId} is routed here but does not run here; asking the engine to put it to sleep so the next request starts it again")]
    private static partial void LogStrayReported(ILogger logger, string actorId);

    [LoggerMessage(EventId = 211, Level = LogLevel.Warning, Message = "Asking the engine to put actor {ActorId} to sleep failed: {Reason}")]
    private static partial void LogStraySleepFailed(ILogger logger, string actorId, string reason);

    [LoggerMessage(EventId = 216, Level = LogLevel.Information, Message = "Actor {ActorId}, declared lost by the engine (check {Attempt}): connectable since {ConnectableTs}, reschedule_ts in {RescheduleInMs} ms; running nowhere, so asking the engine to put it to sleep and wake it: {Stranded}")]
    private static partial void LogLostActorState(ILogger logger, string actorId, int attempt, long? connectableTs, long? rescheduleInMs, bool stranded);

    [LoggerMessage(EventId = 217, Level = LogLevel.Information, Message = "The gateway did not answer the wake of actor {ActorId} within {Seconds} s; checking again")]
    private static partial void LogWakeUnanswered(ILogger logger, string actorId, double seconds);

    [LoggerMessage(EventId = 212, Level = LogLevel.Error, Message = "A lifecycle operation of actor {ActorId} failed")]
    private static partial void LogQueueFault(ILogger logger, Exception exception, string actorId);

    [LoggerMessage(EventId = 209, Level = LogLevel.Warning, Message = "A handler of the stop of actor {ActorId} failed")]
    private static partial void LogStoppedHandlerFailed(ILogger logger, Exception exception, string actorId);
}
