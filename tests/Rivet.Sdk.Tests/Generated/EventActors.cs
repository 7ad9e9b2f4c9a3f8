using System;
using System.Threading;
using System.Threading.Tasks;

namespace Rivet.Sdk.Tests.Generated;

/// <summary>What a client connects to <see cref="GenEventCounter"/> with.</summary>
/// <param name="Name">Who connects; empty is rejected.</param>
public sealed record GenJoinParams(string Name);

/// <summary>What <see cref="GenEventCounter"/> keeps per connection.</summary>
public sealed class GenMember
{
    /// <summary>Who.</summary>
    public string Name { get; set; } = "";
}

/// <summary>The state of <see cref="GenEventCounter"/>.</summary>
public sealed class GenCounterState
{
    /// <summary>The count.</summary>
    public int Count { get; set; }
}

/// <summary>An actor with events (none, one and several arguments), connection parameters and state, and a typed schedule.</summary>
[Actor("gen-event-counter")]
public partial class GenEventCounter : Actor<GenCounterState>, IConnectionParams<GenJoinParams>, IConnectionState<GenJoinParams, GenMember>
{
    /// <summary>Adds and tells every subscribed connection.</summary>
    [Action] public int Increment(int amount = 1)
    {
        State.Count += amount;
        NewCount(State.Count);
        return State.Count;
    }

    /// <summary>Schedules an increment; returns the scheduled call's id.</summary>
    [Action] public string IncrementLater(int seconds, int amount) => Schedule.After(TimeSpan.FromSeconds(seconds)).Increment(amount).Id;

    /// <summary>Cancels a scheduled call.</summary>
    [Action] public bool CancelLater(string id) => Schedule.Cancel(id);

    /// <summary>Resets and tells every subscribed connection.</summary>
    [Action] public void Reset()
    {
        State.Count = 0;
        Cleared();
    }

    /// <summary>Sends <see cref="Moved(string, double, double)"/> to each connection alone, named after it.</summary>
    [Action] public void Wave()
    {
        foreach (var connection in Connections)
        {
            Moved(connection, connection.GetState<GenMember>()?.Name ?? "?", 1, 2);
        }
    }

    /// <summary>The count changed.</summary>
    [Event] partial void NewCount(int count);

    /// <summary>The count went back to zero.</summary>
    [Event("cleared")] partial void Cleared();

    /// <summary>Someone moved.</summary>
    [Event] partial void Moved(string who, double x, double y);

    /// <inheritdoc />
    public ValueTask OnBeforeConnectAsync(GenJoinParams? parameters, CancellationToken cancellationToken) =>
        string.IsNullOrEmpty(parameters?.Name) ? throw new UserError("Say who you are.", code: "anonymous") : default;

    /// <inheritdoc />
    public GenMember CreateConnectionState(GenJoinParams? parameters) => new() { Name = parameters?.Name ?? "" };
}

/// <summary>The same actor seen through an interface, as for an actor written in another language.</summary>
[ActorClient("gen-event-counter", ConnectionParamsType = typeof(GenJoinParams))]
public interface IRemoteEventCounter
{
    /// <summary>Adds.</summary>
    Task<int> Increment(int amount = 1);

    /// <summary>The count changed (abstract: the handle implements it explicitly).</summary>
    [Event] void NewCount(int count);

    /// <summary>The count went back to zero (default body: nothing to implement).</summary>
    [Event("cleared")] void Cleared() { }
}
