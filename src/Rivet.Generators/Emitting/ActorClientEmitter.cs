using System.Collections.Generic;
using System.Linq;
using Rivet.Generators.Helpers;
using Rivet.Generators.Model;
using Rivet.Generators.Parsing;
using static Rivet.Generators.Emitting.EmitHelpers;

namespace Rivet.Generators.Emitting;

/// <summary>
/// Emits <c>{Interface}.ActorClient.g.cs</c> for an [ActorClient] interface: the same handle, accessor and extension
/// property as <see cref="ClientEmitter"/> writes for an actor class, with a handle that implements the interface.
/// </summary>
internal static class ActorClientEmitter
{
    private const string ValueTask = "global::System.Threading.Tasks.ValueTask";

    /// <summary>The hint name; <c>.ActorClient</c> keeps it apart from the <c>.Actor</c>/<c>.Client</c> files of actor classes.</summary>
    public static string HintName(ActorClientModel client) => client.HintPrefix + ".ActorClient.g.cs";

    public static string Emit(ActorClientModel client) =>
        ClientEmitter.Emit(
            new ClientShape(client.Namespace, client.ClientName, client.IsPublic, client.ActorName, client.Input, client.InputTypeName,
                client.FullyQualifiedName, Implements: client.FullyQualifiedName, client.Events, client.Connection, EmitConnect: true),
            (w, receiver, reserved) =>
            {
                foreach (var method in client.Methods)
                {
                    // The connection implements no interface: it repeats the handle's public methods only.
                    if (reserved is null || (!method.ExplicitImplementation && !reserved.Contains(method.MethodName)))
                    {
                        w.WriteLine();
                        EmitMethod(w, method, receiver, reserved is null && method.ExplicitImplementation);
                    }
                }
                if (reserved is null)
                {
                    foreach (var e in client.Events)
                    {
                        if (e.ImplementIn is not null)
                        {
                            w.WriteLine();
                            EmitEventStub(w, client, e);
                        }
                    }
                }
            });

    /// <summary>
    /// An abstract <c>[Event]</c> method of the interface, implemented explicitly (hidden from the handle's members):
    /// events are received through the connection, never sent by a client.
    /// </summary>
    private static void EmitEventStub(SourceWriter w, ActorClientModel client, EventModel e)
    {
        var parameters = string.Join(", ", e.Parameters.Select(p => (p.IsParams ? "params " : "") + p.TypeName + " " + Names.Escape(p.Name)));
        var message = $"'{e.WireName}' is an event the '{client.ActorName}' actor sends; receive it through Connect(): On{ConnectionEmitter.Raw(e)} or {ConnectionEmitter.Raw(e)}Events.";
        w.WriteLine($"/// <summary>Not callable: <c>{Xml(e.WireName)}</c> is an event the actor sends; subscribe to it on the connection <c>Connect</c> opens.</summary>");
        w.WriteLine($"/// <exception cref=\"global::System.NotSupportedException\">Always.</exception>");
        w.WriteLine($"void {e.ImplementIn}.{e.MethodName}({parameters}) =>");
        w.WriteLine($"    throw new global::System.NotSupportedException({Literal(message)});");
    }

    private static void EmitMethod(SourceWriter w, ClientMethodModel method, string receiver, bool isExplicit)
    {
        var argsLocal = Unique("__args", method.Parameters);
        var signature = new List<string>();
        foreach (var parameter in method.Parameters)
        {
            var declaration = (parameter.IsParams ? "params " : "") + parameter.TypeName + " " + Names.Escape(parameter.Name);
            if (parameter.IsOptional && !isExplicit)
            {
                var value = parameter.IsCancellationToken && parameter.DefaultValue!.StartsWith("default(", System.StringComparison.Ordinal)
                    ? "default"
                    : parameter.DefaultValue;
                declaration += " = " + value;
            }
            signature.Add(declaration);
        }
        var token = method.Parameters.FirstOrDefault(p => p.IsCancellationToken) is { } tokenParameter ? Names.Escape(tokenParameter.Name) : "default";
        var wire = method.Parameters.Where(p => !p.IsCancellationToken).ToList();
        var returnType = method.ReturnKind switch
        {
            ReturnKind.TaskOfT => $"{ClientEmitter.Task}<{method.ResultTypeName}>",
            ReturnKind.ValueTask => ValueTask,
            ReturnKind.ValueTaskOfT => $"{ValueTask}<{method.ResultTypeName}>",
            _ => ClientEmitter.Task,
        };

        w.WriteLine($"/// <summary>Calls the <c>{Xml(method.WireName)}</c> action.</summary>");
        if (receiver == "Handle")
        {
            w.WriteLine("/// <inheritdoc />");
        }
        else
        {
            // The connection implements no interface: its methods carry their own parameter docs.
            foreach (var parameter in method.Parameters)
            {
                w.WriteLine(parameter.IsCancellationToken
                    ? $"/// <param name=\"{Xml(parameter.Name)}\">Cancels the call.</param>"
                    : $"/// <param name=\"{Xml(parameter.Name)}\">The <c>{Xml(parameter.Name)}</c> argument.</param>");
            }
            w.WriteLine(method.Result is not null ? "/// <returns>The action's result.</returns>" : "/// <returns>Completes when the action has run.</returns>");
        }
        w.OpenBlock(isExplicit
            ? $"{returnType} {method.DeclaringInterface}.{method.MethodName}({string.Join(", ", signature)})"
            : $"public {returnType} {method.MethodName}({string.Join(", ", signature)})");
        var call = ClientEmitter.WriteCall(w, method.WireName, wire, method.Result, method.ResultTypeName, token, argsLocal, receiver);
        w.WriteLine(method.ReturnKind is ReturnKind.ValueTask or ReturnKind.ValueTaskOfT
            ? $"return new {returnType}({call});"
            : $"return {call};");
        w.CloseBlock();
    }
}
