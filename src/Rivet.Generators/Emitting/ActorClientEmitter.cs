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

    public static string Emit(ActorClientModel client, bool emitExtensions) =>
        ClientEmitter.Emit(
            new ClientShape(client.Namespace, client.ClientName, client.IsPublic, client.ActorName, client.Input, client.InputTypeName,
                client.FullyQualifiedName, Implements: client.FullyQualifiedName),
            emitExtensions,
            w =>
            {
                foreach (var method in client.Methods)
                {
                    w.WriteLine();
                    EmitMethod(w, method);
                }
            });

    private static void EmitMethod(SourceWriter w, ClientMethodModel method)
    {
        var argsLocal = "__args";
        for (var i = 2; method.Parameters.Any(p => p.Name == argsLocal); i++)
        {
            argsLocal = "__args" + i;
        }
        var signature = new List<string>();
        foreach (var parameter in method.Parameters)
        {
            var declaration = (parameter.IsParams ? "params " : "") + parameter.TypeName + " " + Names.Escape(parameter.Name);
            if (parameter.IsOptional && !method.ExplicitImplementation)
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
        w.WriteLine("/// <inheritdoc />");
        w.OpenBlock(method.ExplicitImplementation
            ? $"{returnType} {method.DeclaringInterface}.{method.MethodName}({string.Join(", ", signature)})"
            : $"public {returnType} {method.MethodName}({string.Join(", ", signature)})");
        var call = ClientEmitter.WriteCall(w, method.WireName, wire, method.Result, method.ResultTypeName, token, argsLocal);
        w.WriteLine(method.ReturnKind is ReturnKind.ValueTask or ReturnKind.ValueTaskOfT
            ? $"return new {returnType}({call});"
            : $"return {call};");
        w.CloseBlock();
    }
}
