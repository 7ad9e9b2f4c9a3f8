using System.Collections.Generic;
using System.Linq;
using Rivet.Generators.Helpers;
using Rivet.Generators.Model;
using Rivet.Generators.Parsing;
using static Rivet.Generators.Emitting.EmitHelpers;

namespace Rivet.Generators.Emitting;

/// <summary>
/// Emits <c>{Actor}.Events.g.cs</c>: the implementation of each <c>[Event] partial void</c> declaration (a broadcast to
/// every subscribed connection) and an overload taking a <c>Connection</c> first that sends to that connection only.
/// </summary>
internal static class EventsEmitter
{
    public static string HintName(ActorModel actor) => actor.HintPrefix + ".Events.g.cs";

    public static string Emit(ActorModel actor)
    {
        var w = StartFile();
        var hasNamespace = OpenNamespace(w, actor);
        w.OpenBlock($"partial class {Names.Escape(actor.ClassName)}");
        var first = true;
        foreach (var e in actor.Events)
        {
            if (!first)
            {
                w.WriteLine();
            }
            first = false;
            EmitEvent(w, e);
        }
        w.CloseBlock();
        if (hasNamespace)
        {
            w.CloseBlock();
        }
        return w.ToString();
    }

    private static void EmitEvent(SourceWriter w, EventModel e)
    {
        var args = Unique("__args", e.Parameters);
        var connection = Unique("connection", e.Parameters);
        var declared = string.Join(", ", e.Parameters.Select(p => (p.IsParams ? "params " : "") + p.TypeName + " " + Names.Escape(p.Name)));

        // The implementing declaration repeats the defining one's modifiers; default values stay on the definition.
        w.OpenBlock($"{e.Modifiers} void {e.MethodName}({declared})");
        WriteArguments(w, e.Parameters, args, $"this.BroadcastEvent({Literal(e.WireName)}, {args});");
        w.CloseBlock();
        w.WriteLine();

        var overload = new List<string> { "global::Rivet.Connection " + connection };
        overload.AddRange(e.Parameters.Select(p => (p.IsParams ? "params " : "") + p.TypeName + " " + Names.Escape(p.Name)
            + (p.IsOptional ? " = " + p.DefaultValue : "")));
        w.WriteLine($"/// <summary>Sends the <c>{Xml(e.WireName)}</c> event to <paramref name=\"{connection}\"/> only, if it subscribed to it.</summary>");
        w.WriteLine($"/// <param name=\"{connection}\">The connection to send it to.</param>");
        foreach (var p in e.Parameters)
        {
            w.WriteLine($"/// <param name=\"{Xml(p.Name)}\">The <c>{Xml(p.Name)}</c> argument.</param>");
        }
        w.OpenBlock($"{e.Accessibility} void {e.MethodName}({string.Join(", ", overload)})");
        w.WriteLine($"if ({connection} is null)");
        w.WriteLine("{");
        w.WriteLine($"    throw new global::System.ArgumentNullException(nameof({connection}));");
        w.WriteLine("}");
        WriteArguments(w, e.Parameters, args, $"{connection}.SendEvent({Literal(e.WireName)}, {args});");
        w.CloseBlock();
    }
}
