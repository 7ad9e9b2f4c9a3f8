using System.Linq;
using Rivet.Generators.Model;
using static Rivet.Generators.Emitting.EmitHelpers;

namespace Rivet.Generators.Emitting;

/// <summary>
/// Emits <c>{Actor}.Actor.g.cs</c>: the actor's <see cref="T:Rivet.Runtime.IGeneratedActor"/> implementation, whose
/// nested definition creates instances and dispatches actions by wire name with no reflection.
/// </summary>
internal static class DispatchEmitter
{
    public static string HintName(ActorModel actor) => actor.HintPrefix + ".Actor.g.cs";

    public static string Emit(ActorModel actor)
    {
        var w = StartFile();
        var hasNamespace = OpenNamespace(w, actor);
        w.OpenBlock($"partial class {Names(actor.ClassName)} : global::Rivet.Runtime.IGeneratedActor");
        w.WriteLine("static global::Rivet.Runtime.ActorDefinition global::Rivet.Runtime.IGeneratedActor.Definition => __RivetDefinition.Instance;");
        w.WriteLine();
        w.WriteLine("/// <summary>The generated definition of this actor: factory, action dispatch and serializers.</summary>");
        w.WriteLine(EditorBrowsableNever);
        w.WriteLine(GeneratedCodeAttribute);
        w.OpenBlock("private sealed class __RivetDefinition : global::Rivet.Runtime.ActorDefinition");
        w.WriteLine("public static readonly __RivetDefinition Instance = new __RivetDefinition();");
        w.WriteLine();
        w.WriteLine("private __RivetDefinition()");
        w.WriteLine("    : base(");
        w.Indentation += 2;
        w.WriteLine(Literal(actor.ActorName) + ",");
        w.WriteLine($"typeof({actor.FullyQualifiedName}),");
        w.WriteLine(actor.Actions.Count == 0
            ? "global::System.Array.Empty<string>(),"
            : "new string[] { " + string.Join(", ", actor.Actions.Select(a => Literal(a.WireName))) + " },");
        w.WriteLine((actor.State?.TypeInfoExpression ?? "null") + ",");
        w.WriteLine((actor.Input?.TypeInfoExpression ?? "null") + ",");
        w.WriteLine((actor.StateFactory ?? "null") + ")");
        w.Indentation -= 2;
        w.WriteLine("{");
        w.WriteLine("}");
        w.WriteLine();
        w.WriteLine($"public override global::Rivet.Actor CreateInstance() => new {actor.FullyQualifiedName}();");
        w.WriteLine();
        if (actor.State is { } state)
        {
            Serialization.StateWriterEmitter.Emit(w, actor.FullyQualifiedName, state);
        }
        if (actor.Connection?.Params is { } connectionParams)
        {
            w.WriteLine($"public override global::System.Text.Json.Serialization.Metadata.JsonTypeInfo? ConnectionParamsType => {connectionParams.TypeInfoExpression};");
            w.WriteLine();
        }
        if (actor.Connection?.State is { } connectionState)
        {
            w.WriteLine($"public override global::System.Text.Json.Serialization.Metadata.JsonTypeInfo? ConnectionStateType => {connectionState.TypeInfoExpression};");
            w.WriteLine();
        }
        if (actor.Events.Count > 0)
        {
            w.WriteLine("private static readonly string[] s_eventNames = new string[] { " + string.Join(", ", actor.Events.Select(e => Literal(e.WireName))) + " };");
            w.WriteLine();
            w.WriteLine("public override global::System.Collections.Generic.IReadOnlyList<string> EventNames => s_eventNames;");
            w.WriteLine();
        }
        QueuesEmitter.EmitDeclarations(w, actor);
        w.OpenBlock("public override global::System.Threading.Tasks.ValueTask DispatchAsync(global::Rivet.Actor actor, string action, global::System.ReadOnlyMemory<byte> arguments, global::System.Text.Json.Utf8JsonWriter result, global::System.Threading.CancellationToken cancellationToken)");
        if (actor.Actions.Count > 0)
        {
            w.WriteLine($"var __actor = ({actor.FullyQualifiedName})actor;");
        }
        w.OpenBlock("switch (action)");
        foreach (var action in actor.Actions)
        {
            EmitCase(w, actor, action);
        }
        w.WriteLine("default:");
        w.WriteLine($"    return global::Rivet.Runtime.ActionDispatch.NotFound({Literal(actor.ActorName)}, action);");
        w.CloseBlock();
        w.CloseBlock();
        w.CloseBlock();
        w.CloseBlock();
        if (hasNamespace)
        {
            w.CloseBlock();
        }
        return w.ToString();
    }

    private static void EmitCase(Helpers.SourceWriter w, ActorModel actor, ActionModel action)
    {
        w.WriteLine($"case {Literal(action.WireName)}:");
        w.WriteLine("{");
        w.Indentation++;
        // The ref struct reader is used up before the call, so nothing it holds lives across the action's awaits.
        w.WriteLine($"var __args = new global::Rivet.Runtime.ActionArgumentReader(arguments.Span, {Literal(actor.ActorName)}, {Literal(action.WireName)});");
        var callArguments = new System.Collections.Generic.List<string>();
        var wireCount = 0;
        for (var i = 0; i < action.Parameters.Count; i++)
        {
            var parameter = action.Parameters[i];
            if (parameter.IsCancellationToken)
            {
                callArguments.Add("cancellationToken");
                continue;
            }
            var local = "__p" + i;
            var (typeArgument, typeInfo) = TypeInfo(parameter.Type!, parameter.TypeName);
            var allowNull = parameter.AllowNull ? "true" : "false";
            var name = Literal(parameter.Name);
            w.WriteLine(parameter.IsOptional
                ? $"{parameter.TypeName} {local} = __args.Next() ? __args.Read{typeArgument}({name}, {typeInfo}, allowNull: {allowNull}) : {parameter.DefaultValue};"
                : $"{parameter.TypeName} {local} = __args.ReadRequired{typeArgument}({name}, {typeInfo}, allowNull: {allowNull});");
            callArguments.Add(local);
            wireCount++;
        }
        w.WriteLine($"__args.End({wireCount});");
        var call = $"__actor.{action.MethodName}({string.Join(", ", callArguments)})";
        switch (action.ReturnKind)
        {
            case ReturnKind.Void:
                w.WriteLine(call + ";");
                w.WriteLine("return global::Rivet.Runtime.ActionDispatch.Void(result);");
                break;
            case ReturnKind.Task:
            case ReturnKind.ValueTask:
                w.WriteLine($"return global::Rivet.Runtime.ActionDispatch.Void({call}, result);");
                break;
            default:
                var (typeArgument, typeInfo) = TypeInfo(action.Result!, action.ResultTypeName!);
                w.WriteLine($"return global::Rivet.Runtime.ActionDispatch.Result{typeArgument}({call}, result, {typeInfo});");
                break;
        }
        w.CloseBlock();
    }

    private static string Names(string identifier) => Parsing.Names.Escape(identifier);
}
