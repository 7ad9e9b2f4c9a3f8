using System;
using System.Collections.Generic;
using System.Linq;
using Rivet.Generators.Helpers;
using Rivet.Generators.Model;
using Rivet.Generators.Parsing;
using Rivet.Generators.Serialization;
using static Rivet.Generators.Emitting.EmitHelpers;

namespace Rivet.Generators.Emitting;

/// <summary>
/// Emits <c>{Actor}.Client.g.cs</c>: the typed handle (<c>CounterHandle</c>) and the accessor
/// (<c>CounterAccessor</c>); the <c>client.Counter</c> extension property is in <see cref="AccessorExtensionsEmitter"/>'s file.
/// </summary>
internal static class ClientEmitter
{
    internal const string Task = "global::System.Threading.Tasks.Task";
    internal const string CancellationToken = "global::System.Threading.CancellationToken";
    private const string ActorKey = "global::Rivet.ActorKey";

    public static string HintName(ActorModel actor) => actor.HintPrefix + ".Client.g.cs";

    public static string Emit(ActorModel actor) =>
        Emit(
            new ClientShape(actor.Namespace, actor.ClassName, actor.IsPublic, actor.ActorName, actor.Input, actor.InputTypeName,
                actor.FullyQualifiedName, Implements: null, actor.Events, actor.Connection, actor.EmitConnect),
            (w, receiver, reserved) =>
            {
                for (var i = 0; i < actor.Actions.Count; i++)
                {
                    var action = actor.Actions[i];
                    if (reserved is null ? action.OnHandle : !reserved.Contains(action.MethodName))
                    {
                        w.WriteLine();
                        // Handles only: a connection's calls go over its socket.
                        EmitAction(w, action, receiver, receiver == "Handle" && DirectCallEmitter.Applies(actor, action) ? (actor, i) : null);
                    }
                }
            });

    /// <summary>
    /// Emits the handle, connection and accessor of an actor or actor-client interface;
    /// <paramref name="writeMethods"/> writes the action methods (each preceded by a blank line) calling the given
    /// receiver (<c>Handle</c> or <c>Connection</c>), skipping the reserved names (null for the handle).
    /// </summary>
    public static string Emit(ClientShape shape, Action<SourceWriter, string, HashSet<string>?> writeMethods)
    {
        var w = StartFile();
        var hasNamespace = OpenNamespace(w, shape.Namespace);
        var accessibility = shape.IsPublic ? "public" : "internal";
        var handle = shape.Name + "Handle";
        var accessor = shape.Name + "Accessor";
        var qualifiedPrefix = shape.Namespace.Length == 0 ? "global::" : "global::" + shape.Namespace + ".";
        var name = Literal(shape.ActorName);
        var actorCref = Xml(shape.Cref);
        var implements = shape.Implements is null ? "" : " : " + shape.Implements;

        // Handle.
        w.WriteLine($"/// <summary>A typed reference to one <c>{Xml(shape.ActorName)}</c> actor (<see cref=\"{actorCref}\"/>): one method per action.</summary>");
        w.WriteLine(GeneratedCodeAttribute);
        w.OpenBlock($"{accessibility} sealed class {handle}{implements}");
        w.WriteLine("/// <summary>Wraps an untyped handle to a <c>" + Xml(shape.ActorName) + "</c> actor.</summary>");
        w.WriteLine("/// <param name=\"handle\">The untyped handle.</param>");
        w.WriteLine($"public {handle}(global::Rivet.Client.ActorHandle handle) => Handle = handle ?? throw new global::System.ArgumentNullException(nameof(handle));");
        w.WriteLine();
        w.WriteLine("/// <summary>The untyped handle, for raw calls.</summary>");
        w.WriteLine("public global::Rivet.Client.ActorHandle Handle { get; }");
        w.WriteLine();
        w.WriteLine("/// <summary>Returns the actor's id, creating the actor first for a get-or-create handle.</summary>");
        w.WriteLine("/// <param name=\"cancellationToken\">Cancels the lookup.</param>");
        w.WriteLine($"public {Task}<string> ResolveAsync({CancellationToken} cancellationToken = default) => Handle.ResolveAsync(cancellationToken);");
        w.WriteLine();
        w.WriteLine("/// <summary>A handle to the same actor whose action calls carry <paramref name=\"idempotencyKey\"/>: a repeat with the same key answers the remembered result without running the action again (see <see cref=\"global::Rivet.Client.ActorHandle.WithIdempotencyKey\"/>).</summary>");
        w.WriteLine("/// <param name=\"idempotencyKey\">Printable ASCII without spaces, at most 128 characters; one key per logical operation.</param>");
        w.WriteLine($"public {handle} WithIdempotencyKey(string idempotencyKey) => new(Handle.WithIdempotencyKey(idempotencyKey));");
        if (shape.EmitConnect)
        {
            ConnectionEmitter.EmitConnect(w, shape, qualifiedPrefix);
        }
        writeMethods(w, "Handle", null);
        w.WriteLine();
        w.WriteLine("/// <inheritdoc />");
        w.WriteLine("public override string ToString() => Handle.ToString();");
        w.CloseBlock();
        w.WriteLine();

        // Connection.
        ConnectionEmitter.Emit(w, shape, accessibility, writeMethods);
        w.WriteLine();

        // Accessor.
        w.WriteLine($"/// <summary>Finds and creates <c>{Xml(shape.ActorName)}</c> actors (<see cref=\"{actorCref}\"/>) through a <see cref=\"global::Rivet.RivetClient\"/>.</summary>");
        w.WriteLine(GeneratedCodeAttribute);
        w.OpenBlock($"{accessibility} readonly struct {accessor}");
        w.WriteLine("private readonly global::Rivet.RivetClient _client;");
        w.WriteLine();
        w.WriteLine("/// <summary>Creates an accessor over <paramref name=\"client\"/>.</summary>");
        w.WriteLine("/// <param name=\"client\">The client that carries the calls.</param>");
        w.WriteLine($"public {accessor}(global::Rivet.RivetClient client) => _client = client ?? throw new global::System.ArgumentNullException(nameof(client));");
        w.WriteLine();
        w.WriteLine("/// <summary>The actor with <paramref name=\"key\"/>, which must exist when called.</summary>");
        w.WriteLine("/// <param name=\"key\">The actor key.</param>");
        w.WriteLine($"public {qualifiedPrefix}{handle} Get({ActorKey} key) => new {qualifiedPrefix}{handle}(_client.Get({name}, key));");
        w.WriteLine();
        w.WriteLine("/// <summary>The actor with <paramref name=\"key\"/>, created on first use if it does not exist.</summary>");
        w.WriteLine("/// <param name=\"key\">The actor key.</param>");
        w.WriteLine($"public {qualifiedPrefix}{handle} GetOrCreate({ActorKey} key) => new {qualifiedPrefix}{handle}(_client.GetOrCreate({name}, key));");
        if (shape.Input is not null)
        {
            var (typeArgument, typeInfo) = TypeInfo(shape.Input, shape.InputTypeName!);
            w.WriteLine();
            w.WriteLine("/// <summary>The actor with <paramref name=\"key\"/>, created with <paramref name=\"input\"/> on first use if it does not exist.</summary>");
            w.WriteLine("/// <param name=\"key\">The actor key.</param>");
            w.WriteLine("/// <param name=\"input\">The creation input.</param>");
            w.WriteLine($"public {qualifiedPrefix}{handle} GetOrCreate({ActorKey} key, {shape.InputTypeName} input) => new {qualifiedPrefix}{handle}(_client.GetOrCreate{typeArgument}({name}, key, input, {typeInfo}));");
        }
        w.WriteLine();
        w.WriteLine("/// <summary>Creates the actor with <paramref name=\"key\"/>; fails with <c>actor.duplicate_key</c> if it exists.</summary>");
        w.WriteLine("/// <param name=\"key\">The actor key.</param>");
        w.WriteLine("/// <param name=\"cancellationToken\">Cancels the creation.</param>");
        w.WriteLine($"public async {Task}<{qualifiedPrefix}{handle}> Create({ActorKey} key, {CancellationToken} cancellationToken = default) =>");
        w.WriteLine($"    new {qualifiedPrefix}{handle}(await _client.CreateAsync({name}, key, cancellationToken).ConfigureAwait(false));");
        if (shape.Input is not null)
        {
            var (typeArgument, typeInfo) = TypeInfo(shape.Input, shape.InputTypeName!);
            w.WriteLine();
            w.WriteLine("/// <summary>Creates the actor with <paramref name=\"key\"/> and <paramref name=\"input\"/>; fails with <c>actor.duplicate_key</c> if it exists.</summary>");
            w.WriteLine("/// <param name=\"key\">The actor key.</param>");
            w.WriteLine("/// <param name=\"input\">The creation input.</param>");
            w.WriteLine("/// <param name=\"cancellationToken\">Cancels the creation.</param>");
            w.WriteLine($"public async {Task}<{qualifiedPrefix}{handle}> Create({ActorKey} key, {shape.InputTypeName} input, {CancellationToken} cancellationToken = default) =>");
            w.WriteLine($"    new {qualifiedPrefix}{handle}(await _client.CreateAsync{typeArgument}({name}, key, input, {typeInfo}, cancellationToken).ConfigureAwait(false));");
        }
        w.WriteLine();
        w.WriteLine("/// <summary>The actor with id <paramref name=\"actorId\"/>.</summary>");
        w.WriteLine("/// <param name=\"actorId\">The actor id.</param>");
        w.WriteLine($"public {qualifiedPrefix}{handle} GetForId(string actorId) => new {qualifiedPrefix}{handle}(_client.GetForId({name}, actorId));");
        w.CloseBlock();

        if (hasNamespace)
        {
            w.CloseBlock();
        }
        return w.ToString();
    }

    private static void EmitAction(SourceWriter w, ActionModel action, string receiver, (ActorModel Actor, int Index)? direct)
    {
        var wire = action.Parameters.Where(p => !p.IsCancellationToken).ToList();
        var tokenName = Unique("cancellationToken", wire);
        var signature = new List<string>();
        foreach (var parameter in wire)
        {
            signature.Add(parameter.IsOptional
                ? $"{parameter.TypeName} {Names.Escape(parameter.Name)} = {parameter.DefaultValue}"
                : $"{parameter.TypeName} {Names.Escape(parameter.Name)}");
        }
        signature.Add($"{CancellationToken} {tokenName} = default");
        var returnType = action.ReturnsValue ? $"{Task}<{action.ResultTypeName}>" : Task;

        w.WriteLine($"/// <summary>Calls the <c>{Xml(action.WireName)}</c> action.</summary>");
        foreach (var parameter in wire)
        {
            w.WriteLine($"/// <param name=\"{Xml(parameter.Name)}\">The <c>{Xml(parameter.Name)}</c> argument.</param>");
        }
        w.WriteLine($"/// <param name=\"{tokenName}\">Cancels the call.</param>");
        w.WriteLine(action.ReturnsValue ? "/// <returns>The action's result.</returns>" : "/// <returns>Completes when the action has run.</returns>");
        w.OpenBlock($"public {returnType} {action.MethodName}({string.Join(", ", signature)})");
        var argsLocal = Unique("__args", wire);
        if (direct is var (actor, index))
        {
            DirectCallEmitter.EmitCall(w, action, index, tokenName, argsLocal);
            w.CloseBlock();
            w.WriteLine();
            DirectCallEmitter.EmitField(w, actor, action, index);
            return;
        }
        w.WriteLine("return " + WriteCall(w, action.WireName, wire, action.Result, action.ResultTypeName, tokenName, argsLocal, receiver) + ";");
        w.CloseBlock();
    }

    /// <summary>
    /// Writes the serialization of the wire arguments into <paramref name="argsLocal"/> and returns the expression that
    /// calls the action through <paramref name="receiver"/> (<c>Handle</c> or <c>Connection</c>): a <c>Task</c>, or a
    /// <c>Task&lt;T&gt;</c> when there is a result.
    /// </summary>
    internal static string WriteCall(SourceWriter w, string wireName, IReadOnlyList<ParameterModel> wire, SerializableType? result,
        string? resultTypeName, string tokenExpression, string argsLocal, string receiver = "Handle")
    {
        // A parameter named like the property would hide it.
        var handle = tokenExpression == receiver || wire.Any(p => p.Name == receiver) ? "this." + receiver : receiver;
        w.WriteLine($"var {argsLocal} = global::Rivet.Runtime.ActionArguments.Start();");
        foreach (var parameter in wire)
        {
            var (typeArgument, typeInfo) = TypeInfo(parameter.Type!, parameter.TypeName);
            w.WriteLine($"{argsLocal}.Add{typeArgument}({Names.Escape(parameter.Name)}, {typeInfo});");
        }
        if (result is not null)
        {
            var (typeArgument, typeInfo) = TypeInfo(result, resultTypeName!);
            return $"{handle}.InvokeAsync{typeArgument}({Literal(wireName)}, {argsLocal}, {typeInfo}, {tokenExpression})";
        }
        return $"{handle}.InvokeAsync({Literal(wireName)}, {argsLocal}, {tokenExpression})";
    }
}

/// <summary>What the handle and accessor of a client are named after and call.</summary>
/// <param name="Namespace">The namespace of the generated types ("" for the global namespace).</param>
/// <param name="Name">The name they derive from: <c>{Name}Handle</c>, <c>{Name}Accessor</c>, <c>client.{Name}</c>.</param>
/// <param name="IsPublic">Public, else internal.</param>
/// <param name="ActorName">The actor name on the wire.</param>
/// <param name="Input">The creation input's serializer, or null.</param>
/// <param name="InputTypeName">The input type as C# source, or null.</param>
/// <param name="Cref">The actor class or client interface the docs point to, as C# source.</param>
/// <param name="Implements">The interface the handle implements, or null.</param>
/// <param name="Events">The events the connection subscribes to.</param>
/// <param name="Connection">The connection parameter type, or null when <c>Connect</c> takes none.</param>
/// <param name="EmitConnect">Whether the handle gets <c>Connect</c>.</param>
internal sealed record ClientShape(
    string Namespace,
    string Name,
    bool IsPublic,
    string ActorName,
    SerializableType? Input,
    string? InputTypeName,
    string Cref,
    string? Implements,
    EquatableArray<EventModel> Events,
    ConnectionTypes? Connection,
    bool EmitConnect);
