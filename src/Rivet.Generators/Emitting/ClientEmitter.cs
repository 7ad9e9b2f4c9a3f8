using System.Collections.Generic;
using System.Linq;
using Rivet.Generators.Helpers;
using Rivet.Generators.Model;
using Rivet.Generators.Parsing;
using static Rivet.Generators.Emitting.EmitHelpers;

namespace Rivet.Generators.Emitting;

/// <summary>
/// Emits <c>{Actor}.Client.g.cs</c>: the typed handle (<c>CounterHandle</c>), the accessor
/// (<c>CounterAccessor</c>) and, from C# 14, the <c>client.Counter</c> extension property.
/// </summary>
internal static class ClientEmitter
{
    private const string Task = "global::System.Threading.Tasks.Task";
    private const string CancellationToken = "global::System.Threading.CancellationToken";
    private const string ActorKey = "global::Rivet.ActorKey";

    public static string HintName(ActorModel actor) => actor.HintPrefix + ".Client.g.cs";

    public static string Emit(ActorModel actor, bool emitExtensions)
    {
        var w = StartFile();
        var hasNamespace = OpenNamespace(w, actor);
        var accessibility = actor.IsPublic ? "public" : "internal";
        var handle = actor.ClassName + "Handle";
        var accessor = actor.ClassName + "Accessor";
        var qualifiedPrefix = actor.Namespace.Length == 0 ? "global::" : "global::" + actor.Namespace + ".";
        var name = Literal(actor.ActorName);
        var actorCref = Xml(actor.FullyQualifiedName);

        // Handle.
        w.WriteLine($"/// <summary>A typed reference to one <c>{Xml(actor.ActorName)}</c> actor (<see cref=\"{actorCref}\"/>): one method per action.</summary>");
        w.WriteLine(GeneratedCodeAttribute);
        w.OpenBlock($"{accessibility} sealed class {handle}");
        w.WriteLine("/// <summary>Wraps an untyped handle to a <c>" + Xml(actor.ActorName) + "</c> actor.</summary>");
        w.WriteLine("/// <param name=\"handle\">The untyped handle.</param>");
        w.WriteLine($"public {handle}(global::Rivet.Client.ActorHandle handle) => Handle = handle ?? throw new global::System.ArgumentNullException(nameof(handle));");
        w.WriteLine();
        w.WriteLine("/// <summary>The untyped handle, for raw calls.</summary>");
        w.WriteLine("public global::Rivet.Client.ActorHandle Handle { get; }");
        w.WriteLine();
        w.WriteLine("/// <summary>Returns the actor's id, creating the actor first for a get-or-create handle.</summary>");
        w.WriteLine("/// <param name=\"cancellationToken\">Cancels the lookup.</param>");
        w.WriteLine($"public {Task}<string> ResolveAsync({CancellationToken} cancellationToken = default) => Handle.ResolveAsync(cancellationToken);");
        foreach (var action in actor.Actions)
        {
            w.WriteLine();
            EmitAction(w, action);
        }
        w.WriteLine();
        w.WriteLine("/// <inheritdoc />");
        w.WriteLine("public override string ToString() => Handle.ToString();");
        w.CloseBlock();
        w.WriteLine();

        // Accessor.
        w.WriteLine($"/// <summary>Finds and creates <c>{Xml(actor.ActorName)}</c> actors (<see cref=\"{actorCref}\"/>) through a <see cref=\"global::Rivet.RivetClient\"/>.</summary>");
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
        if (actor.Input is not null)
        {
            var (typeArgument, typeInfo) = TypeInfo(actor.Input, actor.InputTypeName!);
            w.WriteLine();
            w.WriteLine("/// <summary>The actor with <paramref name=\"key\"/>, created with <paramref name=\"input\"/> on first use if it does not exist.</summary>");
            w.WriteLine("/// <param name=\"key\">The actor key.</param>");
            w.WriteLine("/// <param name=\"input\">The creation input.</param>");
            w.WriteLine($"public {qualifiedPrefix}{handle} GetOrCreate({ActorKey} key, {actor.InputTypeName} input) => new {qualifiedPrefix}{handle}(_client.GetOrCreate{typeArgument}({name}, key, input, {typeInfo}));");
        }
        w.WriteLine();
        w.WriteLine("/// <summary>Creates the actor with <paramref name=\"key\"/>; fails with <c>actor.duplicate_key</c> if it exists.</summary>");
        w.WriteLine("/// <param name=\"key\">The actor key.</param>");
        w.WriteLine("/// <param name=\"cancellationToken\">Cancels the creation.</param>");
        w.WriteLine($"public async {Task}<{qualifiedPrefix}{handle}> Create({ActorKey} key, {CancellationToken} cancellationToken = default) =>");
        w.WriteLine($"    new {qualifiedPrefix}{handle}(await _client.CreateAsync({name}, key, cancellationToken).ConfigureAwait(false));");
        if (actor.Input is not null)
        {
            var (typeArgument, typeInfo) = TypeInfo(actor.Input, actor.InputTypeName!);
            w.WriteLine();
            w.WriteLine("/// <summary>Creates the actor with <paramref name=\"key\"/> and <paramref name=\"input\"/>; fails with <c>actor.duplicate_key</c> if it exists.</summary>");
            w.WriteLine("/// <param name=\"key\">The actor key.</param>");
            w.WriteLine("/// <param name=\"input\">The creation input.</param>");
            w.WriteLine("/// <param name=\"cancellationToken\">Cancels the creation.</param>");
            w.WriteLine($"public async {Task}<{qualifiedPrefix}{handle}> Create({ActorKey} key, {actor.InputTypeName} input, {CancellationToken} cancellationToken = default) =>");
            w.WriteLine($"    new {qualifiedPrefix}{handle}(await _client.CreateAsync{typeArgument}({name}, key, input, {typeInfo}, cancellationToken).ConfigureAwait(false));");
        }
        w.WriteLine();
        w.WriteLine("/// <summary>The actor with id <paramref name=\"actorId\"/>.</summary>");
        w.WriteLine("/// <param name=\"actorId\">The actor id.</param>");
        w.WriteLine($"public {qualifiedPrefix}{handle} GetForId(string actorId) => new {qualifiedPrefix}{handle}(_client.GetForId({name}, actorId));");
        w.CloseBlock();

        // client.Counter (C# 14 extension property).
        if (emitExtensions)
        {
            w.WriteLine();
            w.WriteLine($"/// <summary>Adds <c>client.{Xml(actor.ClassName)}</c> to <see cref=\"global::Rivet.RivetClient\"/>.</summary>");
            w.WriteLine(GeneratedCodeAttribute);
            w.OpenBlock($"{accessibility} static class {actor.ClassName}ClientExtensions");
            w.WriteLine("/// <summary>Typed access to actors from a client.</summary>");
            w.WriteLine("/// <param name=\"client\">The client.</param>");
            w.OpenBlock("extension(global::Rivet.RivetClient client)");
            w.WriteLine($"/// <summary>The <c>{Xml(actor.ActorName)}</c> actors (<see cref=\"{actorCref}\"/>).</summary>");
            w.WriteLine($"public {qualifiedPrefix}{accessor} {Names.Escape(actor.ClassName)} => new {qualifiedPrefix}{accessor}(client);");
            w.CloseBlock();
            w.CloseBlock();
        }
        if (hasNamespace)
        {
            w.CloseBlock();
        }
        return w.ToString();
    }

    private static void EmitAction(SourceWriter w, ActionModel action)
    {
        var wire = action.Parameters.Where(p => !p.IsCancellationToken).ToList();
        var tokenName = "cancellationToken";
        for (var i = 2; wire.Any(p => p.Name == tokenName); i++)
        {
            tokenName = "cancellationToken" + i;
        }
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
        w.WriteLine("var __args = global::Rivet.Runtime.ActionArguments.Start();");
        foreach (var parameter in wire)
        {
            var (typeArgument, typeInfo) = TypeInfo(parameter.Type!, parameter.TypeName);
            w.WriteLine($"__args.Add{typeArgument}({Names.Escape(parameter.Name)}, {typeInfo});");
        }
        if (action.ReturnsValue)
        {
            var (typeArgument, typeInfo) = TypeInfo(action.Result!, action.ResultTypeName!);
            w.WriteLine($"return Handle.InvokeAsync{typeArgument}({Literal(action.WireName)}, __args, {typeInfo}, {tokenName});");
        }
        else
        {
            w.WriteLine($"return Handle.InvokeAsync({Literal(action.WireName)}, __args, {tokenName});");
        }
        w.CloseBlock();
    }
}
