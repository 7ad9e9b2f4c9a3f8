using System.Linq;
using Rivet.Generators.Helpers;
using Rivet.Generators.Model;
using Rivet.Generators.Parsing;
using static Rivet.Generators.Emitting.EmitHelpers;

namespace Rivet.Generators.Emitting;

/// <summary>
/// Emits <c>{Actor}.Queues.g.cs</c> for an actor with <c>[Queue]</c> declarations: the typed receivers
/// (<c>Queues.Jobs</c>, used in <c>RunAsync</c>) and the handle's typed senders (<c>SendJobs</c>, <c>SendJobsAndWait</c>);
/// and the definition's <c>Queues</c> override (<see cref="EmitDeclarations"/>, called by the dispatch emitter).
/// </summary>
internal static class QueuesEmitter
{
    private const string Task = "global::System.Threading.Tasks.Task";
    private const string CancellationToken = "global::System.Threading.CancellationToken";

    public static string HintName(ActorModel actor) => actor.HintPrefix + ".Queues.g.cs";

    /// <summary>Writes the <c>ActorDefinition.Queues</c> override inside the generated definition class.</summary>
    public static void EmitDeclarations(SourceWriter w, ActorModel actor)
    {
        if (actor.Queues.Count == 0)
        {
            return;
        }
        w.WriteLine("private static readonly global::Rivet.Runtime.QueueDeclaration[] s_queues = new global::Rivet.Runtime.QueueDeclaration[]");
        w.WriteLine("{");
        foreach (var queue in actor.Queues)
        {
            w.WriteLine($"    new global::Rivet.Runtime.QueueDeclaration({Literal(queue.WireName)}, {queue.Message.TypeInfoExpression}, {queue.Completion?.TypeInfoExpression ?? "null"}),");
        }
        w.WriteLine("};");
        w.WriteLine();
        w.WriteLine("public override global::System.Collections.Generic.IReadOnlyList<global::Rivet.Runtime.QueueDeclaration> Queues => s_queues;");
        w.WriteLine();
    }

    public static string Emit(ActorModel actor)
    {
        var w = StartFile();
        var hasNamespace = OpenNamespace(w, actor);
        var className = Names.Escape(actor.ClassName);
        var queuesClass = actor.ClassName + "Queues";
        var accessibility = actor.IsPublic ? "public" : "internal";

        // Receivers, on the actor.
        w.OpenBlock($"partial class {className}");
        w.WriteLine($"private {queuesClass}? __rivetQueues;");
        w.WriteLine();
        w.WriteLine("/// <summary>The actor's declared queues, typed: receive their messages in <c>RunAsync</c>.</summary>");
        w.WriteLine($"private {queuesClass} Queues => __rivetQueues ??= new {queuesClass}(this);");
        w.WriteLine();
        w.WriteLine($"/// <summary>The typed receivers of the queues of <see cref=\"{Xml(actor.FullyQualifiedName)}\"/>.</summary>");
        w.WriteLine(GeneratedCodeAttribute);
        w.OpenBlock($"private sealed class {queuesClass}");
        w.OpenBlock($"internal {queuesClass}(global::Rivet.Actor actor)");
        foreach (var queue in actor.Queues)
        {
            var completion = queue.Completion is { } c ? ", " + c.TypeInfoExpression : "";
            w.WriteLine($"{queue.MemberName} = new {ReceiverType(queue)}(actor, {Literal(queue.WireName)}, {queue.Message.TypeInfoExpression}{completion});");
        }
        w.CloseBlock();
        foreach (var queue in actor.Queues)
        {
            w.WriteLine();
            w.WriteLine($"/// <summary>Queue <c>{Xml(queue.WireName)}</c>.</summary>");
            w.WriteLine($"public {ReceiverType(queue)} {queue.MemberName} {{ get; }}");
        }
        w.CloseBlock();
        w.CloseBlock();
        w.WriteLine();

        // Senders, on the handle.
        var handle = actor.ClassName + "Handle";
        w.WriteLine($"/// <summary>Typed senders to the queues of <see cref=\"{Xml(actor.FullyQualifiedName)}\"/>.</summary>");
        w.WriteLine(GeneratedCodeAttribute);
        w.OpenBlock($"{accessibility} static class {actor.ClassName}QueueExtensions");
        var first = true;
        foreach (var queue in actor.Queues)
        {
            if (!first)
            {
                w.WriteLine();
            }
            first = false;
            var name = Literal(queue.WireName);
            var wire = Xml(queue.WireName);
            w.WriteLine($"/// <summary>Sends <paramref name=\"message\"/> to queue <c>{wire}</c>; returns once it is stored (the actor handles it later).</summary>");
            w.WriteLine("/// <param name=\"handle\">The actor.</param>");
            w.WriteLine("/// <param name=\"message\">The message.</param>");
            w.WriteLine("/// <param name=\"cancellationToken\">Cancels the send.</param>");
            w.WriteLine($"public static {Task} Send{queue.MemberName}(this {handle} handle, {queue.MessageTypeName} message, {CancellationToken} cancellationToken = default) =>");
            w.WriteLine($"    handle.Handle.SendAsync({name}, message, {queue.Message.TypeInfoExpression}, cancellationToken);");
            w.WriteLine();
            w.WriteLine($"/// <summary>Sends <paramref name=\"message\"/> to queue <c>{wire}</c> and waits up to <paramref name=\"timeout\"/> (the actor's action timeout when null) for the actor to complete it; <c>TimedOut</c> when the wait ended first (the message stays queued).</summary>");
            w.WriteLine("/// <param name=\"handle\">The actor.</param>");
            w.WriteLine("/// <param name=\"message\">The message.</param>");
            w.WriteLine("/// <param name=\"timeout\">How long to wait for the completion.</param>");
            w.WriteLine("/// <param name=\"cancellationToken\">Cancels the send and the wait.</param>");
            if (queue.Completion is { } completion)
            {
                w.WriteLine($"public static {Task}<global::Rivet.QueueSendResult<{queue.CompletionTypeName}>> Send{queue.MemberName}AndWait(this {handle} handle, {queue.MessageTypeName} message, global::System.TimeSpan? timeout = null, {CancellationToken} cancellationToken = default) =>");
                w.WriteLine($"    handle.Handle.SendAndWaitAsync({name}, message, {queue.Message.TypeInfoExpression}, {completion.TypeInfoExpression}, timeout, cancellationToken);");
            }
            else
            {
                w.WriteLine($"public static async {Task}<global::Rivet.QueueSendStatus> Send{queue.MemberName}AndWait(this {handle} handle, {queue.MessageTypeName} message, global::System.TimeSpan? timeout = null, {CancellationToken} cancellationToken = default) =>");
                w.WriteLine($"    (await handle.Handle.SendAndWaitRawAsync({name}, global::System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(message, {queue.Message.TypeInfoExpression}), timeout, cancellationToken).ConfigureAwait(false)).Status;");
            }
        }
        w.CloseBlock();
        if (hasNamespace)
        {
            w.CloseBlock();
        }
        return w.ToString();
    }

    private static string ReceiverType(QueueModel queue) => queue.CompletionTypeName is { } completion
        ? $"global::Rivet.ActorQueue<{queue.MessageTypeName}, {completion}>"
        : $"global::Rivet.ActorQueue<{queue.MessageTypeName}>";
}
