using System;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Rivet.Sdk.Tests.ActorConnect;

public sealed class ConnectRoomState
{
    public int Count { get; set; }

    public bool Locked { get; set; }

    public int Wakes { get; set; }

    /// <summary>How many connections the last OnWake saw (restored hibernated ones are attached before it runs).</summary>
    public int ConnectionsOnWake { get; set; }

    public int Connects { get; set; }

    public int Disconnects { get; set; }
}

public sealed record ConnectRoomParams(string? Name);

/// <summary>Served over RivetKit's <c>/connect</c> in the engine tests: counts, broadcasts, fails and rejects on demand.</summary>
[Actor("connectRoom")]
public partial class ConnectRoom : Actor<ConnectRoomState>, IConnectionParams<ConnectRoomParams>
{
    public ValueTask OnBeforeConnectAsync(ConnectRoomParams? parameters, CancellationToken cancellationToken) =>
        State.Locked ? throw new UserError("The room is locked", "locked") : default;

    protected override ValueTask OnWakeAsync(CancellationToken cancellationToken)
    {
        State.Wakes++;
        State.ConnectionsOnWake = Connections.Count;
        return default;
    }

    protected override ValueTask OnConnectAsync(Connection connection, CancellationToken cancellationToken)
    {
        State.Connects++;
        return default;
    }

    protected override ValueTask OnDisconnectAsync(Connection connection, CancellationToken cancellationToken)
    {
        State.Disconnects++;
        return default;
    }

    [Action]
    public int Increment(int amount)
    {
        State.Count += amount;
        Broadcast("newCount", Encoding.UTF8.GetBytes($"[{State.Count}]"));
        return State.Count;
    }

    [Action] public int GetCount() => State.Count;

    /// <summary>The count as the actor has it now, read by a test without a turn (it may not be durable yet).</summary>
    internal int CountNow => State.Count;

    /// <summary>Released by a test: an action that runs as long as the test wants.</summary>
    public static TaskCompletionSource<int> Gate { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Action] public async Task<int> WaitForGate() => await Gate.Task.WaitAsync(TimeSpan.FromSeconds(60));

    [Action] public void Lock() => State.Locked = true;

    [Action] public void Fail() => throw new UserError("Not today", "my_code");

    [Action] public ConnectRoomState Stats() => State;

    /// <summary>Closes the calling connection from the actor side.</summary>
    [Action] public void Leave(string reason) => Caller?.Disconnect(reason);

    /// <summary>The id of the connection that called, or null over HTTP.</summary>
    [Action] public string? CallerId() => Caller?.Id;
}
