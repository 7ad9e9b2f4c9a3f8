using System;
using System.Collections.Generic;
using System.Linq;
using Rivet.Generators.Helpers;
using Rivet.Generators.Model;
using Rivet.Generators.Parsing;
using static Rivet.Generators.Emitting.EmitHelpers;

namespace Rivet.Generators.Emitting;

/// <summary>
/// The shape the typed schedule (<see cref="ScheduleEmitter"/>) and the typed cron jobs (<see cref="CronEmitter"/>)
/// share: a private property on the actor that wraps one of the context's durable call stores in a facade struct,
/// whose methods pick when the call runs and return a calls struct with one method per action; each of those
/// serializes the arguments like the client does and hands them to the store.
/// </summary>
internal static class TypedCallsEmitter
{
    /// <summary>Members of the calls struct (and of object): actions with these names get no method there.</summary>
    private static readonly HashSet<string> s_reserved = new(StringComparer.Ordinal)
    {
        "ToString", "Equals", "GetHashCode", "GetType", "MemberwiseClone", "Finalize",
    };

    /// <summary>What differs between the typed call stores.</summary>
    /// <param name="Property">The actor's property, also the member of <c>base.Context</c> it wraps (<c>Schedule</c>).</param>
    /// <param name="PropertyDocs">The summary lines of the property (without <c>///</c> and the summary tags).</param>
    /// <param name="FacadeSuffix">The facade struct is the actor class name plus this (<c>Scheduler</c>).</param>
    /// <param name="FacadeSummary">The facade's summary, given the actor name (already XML-escaped).</param>
    /// <param name="CallsSuffix">The calls struct is the actor class name plus this (<c>ScheduledCalls</c>).</param>
    /// <param name="CallsSummary">The calls struct's summary, given the actor name (already XML-escaped).</param>
    /// <param name="Store">The wrapped store type (<c>global::Rivet.ActorSchedule</c>).</param>
    /// <param name="StoreName">The store's field (with a leading <c>_</c>) and parameter name (<c>schedule</c>).</param>
    /// <param name="StoreDescription">The store in prose (<c>the actor's schedule</c>).</param>
    /// <param name="WriteFacadeMembers">Writes the facade's public members, each followed by a blank line, given the calls type and <c>Require()</c>.</param>
    /// <param name="CallsFields">The calls struct's fields after the store, as (type, name without <c>_</c>, constructor parameter doc).</param>
    /// <param name="CallsConstructorSummary">The calls constructor's summary.</param>
    /// <param name="ActionSummary">An action method's summary, given the wire name (already XML-escaped).</param>
    /// <param name="ActionDocs">The doc lines after an action method's parameters (<c>returns</c>, <c>exception</c>).</param>
    /// <param name="ActionReturnType">The action methods' return type.</param>
    /// <param name="Return">The lines of the return statement, given the wire name literal and the arguments local.</param>
    public sealed record Spec(
        string Property,
        IReadOnlyList<string> PropertyDocs,
        string FacadeSuffix,
        Func<string, string> FacadeSummary,
        string CallsSuffix,
        Func<string, string> CallsSummary,
        string Store,
        string StoreName,
        string StoreDescription,
        Action<SourceWriter, string> WriteFacadeMembers,
        IReadOnlyList<(string Type, string Name, string Doc)> CallsFields,
        string CallsConstructorSummary,
        Func<string, string> ActionSummary,
        IReadOnlyList<string> ActionDocs,
        string ActionReturnType,
        Func<string, string, string[]> Return);

    public static string Emit(ActorModel actor, Spec spec)
    {
        var w = StartFile();
        var hasNamespace = OpenNamespace(w, actor);
        var accessibility = actor.IsPublic ? "public" : "internal";
        var prefix = actor.Namespace.Length == 0 ? "global::" : "global::" + actor.Namespace + ".";
        var facade = actor.ClassName + spec.FacadeSuffix;
        var calls = actor.ClassName + spec.CallsSuffix;
        var actorName = Xml(actor.ActorName);
        var store = "_" + spec.StoreName;
        var storeDoc = char.ToUpperInvariant(spec.StoreDescription[0]) + spec.StoreDescription.Substring(1) + ".";

        // Private: usable from every part of the actor class, never part of its public or protected surface.
        w.OpenBlock($"partial class {Names.Escape(actor.ClassName)}");
        w.WriteLine("/// <summary>");
        foreach (var line in spec.PropertyDocs)
        {
            w.WriteLine("/// " + line);
        }
        w.WriteLine("/// </summary>");
        w.WriteLine($"private {prefix}{facade} {spec.Property} => new {prefix}{facade}(base.Context.{spec.Property});");
        w.CloseBlock();
        w.WriteLine();

        w.WriteLine($"/// <summary>{spec.FacadeSummary(actorName)} (<see cref=\"{Xml(actor.FullyQualifiedName)}\"/>): the actor's <c>{spec.Property}</c> property.</summary>");
        w.WriteLine(GeneratedCodeAttribute);
        w.OpenBlock($"{accessibility} readonly struct {facade}");
        w.WriteLine($"private readonly {spec.Store} {store};");
        w.WriteLine();
        w.WriteLine($"/// <summary>Wraps {spec.StoreDescription}.</summary>");
        w.WriteLine($"/// <param name=\"{spec.StoreName}\">{storeDoc}</param>");
        w.WriteLine($"internal {facade}({spec.Store} {spec.StoreName}) => {store} = {spec.StoreName};");
        w.WriteLine();
        spec.WriteFacadeMembers(w, prefix + calls);
        w.WriteLine($"private {spec.Store} Require() => {store} ?? throw new global::System.InvalidOperationException(\"This {Xml(facade)} was not obtained from the actor's {spec.Property} property.\");");
        w.CloseBlock();
        w.WriteLine();

        var fields = new[] { (Type: spec.Store, Name: spec.StoreName, Doc: storeDoc) }.Concat(spec.CallsFields).ToList();
        w.WriteLine($"/// <summary>{spec.CallsSummary(actorName)}</summary>");
        w.WriteLine(GeneratedCodeAttribute);
        w.OpenBlock($"{accessibility} readonly struct {calls}");
        foreach (var field in fields)
        {
            w.WriteLine($"private readonly {field.Type} _{field.Name};");
        }
        w.WriteLine();
        w.WriteLine($"/// <summary>{spec.CallsConstructorSummary}</summary>");
        foreach (var field in fields)
        {
            w.WriteLine($"/// <param name=\"{field.Name}\">{field.Doc}</param>");
        }
        w.OpenBlock($"internal {calls}({string.Join(", ", fields.Select(f => f.Type + " " + f.Name))})");
        foreach (var field in fields)
        {
            w.WriteLine($"_{field.Name} = {field.Name};");
        }
        w.CloseBlock();
        foreach (var action in actor.Actions)
        {
            if (!s_reserved.Contains(action.MethodName))
            {
                w.WriteLine();
                EmitAction(w, action, spec);
            }
        }
        w.CloseBlock();
        if (hasNamespace)
        {
            w.CloseBlock();
        }
        return w.ToString();
    }

    private static void EmitAction(SourceWriter w, ActionModel action, Spec spec)
    {
        var wire = action.Parameters.Where(p => !p.IsCancellationToken).ToList();
        var args = Unique("__args", wire);
        var signature = wire.Select(p => p.TypeName + " " + Names.Escape(p.Name) + (p.IsOptional ? " = " + p.DefaultValue : ""));
        w.WriteLine($"/// <summary>{spec.ActionSummary(Xml(action.WireName))}</summary>");
        foreach (var p in wire)
        {
            w.WriteLine($"/// <param name=\"{Xml(p.Name)}\">The <c>{Xml(p.Name)}</c> argument.</param>");
        }
        foreach (var line in spec.ActionDocs)
        {
            w.WriteLine("/// " + line);
        }
        w.OpenBlock($"public {spec.ActionReturnType} {action.MethodName}({string.Join(", ", signature)})");
        WriteArguments(w, wire, args, spec.Return(Literal(action.WireName), args));
        w.CloseBlock();
    }
}
