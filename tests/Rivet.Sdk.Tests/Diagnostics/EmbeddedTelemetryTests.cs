using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Rivet.Hosting;
using Rivet.Storage;

namespace Rivet.Sdk.Tests.Diagnostics;

/// <summary>Spans, metrics and log scopes of the embedded host, read through OpenTelemetry's in-memory exporter.</summary>
public sealed class EmbeddedTelemetryTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private readonly TelemetryCapture _telemetry = new();
    private readonly ScopeCapturingLoggerProvider _logs = new();
    private RivetHost _host = null!;

    public async Task InitializeAsync() => _host = await RivetHost.StartAsync(new RivetHostOptions
    {
        Storage = new InMemoryActorStorage(),
        LoggerFactory = LoggerFactory.Create(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Information)),
    });

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _telemetry.Dispose();
    }

    [Fact]
    public async Task An_action_that_calls_another_actor_is_one_trace_with_rpc_and_rivet_attributes()
    {
        var (frontKey, backKey) = (Guid.NewGuid().ToString("N"), Guid.NewGuid().ToString("N"));
        Activity root;
        using (root = _telemetry.StartRoot("test"))
        {
            Assert.Equal(4, await _host.Client.TraceFront.GetOrCreate(frontKey).Forward(backKey, 4).WaitAsync(Bound));
        }

        var spans = _telemetry.Trace(root.TraceId);
        TraceAssertions.ForwardTrace(spans, root, frontKey, backKey);
    }

    [Fact]
    public async Task A_failed_action_marks_its_server_and_client_spans_with_the_rivet_error()
    {
        Activity root;
        using (root = _telemetry.StartRoot("test"))
        {
            var error = await Assert.ThrowsAsync<RivetException>(() => _host.Client.TraceFront.GetOrCreate(Guid.NewGuid().ToString("N")).Fail().WaitAsync(Bound));
            Assert.Equal("trace_refused", error.Code);
        }

        var spans = _telemetry.Trace(root.TraceId);
        foreach (var kind in new[] { ActivityKind.Client, ActivityKind.Server })
        {
            var span = TraceAssertions.Single(spans, "traceFront/fail", kind);
            Assert.Equal(ActivityStatusCode.Error, span.Status);
            Assert.Equal("user.trace_refused", span.GetTagItem("error.type"));
        }
    }

    [Fact]
    public async Task A_scheduled_action_runs_in_its_own_trace_linked_to_the_span_that_scheduled_it()
    {
        var front = _host.Client.TraceFront.GetOrCreate(Guid.NewGuid().ToString("N"));
        Activity root;
        using (root = _telemetry.StartRoot("test"))
        {
            await front.TickLater(20).WaitAsync(Bound);
        }
        var scheduling = TraceAssertions.Single(_telemetry.Trace(root.TraceId), "traceFront/tickLater", ActivityKind.Server);

        var deadline = DateTime.UtcNow + Bound;
        while (await front.GetTicks().WaitAsync(Bound) == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the scheduled tick did not run within {Bound.TotalSeconds} s");
            await Task.Delay(20);
        }

        var tick = _telemetry.AllSpans().Single(s => s.DisplayName == "traceFront/tick" && s.Links.Any(l => l.Context.SpanId == scheduling.SpanId));
        Assert.Equal(ActivityKind.Server, tick.Kind);
        Assert.Equal("schedule", tick.GetTagItem("rivet.invocation.type"));
        Assert.NotEqual(root.TraceId, tick.TraceId);
        Assert.Equal(default, tick.ParentSpanId);
        Assert.Equal(scheduling.TraceId, tick.Links.Single().Context.TraceId);
    }

    [Fact]
    public async Task A_connection_open_continues_the_callers_trace_and_its_actions_link_to_it()
    {
        var key = Guid.NewGuid().ToString("N");
        Activity root;
        using (root = _telemetry.StartRoot("test"))
        {
            await using var connection = await _host.Client.TraceFront.GetOrCreate(key).Connect().WaitAsync(Bound);
            await connection.Tick().WaitAsync(Bound);
        }
        var open = TraceAssertions.Single(_telemetry.Trace(root.TraceId), "traceFront/connect", ActivityKind.Server);
        Assert.Equal(root.SpanId, open.ParentSpanId);
        Assert.Equal("connect", open.GetTagItem("rivet.invocation.type"));
        Assert.False(string.IsNullOrEmpty(open.GetTagItem("rivet.connection.id") as string));

        Assert.Contains(_telemetry.AllSpans(), s => s.DisplayName == "traceFront/tick" && s.Kind == ActivityKind.Server && s.Links.Any(l => l.Context.SpanId == open.SpanId));
    }

    [Fact]
    public async Task Every_action_logs_inside_a_scope_with_the_actor_the_action_and_the_trace()
    {
        var key = Guid.NewGuid().ToString("N");
        Activity root;
        using (root = _telemetry.StartRoot("test"))
        {
            await _host.Client.TraceFront.GetOrCreate(key).Forward(Guid.NewGuid().ToString("N"), 2).WaitAsync(Bound);
        }
        var server = TraceAssertions.Single(_telemetry.Trace(root.TraceId), "traceFront/forward", ActivityKind.Server);

        var line = _logs.Entries.Single(e => e.Text == "forwarding 2" && Equals(e.Scope.GetValueOrDefault("TraceId"), root.TraceId.ToHexString()));
        Assert.Equal(server.GetTagItem("rivet.actor.id"), line.Scope["rivet.actor.id"]);
        Assert.Equal("traceFront", line.Scope["rivet.actor.name"]);
        Assert.Equal("forward", line.Scope["rivet.action.name"]);
        Assert.Equal(server.SpanId.ToHexString(), line.Scope["SpanId"]);
    }

    [Fact]
    public async Task The_meter_reports_call_durations_lifecycle_and_saves_by_actor_name_never_by_id_or_key()
    {
        var frontKey = Guid.NewGuid().ToString("N");
        var front = _host.Client.TraceFront.GetOrCreate(frontKey);
        await front.Forward(Guid.NewGuid().ToString("N"), 1).WaitAsync(Bound);
        await Assert.ThrowsAsync<RivetException>(() => front.Fail().WaitAsync(Bound));

        var server = _telemetry.Points("rpc.server.call.duration").Select(TelemetryCapture.Tags).ToList();
        Assert.Contains(server, t => Equals(t["rpc.method"], "traceFront/forward") && Equals(t["rivet.actor.name"], "traceFront") && !t.ContainsKey("error.type"));
        Assert.Contains(server, t => Equals(t["rpc.method"], "traceFront/fail") && Equals(t["error.type"], "user.trace_refused"));
        Assert.Contains(_telemetry.Points("rpc.client.call.duration").Select(TelemetryCapture.Tags), t => Equals(t["rpc.method"], "traceBack/add"));
        Assert.Contains(_telemetry.Points("rivet.actor.starts").Select(TelemetryCapture.Tags), t => Equals(t["rivet.actor.name"], "traceBack"));
        Assert.Contains(_telemetry.Points("rivet.actor.active"), p => Equals(TelemetryCapture.Tags(p)["rivet.actor.name"], "traceFront") && p.GetSumLong() >= 1);
        Assert.NotEmpty(_telemetry.Points("rivet.actor.wake.duration"));
        Assert.NotEmpty(_telemetry.Points("rivet.actor.state.save.duration"));

        // Low cardinality: no instrument is tagged with an actor id or key.
        foreach (var name in _telemetry.MetricNames())
        {
            foreach (var point in _telemetry.Points(name))
            {
                var tags = TelemetryCapture.Tags(point);
                Assert.DoesNotContain("rivet.actor.id", tags.Keys);
                Assert.DoesNotContain("rivet.actor.key", tags.Keys);
                Assert.DoesNotContain(tags.Values, v => v is string s && s.Contains(frontKey, StringComparison.Ordinal));
            }
        }
    }

    /// <summary>Keeps every log line with the values of the scopes it was written in.</summary>
    private sealed class ScopeCapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

        public ConcurrentQueue<(string Text, Dictionary<string, object?> Scope)> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class Logger(ScopeCapturingLoggerProvider owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var scope = new Dictionary<string, object?>();
                owner._scopes.ForEachScope((value, values) =>
                {
                    if (value is IEnumerable<KeyValuePair<string, object?>> pairs)
                    {
                        foreach (var (k, v) in pairs)
                        {
                            values[k] = v;
                        }
                    }
                }, scope);
                owner.Entries.Enqueue((formatter(state, exception), scope));
            }
        }
    }
}
