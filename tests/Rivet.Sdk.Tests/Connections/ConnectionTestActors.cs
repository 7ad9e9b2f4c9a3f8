using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json.Serialization;
using System.Threading;
using System.Threading.Tasks;

namespace Rivet.Sdk.Tests.Connections;

public sealed class RoomState
{
    public int Count { get; set; }

    public int Connects { get; set; }

    public int Disconnects { get; set; }

    /// <summary>Appended to every connection's name by OnWake, when set.</summary>
    public string? WakeNote { get; set; }

    /// <summary>Appended to every connection's name by OnSleep, when set.</summary>
    public string? SleepNote { get; set; }

    /// <summary>How many connections the last OnWake saw.</summary>
    public int ConnectionsOnWake { get; set; }
}

public sealed record RoomParams(string User);

public sealed class RoomConnState
{
    public string Name { get; set; } = "";

    public int Messages { get; set; }
}

/// <summary>A chat-room-like actor that records its connection hooks in <see cref="Log"/>.</summary>
[Actor("connRoom")]
public partial class ConnRoom : Actor<RoomState>, IConnectionParams<RoomParams>, IConnectionState<RoomParams, RoomConnState>
{
    /// <summary>Hook calls in order, read by the tests from the actor object.</summary>
    public List<string> Log { get; } = [];

    public ValueTask OnBeforeConnectAsync(RoomParams? parameters, CancellationToken cancellationToken)
    {
        Log.Add("before:" + (parameters?.User ?? "(none)"));
        return parameters?.User switch
        {
            "banned" => throw new UserError("You are banned from this room.", code: "forbidden"),
            "crash" => throw new InvalidOperationException("the auth database is down"),
            _ => default,
        };
    }

    public RoomConnState CreateConnectionState(RoomParams? parameters)
    {
        Log.Add("state:" + (parameters?.User ?? "(none)"));
        return new RoomConnState { Name = parameters?.User ?? "anonymous" };
    }

    protected override ValueTask OnConnectAsync(Connection connection, CancellationToken cancellationToken)
    {
        Log.Add("connect:" + connection.GetState<RoomConnState>()!.Name);
        State.Connects++;
        return default;
    }

    protected override ValueTask OnDisconnectAsync(Connection connection, CancellationToken cancellationToken)
    {
        Log.Add("disconnect:" + connection.GetState<RoomConnState>()!.Name);
        State.Disconnects++;
        return default;
    }

    protected override ValueTask OnWakeAsync(CancellationToken cancellationToken)
    {
        State.ConnectionsOnWake = Connections.Count;
        AppendToNames(State.WakeNote);
        return default;
    }

    protected override ValueTask OnSleepAsync(CancellationToken cancellationToken)
    {
        AppendToNames(State.SleepNote);
        return default;
    }

    /// <summary>Changes connection states outside any client action: in OnWake, OnSleep and a scheduled action.</summary>
    [Action]
    public string NoteLater(string wake, string sleep, string scheduled)
    {
        State.WakeNote = wake;
        State.SleepNote = sleep;
        return Schedule.After(TimeSpan.FromMilliseconds(1)).Note(scheduled).Id;
    }

    [Action] public void Note(string note) => AppendToNames(note);

    private void AppendToNames(string? note)
    {
        foreach (var connection in note is null ? [] : Connections)
        {
            connection.GetState<RoomConnState>()!.Name += note;
        }
    }

    [Action]
    public int Increment(int amount)
    {
        State.Count += amount;
        Broadcast("newCount", Encoding.UTF8.GetBytes($"[{State.Count}]"));
        return State.Count;
    }

    [Action] public string WhoAmI() => Caller is { } caller ? caller.GetState<RoomConnState>()!.Name : "(no connection)";

    [Action] public List<string> ConnectionNames() => Connections.Select(c => c.GetState<RoomConnState>()!.Name).Order().ToList();

    [Action]
    public void SendTo(string name, string text)
    {
        var target = Connections.Single(c => c.GetState<RoomConnState>()!.Name == name);
        target.Send("direct", Encoding.UTF8.GetBytes($"[\"{text}\"]"));
    }

    [Action]
    public int Leave()
    {
        Caller!.Disconnect("left the room");
        Log.Add("leave-returned");
        return Connections.Count;
    }

    [Action]
    public string Rename(string name)
    {
        var state = Caller!.GetState<RoomConnState>()!;
        state.Name = name;
        state.Messages++;
        return state.Name;
    }

    [Action] public int[] Stats() => [State.Count, State.Connects, State.Disconnects];

    [Action] public int ConnectionsSeenOnWake() => State.ConnectionsOnWake;
}

[JsonSerializable(typeof(RoomParams))]
[JsonSerializable(typeof(RoomConnState))]
internal sealed partial class ConnectionTestJson : JsonSerializerContext;
