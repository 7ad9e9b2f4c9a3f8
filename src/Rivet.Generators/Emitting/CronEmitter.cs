using System.Collections.Generic;
using System.Linq;
using Rivet.Generators.Helpers;
using Rivet.Generators.Model;
using Rivet.Generators.Parsing;
using static Rivet.Generators.Emitting.EmitHelpers;

namespace Rivet.Generators.Emitting;

/// <summary>
/// Emits <c>{Actor}.Cron.g.cs</c>: a private <c>Cron</c> property on the actor returning <c>CounterCron</c>, whose
/// <c>Set</c>/<c>Every</c> return <c>CounterCronCalls</c> with one method per action, so
/// <c>Cron.Every("cleanup", TimeSpan.FromMinutes(5)).Cleanup()</c> is checked at compile time.
/// </summary>
internal static class CronEmitter
{
    private const string CronJob = "global::Rivet.CronJob";
    private const string ActorCron = "global::Rivet.ActorCron";
    private const string TimeSpan = "global::System.TimeSpan";

    /// <summary>Members of the calls struct (and of object): actions with these names cannot be set by name.</summary>
    private static readonly HashSet<string> s_reserved = new(System.StringComparer.Ordinal)
    {
        "ToString", "Equals", "GetHashCode", "GetType", "MemberwiseClone", "Finalize",
    };

    public static string HintName(ActorModel actor) => actor.HintPrefix + ".Cron.g.cs";

    public static string Emit(ActorModel actor)
    {
        var w = StartFile();
        var hasNamespace = OpenNamespace(w, actor);
        var accessibility = actor.IsPublic ? "public" : "internal";
        var prefix = actor.Namespace.Length == 0 ? "global::" : "global::" + actor.Namespace + ".";
        var cron = actor.ClassName + "Cron";
        var calls = actor.ClassName + "CronCalls";
        var actorName = Xml(actor.ActorName);

        // Private, like the typed Schedule: usable from every part of the actor class only.
        w.OpenBlock($"partial class {Names.Escape(actor.ClassName)}");
        w.WriteLine("/// <summary>");
        w.WriteLine("/// This actor's durable recurring jobs, run even if the actor sleeps in between:");
        w.WriteLine("/// <c>Cron.Every(\"cleanup\", TimeSpan.FromMinutes(5)).Cleanup()</c> or <c>Cron.Set(\"report\", \"0 9 * * 1\", \"Europe/Berlin\").Report()</c>.");
        w.WriteLine("/// </summary>");
        w.WriteLine($"private {prefix}{cron} Cron => new {prefix}{cron}(base.Context.Cron);");
        w.CloseBlock();
        w.WriteLine();

        w.WriteLine($"/// <summary>The typed cron jobs of a <c>{actorName}</c> actor (<see cref=\"{Xml(actor.FullyQualifiedName)}\"/>): the actor's <c>Cron</c> property.</summary>");
        w.WriteLine(GeneratedCodeAttribute);
        w.OpenBlock($"{accessibility} readonly struct {cron}");
        w.WriteLine($"private readonly {ActorCron} _cron;");
        w.WriteLine();
        w.WriteLine("/// <summary>Wraps the actor's cron jobs.</summary>");
        w.WriteLine("/// <param name=\"cron\">The actor's cron jobs.</param>");
        w.WriteLine($"internal {cron}({ActorCron} cron) => _cron = cron;");
        w.WriteLine();
        w.WriteLine("/// <summary>A job (set or replaced by name) that runs on a cron expression.</summary>");
        w.WriteLine("/// <param name=\"name\">The job's name, unique per actor.</param>");
        w.WriteLine("/// <param name=\"expression\">5 fields (minute hour day month weekday), or 6 with seconds first.</param>");
        w.WriteLine("/// <param name=\"timeZone\">The time zone id the expression is read in; <see langword=\"null\"/> for UTC.</param>");
        w.WriteLine("/// <returns>One method per action, each setting the job to call it.</returns>");
        w.WriteLine($"public {prefix}{calls} Set(string name, string expression, string? timeZone = null) => new {prefix}{calls}(Require(), name, expression, timeZone, default);");
        w.WriteLine();
        w.WriteLine("/// <summary>A job (set or replaced by name) that runs every <paramref name=\"interval\"/>, first one interval from now.</summary>");
        w.WriteLine("/// <param name=\"name\">The job's name, unique per actor.</param>");
        w.WriteLine("/// <param name=\"interval\">The time between runs.</param>");
        w.WriteLine("/// <returns>One method per action, each setting the job to call it.</returns>");
        w.WriteLine($"public {prefix}{calls} Every(string name, {TimeSpan} interval) => new {prefix}{calls}(Require(), name, null, null, interval);");
        w.WriteLine();
        w.WriteLine("/// <summary>The job named <paramref name=\"name\"/>, or <see langword=\"null\"/>.</summary>");
        w.WriteLine("/// <param name=\"name\">The job's name.</param>");
        w.WriteLine("/// <returns>The job.</returns>");
        w.WriteLine($"public {CronJob}? Get(string name) => Require().Get(name);");
        w.WriteLine();
        w.WriteLine("/// <summary>The jobs, soonest first.</summary>");
        w.WriteLine("/// <returns>The jobs.</returns>");
        w.WriteLine($"public global::System.Collections.Generic.IReadOnlyList<{CronJob}> List() => Require().List();");
        w.WriteLine();
        w.WriteLine("/// <summary>Deletes a job: it does not run again.</summary>");
        w.WriteLine("/// <param name=\"name\">The job's name.</param>");
        w.WriteLine("/// <returns>Whether the job existed.</returns>");
        w.WriteLine("public bool Delete(string name) => Require().Delete(name);");
        w.WriteLine();
        w.WriteLine("/// <summary>The recent runs since the actor last woke, oldest first.</summary>");
        w.WriteLine("/// <param name=\"name\">Only this job's runs; <see langword=\"null\"/> for all.</param>");
        w.WriteLine("/// <returns>The runs.</returns>");
        w.WriteLine("public global::System.Collections.Generic.IReadOnlyList<global::Rivet.CronRun> History(string? name = null) => Require().History(name);");
        w.WriteLine();
        w.WriteLine($"private {ActorCron} Require() => _cron ?? throw new global::System.InvalidOperationException(\"This {Xml(cron)} was not obtained from the actor's Cron property.\");");
        w.CloseBlock();
        w.WriteLine();

        w.WriteLine($"/// <summary>Sets a cron job of a <c>{actorName}</c> actor to call one of its actions.</summary>");
        w.WriteLine(GeneratedCodeAttribute);
        w.OpenBlock($"{accessibility} readonly struct {calls}");
        w.WriteLine($"private readonly {ActorCron} _cron;");
        w.WriteLine("private readonly string _name;");
        w.WriteLine("private readonly string? _expression;");
        w.WriteLine("private readonly string? _timeZone;");
        w.WriteLine($"private readonly {TimeSpan} _interval;");
        w.WriteLine();
        w.WriteLine("/// <summary>A job on <paramref name=\"expression\"/>, or every <paramref name=\"interval\"/> when it is <see langword=\"null\"/>.</summary>");
        w.WriteLine("/// <param name=\"cron\">The actor's cron jobs.</param>");
        w.WriteLine("/// <param name=\"name\">The job's name.</param>");
        w.WriteLine("/// <param name=\"expression\">The cron expression, or <see langword=\"null\"/>.</param>");
        w.WriteLine("/// <param name=\"timeZone\">The expression's time zone id.</param>");
        w.WriteLine("/// <param name=\"interval\">The fixed interval.</param>");
        w.OpenBlock($"internal {calls}({ActorCron} cron, string name, string? expression, string? timeZone, {TimeSpan} interval)");
        w.WriteLine("_cron = cron;");
        w.WriteLine("_name = name;");
        w.WriteLine("_expression = expression;");
        w.WriteLine("_timeZone = timeZone;");
        w.WriteLine("_interval = interval;");
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
        w.WriteLine($"/// <summary>Sets the job to call the <c>{Xml(action.WireName)}</c> action.</summary>");
        foreach (var p in wire)
        {
            w.WriteLine($"/// <param name=\"{Xml(p.Name)}\">The <c>{Xml(p.Name)}</c> argument.</param>");
        }
        w.WriteLine("/// <returns>The job, with its next run.</returns>");
        w.WriteLine("/// <exception cref=\"global::System.ArgumentException\">The cron expression or time zone is invalid; the message names it.</exception>");
        w.OpenBlock($"public {CronJob} {action.MethodName}({string.Join(", ", signature)})");
        w.WriteLine($"var {args} = global::Rivet.Runtime.ActionArguments.Start();");
        w.OpenBlock("try");
        foreach (var p in wire)
        {
            var (typeArgument, typeInfo) = TypeInfo(p.Type!, p.TypeName);
            w.WriteLine($"{args}.Add{typeArgument}({Names.Escape(p.Name)}, {typeInfo});");
        }
        w.WriteLine($"return this._expression is null");
        w.WriteLine($"    ? this._cron.Every(this._name, this._interval, {Literal(action.WireName)}, {args})");
        w.WriteLine($"    : this._cron.Set(this._name, this._expression, this._timeZone, {Literal(action.WireName)}, {args});");
        w.CloseBlock();
        w.OpenBlock("finally");
        w.WriteLine($"{args}.Dispose();");
        w.CloseBlock();
        w.CloseBlock();
    }
}
