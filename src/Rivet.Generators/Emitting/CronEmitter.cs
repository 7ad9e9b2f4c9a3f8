using Rivet.Generators.Model;

namespace Rivet.Generators.Emitting;

/// <summary>
/// Emits <c>{Actor}.Cron.g.cs</c>: a private <c>Cron</c> property on the actor returning <c>CounterCron</c>, whose
/// <c>Set</c>/<c>Every</c> return <c>CounterCronCalls</c> with one method per action, so
/// <c>Cron.Every("cleanup", TimeSpan.FromMinutes(5)).Cleanup()</c> is checked at compile time.
/// </summary>
internal static class CronEmitter
{
    private const string CronJob = "global::Rivet.CronJob";
    private const string TimeSpan = "global::System.TimeSpan";

    private static readonly TypedCallsEmitter.Spec s_spec = new(
        Property: "Cron",
        PropertyDocs:
        [
            "This actor's durable recurring jobs, run even if the actor sleeps in between:",
            "<c>Cron.Every(\"cleanup\", TimeSpan.FromMinutes(5)).Cleanup()</c> or <c>Cron.Set(\"report\", \"0 9 * * 1\", \"Europe/Berlin\").Report()</c>.",
        ],
        FacadeSuffix: "Cron",
        FacadeSummary: actor => $"The typed cron jobs of a <c>{actor}</c> actor",
        CallsSuffix: "CronCalls",
        CallsSummary: actor => $"Sets a cron job of a <c>{actor}</c> actor to call one of its actions.",
        Store: "global::Rivet.ActorCron",
        StoreName: "cron",
        StoreDescription: "the actor's cron jobs",
        WriteFacadeMembers: static (w, calls) =>
        {
            w.WriteLine("/// <summary>A job (set or replaced by name) that runs on a cron expression.</summary>");
            w.WriteLine("/// <param name=\"name\">The job's name, unique per actor.</param>");
            w.WriteLine("/// <param name=\"expression\">5 fields (minute hour day month weekday), or 6 with seconds first.</param>");
            w.WriteLine("/// <param name=\"timeZone\">The time zone id the expression is read in; <see langword=\"null\"/> for UTC.</param>");
            w.WriteLine("/// <returns>One method per action, each setting the job to call it.</returns>");
            w.WriteLine($"public {calls} Set(string name, string expression, string? timeZone = null) => new {calls}(Require(), name, expression, timeZone, default);");
            w.WriteLine();
            w.WriteLine("/// <summary>A job (set or replaced by name) that runs every <paramref name=\"interval\"/>, first one interval from now.</summary>");
            w.WriteLine("/// <param name=\"name\">The job's name, unique per actor.</param>");
            w.WriteLine("/// <param name=\"interval\">The time between runs.</param>");
            w.WriteLine("/// <returns>One method per action, each setting the job to call it.</returns>");
            w.WriteLine($"public {calls} Every(string name, {TimeSpan} interval) => new {calls}(Require(), name, null, null, interval);");
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
        },
        CallsFields:
        [
            ("string", "name", "The job's name."),
            ("string?", "expression", "The cron expression, or <see langword=\"null\"/>."),
            ("string?", "timeZone", "The expression's time zone id."),
            (TimeSpan, "interval", "The fixed interval."),
        ],
        CallsConstructorSummary: "A job on <paramref name=\"expression\"/>, or every <paramref name=\"interval\"/> when it is <see langword=\"null\"/>.",
        ActionSummary: action => $"Sets the job to call the <c>{action}</c> action.",
        ActionDocs:
        [
            "<returns>The job, with its next run.</returns>",
            "<exception cref=\"global::System.ArgumentException\">The cron expression or time zone is invalid; the message names it.</exception>",
        ],
        ActionReturnType: CronJob,
        Return: static (action, args) =>
        [
            "return this._expression is null",
            $"    ? this._cron.Every(this._name, this._interval, {action}, {args})",
            $"    : this._cron.Set(this._name, this._expression, this._timeZone, {action}, {args});",
        ]);

    public static string HintName(ActorModel actor) => actor.HintPrefix + ".Cron.g.cs";

    public static string Emit(ActorModel actor) => TypedCallsEmitter.Emit(actor, s_spec);
}
