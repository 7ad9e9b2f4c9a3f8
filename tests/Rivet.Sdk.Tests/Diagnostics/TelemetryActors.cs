using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace Rivet.Sdk.Tests.Diagnostics;

public sealed class TraceFrontState
{
    public int Count { get; set; }

    public int Ticks { get; set; }
}

/// <summary>An actor whose actions exercise every traced path: an actor-to-actor call, an event, a schedule, a failure.</summary>
[Actor("traceFront")]
public partial class TraceFront : Actor<TraceFrontState>
{
    [Event] partial void Changed(int count);

    /// <summary>Adds locally, broadcasts, and forwards the amount to the <c>traceBack</c> actor <paramref name="backKey"/>.</summary>
    [Action]
    public async Task<int> Forward(string backKey, int amount, CancellationToken cancellationToken)
    {
        State.Count += amount;
        Context.Logger.LogInformation("forwarding {Amount}", amount);
        Changed(State.Count);
        return await Context.Client.TraceBack.GetOrCreate(backKey).Add(amount, cancellationToken);
    }

    [Action]
    public void Fail() => throw new UserError("refused on purpose", code: "trace_refused");

    /// <summary>Schedules <see cref="Tick"/> after <paramref name="milliseconds"/>.</summary>
    [Action]
    public void TickLater(int milliseconds) => Schedule.After(TimeSpan.FromMilliseconds(milliseconds)).Tick();

    [Action]
    public void Tick() => State.Ticks++;

    [Action]
    public int GetTicks() => State.Ticks;
}

public sealed class TraceBackState
{
    public int Total { get; set; }
}

[Actor("traceBack")]
public partial class TraceBack : Actor<TraceBackState>
{
    [Action]
    public int Add(int amount) => State.Total += amount;
}

/// <summary>
/// Relays a call to RivetKit's TypeScript counter (another runtime, another pool): the middle of the cross-runtime
/// trace test (RivetKit client → this .NET actor → TypeScript actor).
/// </summary>
[Actor("traceRelay")]
public partial class TraceRelay : Actor
{
    [Action]
    public async Task<int> Relay(string endpoint, string tsPool, string tsKey, CancellationToken cancellationToken)
    {
        await using var client = RivetClient.Create(new RivetClientOptions { Endpoint = new Uri(endpoint), PoolName = tsPool });
        var output = await client.GetOrCreate("counter", tsKey).InvokeRawAsync("increment", "[1]"u8.ToArray(), cancellationToken);
        return System.Text.Json.JsonSerializer.Deserialize<int>(output.Span);
    }
}
