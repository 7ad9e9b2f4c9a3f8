using System;
using System.Collections.Immutable;
using System.Threading;

namespace Rivet.Runtime;

/// <summary>
/// The actors whose actions are waiting on the current call: an action that calls another actor through
/// <c>Context.Client</c> passes the chain along (in-process on the embedded host, as the
/// <see cref="Header"/> header through the engine), and an actor that finds its own id in the chain of an incoming call
/// fails it with <c>actor.call_cycle</c> at once. An actor runs one action at a time, so such a call could never start:
/// without the check, A → A (or A → B → A) waits until a timeout, and the actor takes no other call meanwhile.
/// </summary>
internal static class CallChain
{
    /// <summary>The HTTP header carrying the chain: actor ids, outermost first, separated by <c>,</c>.</summary>
    public const string Header = "x-rivet-call-chain";

    /// <summary>Most ids carried; a longer chain keeps its most recent ids (a cycle through more actors than that goes undetected and ends at the call timeout).</summary>
    public const int MaxLength = 32;

    // A reference type, so setting it boxes nothing (an ImmutableArray would be boxed on every set).
    private static readonly AsyncLocal<Chain?> s_current = new();

    /// <summary>The chain of the action running on this async flow, this actor last; empty outside actions.</summary>
    public static ImmutableArray<string> Current => s_current.Value?.Ids ?? ImmutableArray<string>.Empty;

    /// <summary>Sets the chain for the rest of the current async flow (an action's dispatch, and what it calls).</summary>
    public static void Enter(ImmutableArray<string> callers, string actorId) => Enter(callers, actorId, alone: null);

    /// <summary>As <see cref="Enter(ImmutableArray{string}, string)"/>; <paramref name="alone"/> (from <see cref="Alone"/>,
    /// kept by the actor) is the chain used when there are no callers, so the common case allocates no chain.</summary>
    public static void Enter(ImmutableArray<string> callers, string actorId, Chain? alone)
    {
        if (callers.IsDefaultOrEmpty)
        {
            s_current.Value = alone ?? Alone(actorId);
            return;
        }
        var chain = callers.Add(actorId);
        s_current.Value = new Chain(chain.Length > MaxLength ? chain[^MaxLength..] : chain);
    }

    /// <summary>The chain of a call no actor waits on, to <paramref name="actorId"/>.</summary>
    public static Chain Alone(string actorId) => new(ImmutableArray.Create(actorId));

    /// <summary>Clears the chain for the rest of the current async flow (work that no caller waits on: hooks, timers).</summary>
    public static void Clear() => s_current.Value = null;

    /// <summary>A call chain as <see cref="s_current"/> holds it.</summary>
    public sealed record Chain(ImmutableArray<string> Ids);

    /// <summary>Throws <c>actor.call_cycle</c> when <paramref name="actorId"/> is waiting in <paramref name="callers"/>.</summary>
    public static void ThrowIfCycle(ImmutableArray<string> callers, string actorId, string actorName, ActorKey key, string action)
    {
        if (callers.IsDefaultOrEmpty || !callers.Contains(actorId))
        {
            return;
        }
        throw new RivetException(RivetErrors.ActorGroup, RivetErrors.CallCycle,
            $"Action '{action}' of actor '{actorName}' {key} ({actorId}) was called by a chain of actor calls that is already waiting on "
            + $"this actor ({string.Join(" → ", callers)} → {actorId}). The actor runs one action at a time, so the call could never "
            + "start; call the action's code directly, or let the outer call return first (e.g. schedule the work).")
        {
            ActorId = actorId,
        };
    }

    /// <summary>The header value for <see cref="Current"/>, or <see langword="null"/> outside actions.</summary>
    public static string? CurrentHeaderValue()
    {
        var chain = Current;
        return chain.IsEmpty ? null : string.Join(',', chain);
    }

    /// <summary>Reads a <see cref="Header"/> value; malformed parts are dropped (the check is a safeguard, not an authority).</summary>
    public static ImmutableArray<string> Parse(string? header)
    {
        if (string.IsNullOrEmpty(header))
        {
            return ImmutableArray<string>.Empty;
        }
        var parts = header.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return ImmutableArray.Create(parts.Length > MaxLength ? parts[^MaxLength..] : parts);
    }
}
