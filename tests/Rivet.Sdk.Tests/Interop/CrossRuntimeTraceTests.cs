using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Hosting.Runner;
using Rivet.Sdk.Tests.Diagnostics;
using Rivet.Sdk.Tests.Engine;
using Rivet.Sdk.Tests.EngineClient;
using Rivet.Sdk.Tests.Infrastructure;
using Rivet.Sdk.Tests.Runner;

namespace Rivet.Sdk.Tests.Interop;

/// <summary>
/// One trace across runtimes on the real engine: RivetKit's TypeScript client (with an active OpenTelemetry span)
/// calls a .NET actor on our runner, which calls RivetKit's TypeScript counter. The .NET spans are read with the
/// in-memory exporter; the TypeScript actor's spans with what RivetKit 2.3.19's native core exports over OTLP/HTTP
/// JSON (<c>OTEL_EXPORTER_OTLP_*</c>) to a small receiver here.
/// </summary>
[Collection("engine")]
public sealed class CrossRuntimeTraceTests(EngineFixture engine) : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);
    private readonly string _pool = "xtrace-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _tsPool = "xtrace-ts-" + Guid.NewGuid().ToString("N")[..8];
    private readonly TelemetryCapture _telemetry = new();
    private readonly OtlpJsonReceiver _otlp = new();
    private readonly StringBuilder _tsLog = new();
    private RivetRunner _runner = null!;
    private Process _tsActor = null!;

    public async Task InitializeAsync()
    {
        _runner = await GatewayHttp.StartRunnerAsync(engine.Endpoint, _pool);
        var info = new ProcessStartInfo(TsActorFixture.NodePath, [TsActorFixture.ScriptPath])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.Combine(RepoPaths.Root, "tools", "engine"),
        };
        info.Environment["RIVET_ENDPOINT"] = engine.Endpoint.AbsoluteUri.TrimEnd('/');
        info.Environment["RIVET_POOL"] = _tsPool;
        info.Environment["NODE_ENV"] = "development";
        info.Environment.Remove("RIVET_TOKEN");
        info.Environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = _otlp.Endpoint;
        info.Environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/json";
        info.Environment["OTEL_BSP_SCHEDULE_DELAY"] = "100";
        info.Environment["OTEL_SERVICE_NAME"] = "ts-actor";
        _tsActor = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {TsActorFixture.NodePath}.");
        _tsActor.OutputDataReceived += (_, e) => Append(e.Data);
        _tsActor.ErrorDataReceived += (_, e) => Append(e.Data);
        _tsActor.BeginOutputReadLine();
        _tsActor.BeginErrorReadLine();

        using var api = engine.CreateClient();
        var deadline = DateTime.UtcNow + Bound;
        while (!(await api.ListEnvoysAsync(_tsPool)).Any(e => e.PoolName == _tsPool))
        {
            Assert.False(_tsActor.HasExited, $"The TypeScript actor exited during start-up:\n{TsLog()}");
            Assert.True(DateTime.UtcNow < deadline, $"The TypeScript actor did not register pool {_tsPool} within {Bound.TotalSeconds} s:\n{TsLog()}");
            await Task.Delay(100);
        }
    }

    public async Task DisposeAsync()
    {
        try
        {
            _tsActor.StandardInput.Close(); // ts-actor.mjs shuts its registry down when stdin ends
            await _tsActor.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is TimeoutException or IOException or InvalidOperationException)
        {
            _tsActor.Kill(entireProcessTree: true);
        }
        _tsActor.Dispose();
        await _runner.DisposeAsync();
        _otlp.Dispose();
        _telemetry.Dispose();
    }

    [Fact]
    public async Task A_trace_started_in_the_TypeScript_client_goes_through_a_dotnet_actor_into_a_TypeScript_actor_with_one_trace_id()
    {
        var (key, tsKey) = (Guid.NewGuid().ToString("N"), Guid.NewGuid().ToString("N"));
        using var result = await RunTraceClientAsync(key, tsKey);
        var r = result.RootElement;
        Assert.True(r.TryGetProperty("traceId", out var traceIdText), $"The TypeScript client failed: {r}");
        Assert.Equal(1, r.GetProperty("result").GetInt32());
        var traceId = ActivityTraceId.CreateFromString(traceIdText.GetString());
        var clientSpanId = r.GetProperty("spanId").GetString();

        // .NET: the runner's server span continues the TypeScript client's span; its call to the TS actor is a child.
        var spans = _telemetry.Trace(traceId);
        var relay = TraceAssertions.Single(spans, "traceRelay/relay", ActivityKind.Server);
        Assert.Equal(clientSpanId, relay.ParentSpanId.ToHexString());
        Assert.False(string.IsNullOrEmpty(relay.GetTagItem("rivet.ray.id") as string), "the gateway's ray id reaches the .NET span");
        var call = TraceAssertions.Single(spans, "counter/increment", ActivityKind.Client);
        Assert.Equal(relay.SpanId, call.ParentSpanId);

        // TypeScript actor: RivetKit's invocation span is in the same trace, under the .NET client span.
        var deadline = DateTime.UtcNow + Bound;
        JsonElement invoke;
        while (!_otlp.TryFindSpan(traceId.ToHexString(), call.SpanId.ToHexString(), out invoke))
        {
            Assert.True(DateTime.UtcNow < deadline,
                $"RivetKit's TypeScript actor exported no span of trace {traceId} under span {call.SpanId} within {Bound.TotalSeconds} s. "
                + $"Spans received: {_otlp.Describe()}\nTS actor output:\n{TsLog()}");
            await Task.Delay(100);
        }
        // RivetKit names it as we do ({actor}/{action}, server kind) with the same rivet.* keys.
        Assert.Equal("counter/increment", invoke.GetProperty("name").GetString());
        Assert.Equal(2, invoke.GetProperty("kind").GetInt32()); // SPAN_KIND_SERVER
        var attributes = invoke.GetProperty("attributes").EnumerateArray()
            .ToDictionary(a => a.GetProperty("key").GetString()!, a => a.GetProperty("value").GetProperty("stringValue").GetString());
        Assert.Equal("counter", attributes["rivet.actor.name"]);
        Assert.Equal("increment", attributes["rivet.action.name"]);
        Assert.Equal(tsKey, attributes["rivet.actor.key"]);
        Assert.Equal("action", attributes["rivet.invocation.type"]);
    }

    private Task<JsonDocument> RunTraceClientAsync(string key, string tsKey) =>
        NodeScript.RunForJsonAsync(Path.Combine(RepoPaths.Root, "tests", "interop", "ts-trace-client.mjs"),
            [engine.Endpoint.ToString().TrimEnd('/'), _pool, key, _tsPool, tsKey], Bound, "The TypeScript trace client");

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_tsLog)
            {
                _tsLog.Append(line).Append('\n');
            }
        }
    }

    private string TsLog()
    {
        lock (_tsLog)
        {
            return string.Join('\n', _tsLog.ToString().Split('\n').TakeLast(40));
        }
    }

    /// <summary>Accepts OTLP/HTTP JSON trace exports (<c>POST /v1/traces</c>) on a loopback port and keeps their spans.</summary>
    private sealed class OtlpJsonReceiver : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly ConcurrentQueue<JsonElement> _spans = new();
        private readonly CancellationTokenSource _stop = new();

        public OtlpJsonReceiver()
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            Endpoint = $"http://127.0.0.1:{port}";
            _listener.Prefixes.Add(Endpoint + "/");
            _listener.Start();
            _ = Task.Run(AcceptAsync);
        }

        public string Endpoint { get; }

        public bool TryFindSpan(string traceId, string parentSpanId, out JsonElement span)
        {
            span = _spans.FirstOrDefault(s => Hex(s, "traceId") == traceId && Hex(s, "parentSpanId") == parentSpanId);
            return span.ValueKind == JsonValueKind.Object;
        }

        public string Describe() => _spans.IsEmpty
            ? "none"
            : string.Join(", ", _spans.Select(s => $"{s.GetProperty("name").GetString()} {Hex(s, "traceId")}/{Hex(s, "spanId")} (parent {Hex(s, "parentSpanId")})"));

        // OTLP JSON writes ids as hex strings (base64 in the protobuf JSON mapping); both are read.
        private static string Hex(JsonElement span, string name)
        {
            if (!span.TryGetProperty(name, out var value) || value.GetString() is not { Length: > 0 } text)
            {
                return "";
            }
            if (text.All(Uri.IsHexDigit) && (text.Length == 32 || text.Length == 16))
            {
                return text.ToLowerInvariant();
            }
            return Convert.ToHexStringLower(Convert.FromBase64String(text));
        }

        private async Task AcceptAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }
                try
                {
                    using var body = await JsonDocument.ParseAsync(context.Request.InputStream);
                    foreach (var resource in body.RootElement.GetProperty("resourceSpans").EnumerateArray())
                    {
                        foreach (var scope in resource.GetProperty("scopeSpans").EnumerateArray())
                        {
                            foreach (var span in scope.GetProperty("spans").EnumerateArray())
                            {
                                _spans.Enqueue(span.Clone());
                            }
                        }
                    }
                    context.Response.StatusCode = 200;
                    context.Response.ContentType = "application/json";
                    await context.Response.OutputStream.WriteAsync("{}"u8.ToArray());
                }
                catch (Exception e) when (e is JsonException or System.Collections.Generic.KeyNotFoundException or InvalidOperationException)
                {
                    context.Response.StatusCode = 400;
                }
                context.Response.Close();
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Close();
        }
    }
}
