using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis.CSharp;
using Rivet.Generators.Helpers;

namespace Rivet.Generators.Serialization;

/// <summary>
/// Emits, inside an actor's generated definition, a JSON writer for its state type (<c>TryWriteState</c>), and one
/// writing the CBOR the state's record stores (<c>TryWriteStateCbor</c>, the bytes the JSON transcodes to): straight
/// calls to <c>Utf8JsonWriter</c> instead of System.Text.Json's metadata path, which the Rivet options' custom
/// converters keep off its own fast path. The state is serialized after every action (change detection, save), so
/// this is on the hot path of every call.
/// </summary>
/// <remarks>
/// The writer must produce exactly the bytes of the metadata path. It covers a deliberately small set of shapes —
/// objects (classes, structs, records) whose members are <c>bool</c>, <c>int</c>, <c>uint</c> and the smaller integers,
/// <c>string</c>, <c>Nullable&lt;&gt;</c> of those and of covered structs, <c>T[]</c>/<c>List&lt;T&gt;</c> of covered types and covered
/// objects, with no <c>[JsonPropertyOrder]</c> and no <c>[JsonIgnore]</c> condition (System.Text.Json gives even <c>Never</c> a predicate), in an acyclic graph — and
/// emits nothing for anything else. At run time it also checks, once, that the resolver's metadata is what it
/// assumes (member names and order, no custom converter, no serialize predicate, no polymorphism, no callbacks, no number handling), and
/// declines otherwise; it declines a value holding a <c>null</c> the type says cannot be null, so the metadata
/// path throws its error.
/// </remarks>
internal static class StateWriterEmitter
{
    private const string Json = "global::System.Text.Json.";
    private const string Metadata = "global::System.Text.Json.Serialization.Metadata.";
    private const string Services = "global::System.Text.Json.Serialization.Metadata.JsonMetadataServices.";
    private const string Cbor = "global::Rivet.Runtime.StateCborWriter";

    // JSON's nesting limit in System.Text.Json is 64; a covered graph nests no deeper than this.
    private const int MaxDepth = 32;

    private static readonly Dictionary<string, string> s_valueWriters = new(System.StringComparer.Ordinal)
    {
        [Services + "BooleanConverter"] = "WriteBooleanValue",
        [Services + "ByteConverter"] = "WriteNumberValue",
        [Services + "SByteConverter"] = "WriteNumberValue",
        [Services + "Int16Converter"] = "WriteNumberValue",
        [Services + "UInt16Converter"] = "WriteNumberValue",
        [Services + "Int32Converter"] = "WriteNumberValue",
        [Services + "UInt32Converter"] = "WriteNumberValue",
        [Services + "StringConverter"] = "WriteStringValue",
    };

    /// <summary>Writes the <c>TryWriteState</c> and <c>TryWriteStateCbor</c> overrides for <paramref name="state"/> into the definition class, when its shape is covered.</summary>
    public static void Emit(SourceWriter w, string actorType, SerializableType state)
    {
        var shapes = state.Graph.ToDictionary(s => s.FullyQualifiedName, System.StringComparer.Ordinal);
        if (!shapes.TryGetValue(state.FullyQualifiedName, out var root) || root.Kind != TypeShapeKind.Object
            || Depth(root, shapes, new HashSet<string>(System.StringComparer.Ordinal)) is not (> 0 and <= MaxDepth))
        {
            return;
        }
        var objects = new List<TypeShape>();
        Collect(root, shapes, objects);

        // One shape serves a generic type under every nullable annotation of its arguments (Box<string?>, Box<string>).
        w.WriteLine("#nullable disable warnings");
        w.WriteLine($"public override bool TryWriteState(global::Rivet.Actor actor, {Json}Utf8JsonWriter writer) =>");
        w.WriteLine($"    __RivetStateWriter.Enabled && __RivetStateWriter.Write_{root.PropertyName}(writer, (({actorType})actor).State);");
        w.WriteLine();
        w.WriteLine($"public override bool TryWriteStateCbor(global::Rivet.Actor actor, {Cbor} writer) =>");
        w.WriteLine($"    __RivetStateWriter.Enabled && __RivetStateWriter.Cbor_{root.PropertyName}(writer, (({actorType})actor).State);");
        w.WriteLine();
        w.WriteLine("/// <summary>The generated JSON and CBOR writers of the state (see <c>ActorDefinition.TryWriteState</c> and <c>TryWriteStateCbor</c>).</summary>");
        w.OpenBlock("private static class __RivetStateWriter");
        foreach (var o in objects)
        {
            var properties = o.Object!.Properties;
            for (var i = 0; i < properties.Count; i++)
            {
                w.WriteLine($"private static readonly {Json}JsonEncodedText s_{o.PropertyName}_{i.ToString(CultureInfo.InvariantCulture)} = {Json}JsonEncodedText.Encode({NameExpression(properties[i])});");
                w.WriteLine($"private static readonly byte[] k_{o.PropertyName}_{i.ToString(CultureInfo.InvariantCulture)} = {Cbor}.Key({NameExpression(properties[i])});");
            }
        }
        w.WriteLine();
        w.WriteLine("/// <summary>The resolver's metadata is what this writer assumes (checked once).</summary>");
        w.WriteLine("public static readonly bool Enabled = Verify();");
        w.WriteLine();
        w.OpenBlock("private static bool Verify()");
        w.OpenBlock("try");
        foreach (var o in objects)
        {
            w.OpenBlock($"if (!VerifyObject({JsonResolverEmitter.ClassName}.{o.PropertyName}, new string[] {{ {string.Join(", ", o.Object!.Properties.Select(NameExpression))} }}))");
            w.WriteLine("return false;");
            w.CloseBlock();
        }
        w.WriteLine("return true;");
        w.CloseBlock();
        w.OpenBlock("catch (global::System.Exception)");
        w.WriteLine("return false;");
        w.CloseBlock();
        w.CloseBlock();
        w.WriteLine();
        w.OpenBlock($"private static bool VerifyObject({Metadata}JsonTypeInfo info, string[] names)");
        w.OpenBlock($"if (info.Kind != {Metadata}JsonTypeInfoKind.Object || info.PolymorphismOptions is not null || info.OnSerializing is not null || info.OnSerialized is not null || info.NumberHandling is not (null or global::System.Text.Json.Serialization.JsonNumberHandling.Strict) || info.Properties.Count != names.Length)");
        w.WriteLine("return false;");
        w.CloseBlock();
        w.OpenBlock("for (var i = 0; i < names.Length; i++)");
        w.WriteLine("var p = info.Properties[i];");
        w.OpenBlock("if (p.Name != names[i] || p.CustomConverter is not null || p.ShouldSerialize is not null || p.NumberHandling is not (null or global::System.Text.Json.Serialization.JsonNumberHandling.Strict) || p.Get is null || p.IsExtensionData)");
        w.WriteLine("return false;");
        w.CloseBlock();
        w.CloseBlock();
        w.WriteLine("return true;");
        w.CloseBlock();
        foreach (var o in objects)
        {
            w.WriteLine();
            EmitObject(w, o, shapes);
            w.WriteLine();
            EmitCborObject(w, o, shapes);
        }
        w.CloseBlock();
        w.WriteLine("#nullable restore warnings");
        w.WriteLine();
    }

    private static void EmitObject(SourceWriter w, TypeShape o, Dictionary<string, TypeShape> shapes)
    {
        w.OpenBlock($"public static bool Write_{o.PropertyName}({Json}Utf8JsonWriter writer, {o.FullyQualifiedName} value)");
        if (!o.Object!.IsValueType)
        {
            w.OpenBlock("if (value is null)");
            w.WriteLine("return false;");
            w.CloseBlock();
        }
        w.WriteLine("writer.WriteStartObject();");
        var properties = o.Object.Properties;
        for (var i = 0; i < properties.Count; i++)
        {
            var p = properties[i];
            w.WriteLine($"writer.WritePropertyName(s_{o.PropertyName}_{i.ToString(CultureInfo.InvariantCulture)});");
            var local = "v" + i.ToString(CultureInfo.InvariantCulture);
            w.WriteLine($"var {local} = value.{Id(p.Name)};");
            // RespectNullableAnnotations: a null the member's annotation forbids is the metadata path's error.
            EmitValue(w, shapes, shapes[p.Type], local, allowNull: !p.IsReferenceType || p.IsGetNullable, depth: 0, cbor: false);
        }
        w.WriteLine("writer.WriteEndObject();");
        w.WriteLine("return true;");
        w.CloseBlock();
    }

    /// <summary>A value of <paramref name="shape"/> with its null checks, for the JSON writer or (<paramref name="cbor"/>) the CBOR one.</summary>
    private static void EmitValue(SourceWriter w, Dictionary<string, TypeShape> shapes, TypeShape shape, string value, bool allowNull, int depth, bool cbor)
    {
        var writeNull = cbor ? "writer.WriteNull();" : "writer.WriteNullValue();";
        switch (shape.Kind)
        {
            case TypeShapeKind.Primitive when shape.ConverterExpression == Services + "StringConverter":
            case TypeShapeKind.Object when !shape.Object!.IsValueType:
            case TypeShapeKind.Array:
            case TypeShapeKind.Collection:
                w.OpenBlock($"if ({value} is null)");
                w.WriteLine(allowNull ? writeNull : "return false;");
                w.CloseBlock();
                w.OpenBlock("else");
                NonNull(w, shapes, shape, value, depth, cbor);
                w.CloseBlock();
                break;
            case TypeShapeKind.Nullable:
                var underlying = value + "Value";
                w.OpenBlock($"if ({value} is {{ }} {underlying})");
                NonNull(w, shapes, shapes[shape.ElementType!], underlying, depth + 1, cbor);
                w.CloseBlock();
                w.OpenBlock("else");
                w.WriteLine(writeNull);
                w.CloseBlock();
                break;
            default:
                NonNull(w, shapes, shape, value, depth, cbor);
                break;
        }
    }

    private static void NonNull(SourceWriter w, Dictionary<string, TypeShape> shapes, TypeShape shape, string value, int depth, bool cbor)
    {
        if (cbor)
        {
            EmitCborNonNull(w, shapes, shape, value, depth);
        }
        else
        {
            EmitNonNull(w, shapes, shape, value, depth);
        }
    }

    private static void EmitNonNull(SourceWriter w, Dictionary<string, TypeShape> shapes, TypeShape shape, string value, int depth)
    {
        switch (shape.Kind)
        {
            case TypeShapeKind.Primitive:
                w.WriteLine($"writer.{s_valueWriters[shape.ConverterExpression!]}({value});");
                break;
            case TypeShapeKind.Object:
                w.OpenBlock($"if (!Write_{shape.PropertyName}(writer, {value}))");
                w.WriteLine("return false;");
                w.CloseBlock();
                break;
            default:
                var item = "e" + depth.ToString(CultureInfo.InvariantCulture);
                w.WriteLine("writer.WriteStartArray();");
                // foreach over a List<T> or T[] (the declared type): the order the collection converters write.
                w.OpenBlock($"foreach (var {item} in {value})");
                // Collection elements carry no nullable annotation System.Text.Json checks: null is written.
                EmitValue(w, shapes, shapes[shape.ElementType!], item, allowNull: true, depth + 1, cbor: false);
                w.CloseBlock();
                w.WriteLine("writer.WriteEndArray();");
                break;
        }
    }

    /// <summary>The nesting depth of values of <paramref name="shape"/>, or -1 when it is not covered (or recursive).</summary>
    private static int Depth(TypeShape shape, Dictionary<string, TypeShape> shapes, HashSet<string> path)
    {
        switch (shape.Kind)
        {
            case TypeShapeKind.Primitive:
                return s_valueWriters.ContainsKey(shape.ConverterExpression ?? "") ? 0 : -1;
            case TypeShapeKind.Nullable:
                // Nullable<T> of a covered struct or number: T's value or null.
                return shapes.TryGetValue(shape.ElementType!, out var u) && u.Kind is TypeShapeKind.Primitive or TypeShapeKind.Object ? Depth(u, shapes, path) : -1;
            case TypeShapeKind.Array:
            case TypeShapeKind.Collection when shape.CollectionFactory == "CreateListInfo" && shape.FullyQualifiedName.StartsWith("global::System.Collections.Generic.List<", System.StringComparison.Ordinal):
                return shapes.TryGetValue(shape.ElementType!, out var e) && Depth(e, shapes, path) is var d && d >= 0 ? d + 1 : -1;
            case TypeShapeKind.Object:
                var o = shape.Object!;
                if (!path.Add(shape.FullyQualifiedName))
                {
                    return -1;
                }
                var max = 0;
                foreach (var p in o.Properties)
                {
                    if (p.Order is not null || p.IgnoreCondition is not null
                        || !shapes.TryGetValue(p.Type, out var member) || Depth(member, shapes, path) is not (>= 0 and var m))
                    {
                        path.Remove(shape.FullyQualifiedName);
                        return -1;
                    }
                    max = System.Math.Max(max, m);
                }
                path.Remove(shape.FullyQualifiedName);
                return max + 1;
            default:
                return -1;
        }
    }

    /// <summary>The object shapes reachable from <paramref name="shape"/>, each once, in a stable order.</summary>
    private static void Collect(TypeShape shape, Dictionary<string, TypeShape> shapes, List<TypeShape> objects)
    {
        switch (shape.Kind)
        {
            case TypeShapeKind.Object:
                if (objects.Any(o => o.FullyQualifiedName == shape.FullyQualifiedName))
                {
                    return;
                }
                objects.Add(shape);
                foreach (var p in shape.Object!.Properties)
                {
                    Collect(shapes[p.Type], shapes, objects);
                }
                break;
            case TypeShapeKind.Array:
            case TypeShapeKind.Collection:
            case TypeShapeKind.Nullable:
                Collect(shapes[shape.ElementType!], shapes, objects);
                break;
        }
    }

    // The CBOR writer: the bytes CborJson.JsonToCbor makes of the JSON writer's output. Maps and arrays have definite
    // lengths, integers (all within ±2^32 here) are CBOR integers, text is the string's UTF-8 (U+FFFD for invalid
    // UTF-16, as the JSON writer escapes it); a string array that may be a RivetKit compat array is declined.
    private static void EmitCborObject(SourceWriter w, TypeShape o, Dictionary<string, TypeShape> shapes)
    {
        w.OpenBlock($"public static bool Cbor_{o.PropertyName}({Cbor} writer, {o.FullyQualifiedName} value)");
        if (!o.Object!.IsValueType)
        {
            w.OpenBlock("if (value is null)");
            w.WriteLine("return false;");
            w.CloseBlock();
        }
        var properties = o.Object.Properties;
        w.WriteLine($"writer.WriteMap({properties.Count.ToString(CultureInfo.InvariantCulture)});");
        for (var i = 0; i < properties.Count; i++)
        {
            var p = properties[i];
            w.WriteLine($"writer.WriteKey(k_{o.PropertyName}_{i.ToString(CultureInfo.InvariantCulture)});");
            var local = "v" + i.ToString(CultureInfo.InvariantCulture);
            w.WriteLine($"var {local} = value.{Id(p.Name)};");
            EmitValue(w, shapes, shapes[p.Type], local, allowNull: !p.IsReferenceType || p.IsGetNullable, depth: 0, cbor: true);
        }
        w.WriteLine("return true;");
        w.CloseBlock();
    }

    private static void EmitCborNonNull(SourceWriter w, Dictionary<string, TypeShape> shapes, TypeShape shape, string value, int depth)
    {
        switch (shape.Kind)
        {
            case TypeShapeKind.Primitive:
                var method = s_valueWriters[shape.ConverterExpression!] switch
                {
                    "WriteBooleanValue" => "WriteBoolean",
                    "WriteStringValue" => "WriteText",
                    _ => "WriteInteger",
                };
                w.WriteLine($"writer.{method}({value});");
                break;
            case TypeShapeKind.Object:
                w.OpenBlock($"if (!Cbor_{shape.PropertyName}(writer, {value}))");
                w.WriteLine("return false;");
                w.CloseBlock();
                break;
            default:
                var element = shapes[shape.ElementType!];
                var count = shape.Kind == TypeShapeKind.Array ? "Length" : "Count";
                if (element.Kind == TypeShapeKind.Primitive && element.ConverterExpression == Services + "StringConverter")
                {
                    w.OpenBlock($"if ({value}.{count} > 0 && {Cbor}.MayBeCompat({value}[0]))");
                    w.WriteLine("return false;");
                    w.CloseBlock();
                }
                w.WriteLine($"writer.WriteArray({value}.{count});");
                var item = "e" + depth.ToString(CultureInfo.InvariantCulture);
                w.OpenBlock($"foreach (var {item} in {value})");
                EmitValue(w, shapes, element, item, allowNull: true, depth + 1, cbor: true);
                w.CloseBlock();
                break;
        }
    }

    // The member's JSON name as the metadata path computes it: [JsonPropertyName], else the camelCase policy.
    private static string NameExpression(PropertyShape p) =>
        p.JsonName is not null
            ? SymbolDisplay.FormatLiteral(p.JsonName, quote: true)
            : $"{Json}JsonNamingPolicy.CamelCase.ConvertName({SymbolDisplay.FormatLiteral(p.Name, quote: true)})";

    private static string Id(string name) => SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;
}
