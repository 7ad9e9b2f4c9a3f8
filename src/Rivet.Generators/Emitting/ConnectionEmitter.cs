using System;
using System.Collections.Generic;
using System.Linq;
using Rivet.Generators.Helpers;
using Rivet.Generators.Model;
using Rivet.Generators.Parsing;
using static Rivet.Generators.Emitting.EmitHelpers;

namespace Rivet.Generators.Emitting;

/// <summary>
/// Writes the typed connection (<c>CounterConnection</c>) into the client file of an actor or actor-client interface:
/// the handle's action methods over the connection's socket, plus <c>OnNewCount</c>/<c>NewCountEvents</c> per event,
/// whose payload (the event's arguments as a JSON array) is decoded with <c>ActionArgumentReader</c>.
/// </summary>
internal static class ConnectionEmitter
{
    private const string ActorConnection = "global::Rivet.Client.ActorConnection";
    private const string Status = "global::Rivet.Client.ActorConnectionStatus";
    private const string Payload = "global::System.ReadOnlyMemory<byte>";

    /// <summary>Names the connection class itself uses: actions with these names are left to the handle.</summary>
    private static readonly string[] s_ownMembers =
    {
        "Connection", "Status", "StatusChanged", "Error", "DisposeAsync", "ToString", "Equals", "GetHashCode", "GetType", "MemberwiseClone", "Finalize",
    };

    /// <summary>
    /// Every member name of the connection class that is not an action (so an action method of that name is skipped):
    /// its own members, and per event <c>On{E}</c>, <c>{E}Events</c>, <c>{E}Event</c> and the private reader.
    /// </summary>
    public static HashSet<string> ReservedNames(string name, EquatableArray<EventModel> events)
    {
        var names = new HashSet<string>(s_ownMembers, StringComparer.Ordinal) { name + "Connection" };
        foreach (var e in events)
        {
            if (!e.OnConnection)
            {
                continue;
            }
            var raw = Raw(e);
            names.Add("On" + raw);
            names.Add(raw + "Events");
            names.Add(raw + "Event");
            names.Add("__Read" + raw);
        }
        return names;
    }

    /// <summary>The handle's <c>Connect</c> method (with the connection parameters when the actor declares them).</summary>
    public static void EmitConnect(SourceWriter w, ClientShape shape, string qualifiedPrefix)
    {
        var connection = qualifiedPrefix + shape.Name + "Connection";
        w.WriteLine();
        w.WriteLine($"/// <summary>Opens a realtime connection to the actor (creating it first for a get-or-create handle): actions over one socket, and its events.</summary>");
        if (shape.Connection?.Params is { } parameters)
        {
            var (typeArgument, typeInfo) = TypeInfo(parameters, shape.Connection.ParamsTypeName!);
            w.WriteLine("/// <param name=\"parameters\">The connection parameters the actor checks before accepting the connection.</param>");
            w.WriteLine("/// <param name=\"cancellationToken\">Cancels opening the connection.</param>");
            w.WriteLine("/// <returns>The open connection; dispose it to close it.</returns>");
            w.WriteLine($"public async {ClientEmitter.Task}<{connection}> Connect({shape.Connection.ParamsTypeName} parameters, {ClientEmitter.CancellationToken} cancellationToken = default) =>");
            w.WriteLine($"    new {connection}(await Handle.ConnectAsync{typeArgument}(parameters, {typeInfo}, cancellationToken).ConfigureAwait(false));");
            return;
        }
        w.WriteLine("/// <param name=\"cancellationToken\">Cancels opening the connection.</param>");
        w.WriteLine("/// <returns>The open connection; dispose it to close it.</returns>");
        w.WriteLine($"public async {ClientEmitter.Task}<{connection}> Connect({ClientEmitter.CancellationToken} cancellationToken = default) =>");
        w.WriteLine($"    new {connection}(await Handle.ConnectAsync(default, cancellationToken).ConfigureAwait(false));");
    }

    /// <summary>Writes the connection class; <paramref name="writeMethods"/> writes its action methods (receiver <c>Connection</c>).</summary>
    public static void Emit(SourceWriter w, ClientShape shape, string accessibility, Action<SourceWriter, string, HashSet<string>?> writeMethods)
    {
        var type = shape.Name + "Connection";
        var actor = Xml(shape.ActorName);
        w.WriteLine($"/// <summary>A realtime connection to one <c>{actor}</c> actor (<see cref=\"{Xml(shape.Cref)}\"/>): its actions over one socket, and the events it sends.</summary>");
        w.WriteLine("/// <remarks>Get one from the handle's <c>Connect</c>; dispose it to close the connection.</remarks>");
        w.WriteLine(GeneratedCodeAttribute);
        w.OpenBlock($"{accessibility} sealed class {type} : global::System.IAsyncDisposable");
        w.WriteLine($"/// <summary>Wraps an untyped connection to a <c>{actor}</c> actor.</summary>");
        w.WriteLine("/// <param name=\"connection\">The untyped connection.</param>");
        w.WriteLine($"public {type}({ActorConnection} connection) => Connection = connection ?? throw new global::System.ArgumentNullException(nameof(connection));");
        w.WriteLine();
        w.WriteLine("/// <summary>The untyped connection, for raw calls and events.</summary>");
        w.WriteLine($"public {ActorConnection} Connection {{ get; }}");
        w.WriteLine();
        w.WriteLine("/// <summary>The connection's status.</summary>");
        w.WriteLine($"public {Status} Status => Connection.Status;");
        w.WriteLine();
        w.WriteLine("/// <summary>Raised, off the caller's thread, whenever <see cref=\"Status\"/> changes.</summary>");
        w.OpenBlock($"public event global::System.Action<{Status}>? StatusChanged");
        w.WriteLine("add => Connection.StatusChanged += value;");
        w.WriteLine("remove => Connection.StatusChanged -= value;");
        w.CloseBlock();
        w.WriteLine();
        w.WriteLine("/// <summary>Raised with connection-level errors the actor sends (for example a rejected connection).</summary>");
        w.OpenBlock("public event global::System.Action<global::Rivet.RivetException>? Error");
        w.WriteLine("add => Connection.Error += value;");
        w.WriteLine("remove => Connection.Error -= value;");
        w.CloseBlock();
        writeMethods(w, "Connection", ReservedNames(shape.Name, shape.Events));
        foreach (var e in shape.Events)
        {
            if (e.OnConnection)
            {
                EmitEvent(w, shape, e);
            }
        }
        w.WriteLine();
        w.WriteLine("/// <summary>Closes the connection (the actor's <c>OnDisconnectAsync</c> runs) and fails calls still waiting.</summary>");
        w.WriteLine("/// <returns>Completes when the connection is closed.</returns>");
        w.WriteLine("public global::System.Threading.Tasks.ValueTask DisposeAsync() => Connection.DisposeAsync();");
        w.CloseBlock();
    }

    private static void EmitEvent(SourceWriter w, ClientShape shape, EventModel e)
    {
        var raw = Raw(e);
        var wire = Literal(e.WireName);
        var count = e.Parameters.Count;
        // One argument arrives as itself, several as a record, none as a unit-like record.
        var recordName = raw + "Event";
        var payloadType = count == 1 ? e.Parameters[0].TypeName : recordName;
        var handlerType = count == 0 ? "global::System.Action" : $"global::System.Action<{payloadType}>";
        var description = count switch
        {
            0 => "",
            1 => $" with its <c>{Xml(e.Parameters[0].Name)}</c> argument",
            _ => $" with its arguments as a <see cref=\"{recordName}\"/>",
        };

        if (count != 1)
        {
            w.WriteLine();
            w.WriteLine($"/// <summary>A <c>{Xml(e.WireName)}</c> event{(count == 0 ? " (it carries no arguments)" : "")}.</summary>");
            if (count == 0)
            {
                w.WriteLine($"public sealed record {recordName};");
            }
            else
            {
                var properties = RecordProperties(e, recordName);
                for (var i = 0; i < count; i++)
                {
                    w.WriteLine($"/// <param name=\"{properties[i]}\">The <c>{Xml(e.Parameters[i].Name)}</c> argument.</param>");
                }
                w.WriteLine($"public sealed record {recordName}({string.Join(", ", e.Parameters.Select((p, i) => p.TypeName + " " + properties[i]))});");
            }
        }

        w.WriteLine();
        w.WriteLine($"/// <summary>Calls <paramref name=\"handler\"/>{description} for every <c>{Xml(e.WireName)}</c> event the actor sends from now on.</summary>");
        w.WriteLine("/// <param name=\"handler\">Receives the events, off the caller's thread.</param>");
        w.WriteLine("/// <returns>The subscription: dispose it to stop receiving the event.</returns>");
        w.OpenBlock($"public global::System.IDisposable On{raw}({handlerType} handler)");
        w.WriteLine("if (handler is null)");
        w.WriteLine("{");
        w.WriteLine("    throw new global::System.ArgumentNullException(nameof(handler));");
        w.WriteLine("}");
        w.WriteLine(count == 0
            ? $"return Connection.Subscribe({wire}, _ => handler());"
            : $"return Connection.Subscribe({wire}, payload => handler(__Read{raw}(payload)));");
        w.CloseBlock();

        w.WriteLine();
        w.WriteLine($"/// <summary>Every <c>{Xml(e.WireName)}</c> event the actor sends from now on, as a stream; the subscription lasts while it is enumerated.</summary>");
        w.WriteLine("/// <param name=\"cancellationToken\">Ends the stream.</param>");
        w.WriteLine($"/// <returns>The events{(count == 1 ? $"' <c>{Xml(e.Parameters[0].Name)}</c> arguments" : "")}; the stream ends when the connection closes.</returns>");
        w.OpenBlock($"public async global::System.Collections.Generic.IAsyncEnumerable<{payloadType}> {raw}Events([global::System.Runtime.CompilerServices.EnumeratorCancellation] {ClientEmitter.CancellationToken} cancellationToken = default)");
        w.OpenBlock($"await foreach (var payload in global::System.Threading.Tasks.TaskAsyncEnumerableExtensions.ConfigureAwait(Connection.Events({wire}, cancellationToken), false))");
        w.WriteLine(count == 0 ? $"yield return new {recordName}();" : $"yield return __Read{raw}(payload);");
        w.CloseBlock();
        w.CloseBlock();

        if (count > 0)
        {
            // Extra trailing arguments are ignored: an actor may add some without breaking older clients.
            w.WriteLine();
            w.OpenBlock($"private static {payloadType} __Read{raw}({Payload} payload)");
            w.WriteLine($"var __args = new global::Rivet.Runtime.ActionArgumentReader(payload.Span, {Literal(shape.ActorName)}, {wire}, isEvent: true);");
            for (var i = 0; i < count; i++)
            {
                var p = e.Parameters[i];
                var (typeArgument, typeInfo) = TypeInfo(p.Type!, p.TypeName);
                var allowNull = p.AllowNull ? "true" : "false";
                var name = Literal(p.Name);
                w.WriteLine(p.IsOptional
                    ? $"{p.TypeName} __p{i} = __args.Next() ? __args.Read{typeArgument}({name}, {typeInfo}, allowNull: {allowNull}) : {p.DefaultValue};"
                    : $"{p.TypeName} __p{i} = __args.ReadRequired{typeArgument}({name}, {typeInfo}, allowNull: {allowNull});");
            }
            w.WriteLine(count == 1 ? "return __p0;" : $"return new {recordName}({string.Join(", ", Enumerable.Range(0, count).Select(i => "__p" + i))});");
            w.CloseBlock();
        }
    }

    /// <summary>PascalCase property names for the event record; a name the record cannot use gets its position appended.</summary>
    private static string[] RecordProperties(EventModel e, string recordName)
    {
        var taken = new HashSet<string>(StringComparer.Ordinal) { recordName, "EqualityContract", "Equals", "GetHashCode", "ToString", "Deconstruct", "PrintMembers", "GetType", "Clone", "MemberwiseClone", "Finalize" };
        var names = new string[e.Parameters.Count];
        for (var i = 0; i < names.Length; i++)
        {
            var name = e.Parameters[i].Name;
            var pascal = char.ToUpperInvariant(name[0]) + name.Substring(1);
            if (!taken.Add(pascal))
            {
                pascal += (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
                taken.Add(pascal);
            }
            names[i] = Names.Escape(pascal);
        }
        return names;
    }

    /// <summary>The event's method name without a keyword escape, to compose names from.</summary>
    public static string Raw(EventModel e) => e.MethodName.TrimStart('@');
}
