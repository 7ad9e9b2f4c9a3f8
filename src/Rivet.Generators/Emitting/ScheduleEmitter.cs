using System.Collections.Generic;
using System.Linq;
using Rivet.Generators.Helpers;
using Rivet.Generators.Model;
using Rivet.Generators.Parsing;
using static Rivet.Generators.Emitting.EmitHelpers;

namespace Rivet.Generators.Emitting;

/// <summary>
/// Emits <c>{Actor}.Schedule.g.cs</c>: a private <c>Schedule</c> property on the actor returning <c>CounterScheduler</c>,
/// whose <c>After</c>/<c>At</c> return <c>CounterScheduledCalls</c> with one method per action, so
/// <c>Schedule.After(TimeSpan.FromSeconds(5)).Increment(3)</c> is checked at compile time.
/// </summary>
internal static class ScheduleEmitter
{
    private const string ScheduledEvent = "global::Rivet.ScheduledEvent";
    private const string ActorSchedule = "global::Rivet.ActorSchedule";
    private const string DateTimeOffset = "global::System.DateTimeOffset";

    /// <summary>Members of the calls struct (and of object): actions with these names cannot be scheduled by name.</summary>
    private static readonly HashSet<string> s_reserved = new(System.StringComparer.Ordinal)
    {
        "ToString", "Equals", "GetHashCode", "GetType", "MemberwiseClone", "Finalize",
    };

    public static string HintName(ActorModel actor) => actor.HintPrefix + ".Schedule.g.cs";

    public static string Emit(ActorModel actor)
    {
        var w = StartFile();
        var hasNamespace = OpenNamespace(w, actor);
        var accessibility = actor.IsPublic ? "public" : "internal";
        var prefix = actor.Namespace.Length == 0 ? "global::" : "global::" + actor.Namespace + ".";
        var scheduler = actor.ClassName + "Scheduler";
        var calls = actor.ClassName + "ScheduledCalls";
        var actorName = Xml(actor.ActorName);

        // Private: usable from every part of the actor class, never part of its public or protected surface.
        w.OpenBlock($"partial class {Names.Escape(actor.ClassName)}");
        w.WriteLine("/// <summary>");
        w.WriteLine("/// Schedules calls to this actor's own actions, saved durably and run even if the actor sleeps in between:");
        w.WriteLine("/// <c>Schedule.After(TimeSpan.FromSeconds(5)).Increment(3)</c>. Lists and cancels pending calls too.");
        w.WriteLine("/// </summary>");
        w.WriteLine($"private {prefix}{scheduler} Schedule => new {prefix}{scheduler}(base.Context.Schedule);");
        w.CloseBlock();
        w.WriteLine();

        w.WriteLine($"/// <summary>The typed schedule of a <c>{actorName}</c> actor (<see cref=\"{Xml(actor.FullyQualifiedName)}\"/>): the actor's <c>Schedule</c> property.</summary>");
        w.WriteLine(GeneratedCodeAttribute);
        w.OpenBlock($"{accessibility} readonly struct {scheduler}");
        w.WriteLine($"private readonly {ActorSchedule} _schedule;");
        w.WriteLine();
        w.WriteLine("/// <summary>Wraps the actor's schedule.</summary>");
        w.WriteLine("/// <param name=\"schedule\">The actor's schedule.</param>");
        w.WriteLine($"internal {scheduler}({ActorSchedule} schedule) => _schedule = schedule;");
        w.WriteLine();
        w.WriteLine("/// <summary>Calls to run once <paramref name=\"delay\"/> has passed.</summary>");
        w.WriteLine("/// <param name=\"delay\">How long from now.</param>");
        w.WriteLine("/// <returns>One method per action, each scheduling a call to it.</returns>");
        w.WriteLine($"public {prefix}{calls} After(global::System.TimeSpan delay) => new {prefix}{calls}(Require(), Require().DueAfter(delay));");
        w.WriteLine();
        w.WriteLine("/// <summary>Calls to run at <paramref name=\"time\"/> (a time in the past runs as soon as possible).</summary>");
        w.WriteLine("/// <param name=\"time\">When.</param>");
        w.WriteLine("/// <returns>One method per action, each scheduling a call to it.</returns>");
        w.WriteLine($"public {prefix}{calls} At({DateTimeOffset} time) => new {prefix}{calls}(Require(), time);");
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
        w.WriteLine($"private {ActorSchedule} Require() => _schedule ?? throw new global::System.InvalidOperationException(\"This {Xml(scheduler)} was not obtained from the actor's Schedule property.\");");
        w.CloseBlock();
        w.WriteLine();

        w.WriteLine($"/// <summary>Schedules calls to the actions of a <c>{actorName}</c> actor at one point in time.</summary>");
        w.WriteLine(GeneratedCodeAttribute);
        w.OpenBlock($"{accessibility} readonly struct {calls}");
        w.WriteLine($"private readonly {ActorSchedule} _schedule;");
        w.WriteLine($"private readonly {DateTimeOffset} _at;");
        w.WriteLine();
        w.WriteLine("/// <summary>Calls to run at <paramref name=\"at\"/>.</summary>");
        w.WriteLine("/// <param name=\"schedule\">The actor's schedule.</param>");
        w.WriteLine("/// <param name=\"at\">When the calls run.</param>");
        w.OpenBlock($"internal {calls}({ActorSchedule} schedule, {DateTimeOffset} at)");
        w.WriteLine("_schedule = schedule;");
        w.WriteLine("_at = at;");
        w.CloseBlock();
        foreach (var action in actor.Actions)
        {
            if (!s_reserved.Contains(action.MethodName))
            {
                w.WriteLine();
                EmitAction(w, action);
            }
        }
        w.CloseBlock();
        if (hasNamespace)
        {
            w.CloseBlock();
        }
        return w.ToString();
    }

    private static void EmitAction(SourceWriter w, ActionModel action)
    {
        var wire = action.Parameters.Where(p => !p.IsCancellationToken).ToList();
        var args = "__args";
        for (var i = 2; wire.Any(p => p.Name == args); i++)
        {
            args = "__args" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        var signature = wire.Select(p => p.TypeName + " " + Names.Escape(p.Name) + (p.IsOptional ? " = " + p.DefaultValue : ""));
        w.WriteLine($"/// <summary>Schedules a call to the <c>{Xml(action.WireName)}</c> action.</summary>");
        foreach (var p in wire)
        {
            w.WriteLine($"/// <param name=\"{Xml(p.Name)}\">The <c>{Xml(p.Name)}</c> argument.</param>");
        }
        w.WriteLine("/// <returns>The scheduled call; its <see cref=\"global::Rivet.ScheduledEvent.Id\"/> cancels it.</returns>");
        w.OpenBlock($"public {ScheduledEvent} {action.MethodName}({string.Join(", ", signature)})");
        w.WriteLine($"var {args} = global::Rivet.Runtime.ActionArguments.Start();");
        w.OpenBlock("try");
        foreach (var p in wire)
        {
            var (typeArgument, typeInfo) = TypeInfo(p.Type!, p.TypeName);
            w.WriteLine($"{args}.Add{typeArgument}({Names.Escape(p.Name)}, {typeInfo});");
        }
        w.WriteLine($"return this._schedule.Add(this._at, {Literal(action.WireName)}, {args});");
        w.CloseBlock();
        w.OpenBlock("finally");
        w.WriteLine($"{args}.Dispose();");
        w.CloseBlock();
        w.CloseBlock();
    }
}
