using System;
using System.Buffers;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Rivet.Codecs.Bare;

namespace Rivet.Sdk.Tests.Protocol;

/// <summary>
/// Every type generated from the envoy v8 and client v4 schemas, filled with sample values (one element per list,
/// every optional present), encodes, decodes and encodes again to the same bytes.
/// </summary>
public sealed class EveryMessageRoundTripTests
{
    private static readonly Assembly Sdk = typeof(RivetClient).Assembly;

    public static TheoryData<string> MessageTypes()
    {
        var data = new TheoryData<string>();
        foreach (var type in Sdk.GetTypes().Where(IsGeneratedMessage).OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            data.Add(type.FullName!);
        }
        return data;
    }

    [Fact]
    public void Every_struct_void_and_list_type_of_both_schemas_is_covered()
    {
        var expected = new[] { ("Envoy", "envoy-v8.bare"), ("Client", "client-v4.bare") }
            .SelectMany(s => Rivet.Tools.BareGen.SchemaParser.Parse(System.IO.File.ReadAllText(
                System.IO.Path.Combine(Rivet.Sdk.Tests.Infrastructure.RepoPaths.Root, "src", "Rivet.Sdk", "Protocol", s.Item1, s.Item2))))
            .Count(d => d is Rivet.Tools.BareGen.StructDecl or Rivet.Tools.BareGen.VoidDecl
                || d is Rivet.Tools.BareGen.AliasDecl { Target: Rivet.Tools.BareGen.ListRef or Rivet.Tools.BareGen.MapRef });
        Assert.Equal(expected, Sdk.GetTypes().Count(IsGeneratedMessage));
    }

    [Theory]
    [MemberData(nameof(MessageTypes))]
    public void A_sample_of_every_message_type_round_trips(string typeName)
    {
        var type = Sdk.GetType(typeName)!;
        var value = Sample(type, depth: 0);
        var first = Encode(type, value);
        var decoded = Decode(type, first);
        Assert.Equal(Convert.ToHexString(first), Convert.ToHexString(Encode(type, decoded)));
    }

    private static bool IsGeneratedMessage(Type type) =>
        type.IsClass && !type.IsAbstract && type.Namespace is "Rivet.Protocol.Envoy" or "Rivet.Protocol.Client"
        && type.GetMethod("Read", BindingFlags.Public | BindingFlags.Static) is not null
        && type.GetMethod("Write", BindingFlags.Public | BindingFlags.Instance) is not null;

    private delegate void WriteMethod(ref BareWriter writer);

    private static byte[] Encode(Type type, object value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new BareWriter(buffer);
        var write = (WriteMethod)Delegate.CreateDelegate(typeof(WriteMethod), value, type.GetMethod("Write")!);
        write(ref writer);
        return buffer.WrittenSpan.ToArray();
    }

    private static object Decode(Type type, byte[] bytes)
    {
        var read = type.GetMethod("Read", BindingFlags.Public | BindingFlags.Static)!;
        var readerType = typeof(BareReadFunc<>).MakeGenericType(type);
        var func = Delegate.CreateDelegate(readerType, read);
        // ReadOnlySpan cannot be boxed: go through a small typed helper instead.
        return typeof(EveryMessageRoundTripTests).GetMethod(nameof(DecodeTyped), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(type).Invoke(null, [bytes, func])!;
    }

    private static T DecodeTyped<T>(byte[] bytes, BareReadFunc<T> read) => BareReader.Decode(bytes, read);

    private static object Sample(Type type, int depth, string? propertyName = null, Type? owner = null)
    {
        if (type == typeof(string))
        {
            return "s" + depth;
        }
        if (type == typeof(byte[]))
        {
            // Fixed-size data: gateway/request ids are data[4], a SQLite float is data[8].
            return propertyName switch
            {
                "GatewayId" or "RequestId" => new byte[] { 1, 2, 3, 4 },
                "Value" when owner?.Name == "SqliteValueFloat" => new byte[] { 0, 0, 0, 0, 0, 0, 0xF0, 0x3F },
                _ => new byte[] { 9, 8, 7 },
            };
        }
        if (type == typeof(bool))
        {
            return true;
        }
        if (type.IsEnum)
        {
            return Enum.GetValues(type).GetValue(Enum.GetValues(type).Length - 1)!;
        }
        if (type.IsPrimitive)
        {
            return Convert.ChangeType(7, type, System.Globalization.CultureInfo.InvariantCulture);
        }
        if (Nullable.GetUnderlyingType(type) is { } inner)
        {
            return Sample(inner, depth, propertyName, owner);
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
        {
            var element = type.GetGenericArguments()[0];
            var array = Array.CreateInstance(element, depth > 3 ? 0 : 1);
            if (array.Length == 1)
            {
                array.SetValue(Sample(element, depth + 1, propertyName, owner), 0);
            }
            return array;
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>))
        {
            var args = type.GetGenericArguments();
            var dictionary = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(args))!;
            dictionary.Add(Sample(args[0], depth + 1), Sample(args[1], depth + 1));
            return dictionary;
        }
        if (type.IsInterface)
        {
            // A union: pick its last member that implements it.
            var member = Sdk.GetTypes().Where(t => t.IsClass && type.IsAssignableFrom(t)).OrderBy(t => t.Name, StringComparer.Ordinal).Last();
            return Sample(member, depth + 1);
        }
        if (type.GetField("Instance", BindingFlags.Public | BindingFlags.Static) is { } singleton)
        {
            return singleton.GetValue(null)!;
        }
        var instance = Activator.CreateInstance(type)!;
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            property.SetValue(instance, Sample(property.PropertyType, depth + 1, property.Name, type));
        }
        return instance;
    }
}
