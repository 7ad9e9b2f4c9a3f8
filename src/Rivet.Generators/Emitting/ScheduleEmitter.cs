using Rivet.Generators.Model;

namespace Rivet.Generators.Emitting;

/// <summary>
/// Emits <c>{Actor}.Schedule.g.cs</c>: a private <c>Schedule</c> property on the actor returning <c>CounterScheduler</c>,
/// whose <c>After</c>/<c>At</c> return <c>CounterScheduledCalls</c> with one method per action, so
/// <c>Schedule.After(TimeSpan.FromSeconds(5)).Increment(3)</c> is checked at compile time.
/// </summary>
internal static class ScheduleEmitter
{
    private const string ScheduledEvent = "global::Rivet.ScheduledEvent";
    private const string DateTimeOffset = "global::System.DateTimeOffset";

    private static readonly TypedCallsEmitter.Spec s_spec = new(
        Property: "Schedule",
        PropertyDocs:
        [
            "Schedules calls to this actor's own actions, saved durably and run even if the actor sleeps in between:",
            "<c>Schedule.After(TimeSpan.FromSeconds(5)).Increment(3)</c>. Lists and cancels pending calls too.",
        ],
        FacadeSuffix: "Scheduler",
        FacadeSummary: actor => $"The typed schedule of a <c>{actor}</c> actor",
        CallsSuffix: "ScheduledCalls",
        CallsSummary: actor => $"Schedules calls to the actions of a <c>{actor}</c> actor at one point in time.",
        Store: "global::Rivet.ActorSchedule",
        StoreName: "schedule",
        StoreDescription: "the actor's schedule",
        WriteFacadeMembers: static (w, calls) =>
        {
            w.WriteLine("/// <summary>Calls to run once <paramref name=\"delay\"/> has passed.</summary>");
            w.WriteLine("/// <param name=\"delay\">How long from now.</param>");
            w.WriteLine("/// <returns>One method per action, each scheduling a call to it.</returns>");
            w.WriteLine($"public {calls} After(global::System.TimeSpan delay) => new {calls}(Require(), Require().DueAfter(delay));");
            w.WriteLine();
            w.WriteLine("/// <summary>Calls to run at <paramref name=\"time\"/> (a time in the past runs as soon as possible).</summary>");
            w.WriteLine("/// <param name=\"time\">When.</param>");
            w.WriteLine("/// <returns>One method per action, each scheduling a call to it.</returns>");
            w.WriteLine($"public {calls} At({DateTimeOffset} time) => new {calls}(Require(), time);");
            w.WriteLine();
            w.WriteLine("/// <summary>The pending calls, earliest first.</summary>");
            w.WriteLine("/// <returns>The pending calls.</returns>");
            w.WriteLine($"public global::System.Collections.Generic.IReadOnlyList<{ScheduledEvent}> List() => Require().List();");
            w.WriteLine();
            w.WriteLine("/// <summary>The pending call with id <paramref name=\"eventId\"/>, or <see langword=\"null\"/>.</summary>");
            w.WriteLine("/// <param name=\"eventId\">The <see cref=\"global::Rivet.ScheduledEvent.Id\"/> of the call.</param>");
            w.WriteLine("/// <returns>The pending call.</returns>");
            w.WriteLine($"public {ScheduledEvent}? Get(string eventId) => Require().Get(eventId);");
            w.WriteLine();
            w.WriteLine("/// <summary>Cancels a pending call.</summary>");
            w.WriteLine("/// <param name=\"eventId\">The <see cref=\"global::Rivet.ScheduledEvent.Id\"/> of the call.</param>");
            w.WriteLine("/// <returns>Whether the call was pending.</returns>");
            w.WriteLine("public bool Cancel(string eventId) => Require().Cancel(eventId);");
            w.WriteLine();
        },
        CallsFields: [(DateTimeOffset, "at", "When the calls run.")],
        CallsConstructorSummary: "Calls to run at <paramref name=\"at\"/>.",
        ActionSummary: action => $"Schedules a call to the <c>{action}</c> action.",
        ActionDocs: ["<returns>The scheduled call; its <see cref=\"global::Rivet.ScheduledEvent.Id\"/> cancels it.</returns>"],
        ActionReturnType: ScheduledEvent,
        Return: static (action, args) => [$"return this._schedule.Add(this._at, {action}, {args});"]);

    public static string HintName(ActorModel actor) => actor.HintPrefix + ".Schedule.g.cs";

    public static string Emit(ActorModel actor) => TypedCallsEmitter.Emit(actor, s_spec);
}
