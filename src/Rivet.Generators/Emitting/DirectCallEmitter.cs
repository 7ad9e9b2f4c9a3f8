using System.Collections.Generic;
using System.Linq;
using Rivet.Generators.Helpers;
using Rivet.Generators.Model;
using Rivet.Generators.Parsing;
using Rivet.Generators.Serialization;
using static Rivet.Generators.Emitting.EmitHelpers;

namespace Rivet.Generators.Emitting;

/// <summary>
/// Direct calls from a typed handle (<c>Rivet.Runtime.DirectAction</c>): an action whose wire arguments and result are
/// immutable values gets a static <c>DirectAction</c> in its handle, so a call on the embedded host hands the values to
/// the actor's method without JSON. Mutable types (objects, collections, arrays) keep the JSON copy, which is what
/// isolates the caller's objects from the actor's; so do enums (JSON refuses undefined values), floating point (JSON
/// refuses NaN and infinities) and actors that override <c>OnBeforeActionResponse</c> (the hook rewrites JSON).
/// </summary>
internal static class DirectCallEmitter
{
    private const string Services = "global::System.Text.Json.Serialization.Metadata.JsonMetadataServices.";
    private const string Rivet = "global::Rivet.Runtime.RivetJsonConverters.";

    /// <summary>Converters of the values that are immutable and come out of a JSON round trip equal to what went in.</summary>
    private static readonly HashSet<string> s_immutable = new(System.StringComparer.Ordinal)
    {
        Services + "BooleanConverter", Services + "ByteConverter", Services + "SByteConverter", Services + "Int16Converter",
        Services + "UInt16Converter", Services + "Int32Converter", Services + "UInt32Converter", Services + "DecimalConverter",
        Services + "CharConverter", Services + "StringConverter", Services + "GuidConverter", Services + "DateTimeConverter",
        Services + "DateTimeOffsetConverter", Services + "DateOnlyConverter", Services + "TimeOnlyConverter", Services + "TimeSpanConverter",
        Rivet + "Int64", Rivet + "UInt64", Rivet + "Int128", Rivet + "UInt128",
    };

    /// <summary>Whether <paramref name="action"/> of <paramref name="actor"/> is called directly in process.</summary>
    public static bool Applies(ActorModel actor, ActionModel action) =>
        !actor.RewritesActionResponse
        && action.Parameters.All(p => p.IsCancellationToken || IsImmutable(p.Type!))
        && (action.Result is null || IsImmutable(action.Result));

    private static bool IsImmutable(SerializableType type) =>
        Underlying(type) is { Kind: TypeShapeKind.Primitive, ConverterExpression: { } converter } && s_immutable.Contains(converter);

    /// <summary>The shape of <paramref name="type"/>, or of <c>T</c> for <c>Nullable&lt;T&gt;</c>.</summary>
    private static TypeShape? Underlying(SerializableType type)
    {
        var shape = type.Graph.FirstOrDefault(s => s.FullyQualifiedName == type.FullyQualifiedName);
        return shape?.Kind == TypeShapeKind.Nullable ? type.Graph.FirstOrDefault(s => s.FullyQualifiedName == shape.ElementType) : shape;
    }

    /// <summary>The name of the static field holding the action's <c>DirectAction</c>.</summary>
    public static string FieldName(int actionIndex) => "__direct" + actionIndex.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Writes the static <c>DirectAction</c> field of <paramref name="action"/>.</summary>
    public static void EmitField(SourceWriter w, ActorModel actor, ActionModel action, int actionIndex)
    {
        var wire = action.Parameters.Where(p => !p.IsCancellationToken).ToList();
        var resultType = action.ResultTypeName ?? "global::System.ValueTuple";
        var type = $"global::Rivet.Runtime.DirectAction<{ArgumentsType(wire)}, {resultType}>";
        var arguments = new List<string>();
        var wireIndex = 0;
        foreach (var parameter in action.Parameters)
        {
            arguments.Add(parameter.IsCancellationToken ? "__token" : Element(wire.Count, ++wireIndex));
        }
        var call = $"(({actor.FullyQualifiedName})__actor).{action.MethodName}({string.Join(", ", arguments)})";
        var run = action.ReturnKind switch
        {
            ReturnKind.Void => $"{{ {call}; return default; }}",
            ReturnKind.Task or ReturnKind.ValueTask => $"global::Rivet.Runtime.DirectAction.Void({call})",
            _ => $"global::Rivet.Runtime.DirectAction.Of{(action.ResultTypeName == action.Result!.FullyQualifiedName ? "" : "<" + action.ResultTypeName + ">")}({call})",
        };
        var encode = new List<string>();
        wireIndex = 0;
        foreach (var parameter in wire)
        {
            var (typeArgument, typeInfo) = TypeInfo(parameter.Type!, parameter.TypeName);
            encode.Add($"__list.Add{typeArgument}({Element(wire.Count, ++wireIndex)}, {typeInfo});");
        }
        w.WriteLine($"private static readonly {type} {FieldName(actionIndex)} = new {type}(");
        w.Indentation++;
        w.WriteLine($"typeof({actor.FullyQualifiedName}),");
        w.WriteLine($"static (__actor, __args, __token) => {run},");
        w.WriteLine(encode.Count == 0 ? "static (__list, __args) => { });" : $"static (__list, __args) => {{ {string.Join(" ", encode)} }});");
        w.Indentation--;
    }

    /// <summary>Writes the call of <paramref name="action"/> through its field; <paramref name="tokenName"/> is the method's token.</summary>
    public static void EmitCall(SourceWriter w, ActionModel action, int actionIndex, string tokenName, string argsLocal)
    {
        var wire = action.Parameters.Where(p => !p.IsCancellationToken).ToList();
        var handle = wire.Any(p => p.Name == "Handle") || tokenName == "Handle" ? "this.Handle" : "Handle";
        var notNullable = wire.Where(p => !p.AllowNull && Underlying(p.Type!)?.ConverterExpression == Services + "StringConverter").Select(p => $"global::Rivet.Runtime.DirectAction.IsNull({Names.Escape(p.Name)})").ToList();
        if (notNullable.Count > 0)
        {
            // A null string the parameter does not accept (strings are the only reference type here): the encoded call,
        // whose dispatch refuses it as before.
            w.OpenBlock($"if ({string.Join(" || ", notNullable)})");
            w.WriteLine("return " + ClientEmitter.WriteCall(w, action.WireName, wire, action.Result, action.ResultTypeName, tokenName, argsLocal) + ";");
            w.CloseBlock();
        }
        var values = wire.Count switch
        {
            0 => "default(global::System.ValueTuple)",
            1 => Names.Escape(wire[0].Name),
            _ => "(" + string.Join(", ", wire.Select(p => Names.Escape(p.Name))) + ")",
        };
        // Type arguments spelled out: inferred ones would follow the arguments' nullable flow state, not the field's type.
        var (typeArguments, resultInfo) = action.Result is null
            ? ($"<{ArgumentsType(wire)}>", "")
            : ($"<{ArgumentsType(wire)}, {action.ResultTypeName}>", ", " + TypeInfo(action.Result, action.ResultTypeName!).TypeInfo);
        w.WriteLine($"return {handle}.InvokeDirectAsync{typeArguments}({Literal(action.WireName)}, {values}, {FieldName(actionIndex)}{resultInfo}, {tokenName});");
    }

    private static string ArgumentsType(IReadOnlyList<ParameterModel> wire) => wire.Count switch
    {
        0 => "global::System.ValueTuple",
        1 => wire[0].TypeName,
        _ => "(" + string.Join(", ", wire.Select(p => p.TypeName)) + ")",
    };

    private static string Element(int count, int position) =>
        count == 1 ? "__args" : "__args.Item" + position.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
