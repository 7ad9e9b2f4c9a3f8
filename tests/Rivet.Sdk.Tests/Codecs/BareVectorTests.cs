using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using Rivet.Codecs.Bare;

namespace Rivet.Sdk.Tests.Codecs;

public sealed class BareVectorTests
{
    private delegate void Write(ref BareWriter writer);

    private delegate object? Read(ref BareReader reader);

    /// <summary>Every BARE primitive vector of both files, as (file, name).</summary>
    public static TheoryData<string, string> PrimitiveVectors()
    {
        var data = new TheoryData<string, string>();
        foreach (var v in ProtocolVectors.Main.GetProperty("primitives").EnumerateArray())
        {
            data.Add(ProtocolVectors.MainFile, v.GetProperty("name").GetString()!);
        }
        foreach (var v in ProtocolVectors.Hx7.Where(v => v.GetProperty("schema").GetString()!.StartsWith("BARE ", StringComparison.Ordinal)))
        {
            data.Add(ProtocolVectors.Hx7File, v.GetProperty("name").GetString()!);
        }
        return data;
    }

    [Fact]
    public void Both_vector_files_contribute_primitive_vectors()
    {
        var vectors = PrimitiveVectors().Select(row => (string)row[0]).ToList();
        Assert.Equal(21, vectors.Count(f => f == ProtocolVectors.MainFile));
        Assert.Equal(23, vectors.Count(f => f == ProtocolVectors.Hx7File));
    }

    [Theory]
    [MemberData(nameof(PrimitiveVectors))]
    public void Primitive_vectors_encode_and_decode_byte_exactly(string file, string name)
    {
        var vector = Find(file, name);
        var expected = ProtocolVectors.Hex(vector.GetProperty("hex").GetString()!);
        var value = vector.GetProperty("value");
        var kind = name.Split(' ')[0];

        Write write;
        Read read;
        object? expectedValue;
        switch (kind)
        {
            case "uint":
                write = (ref BareWriter w) => w.WriteUInt(UInt64(value));
                read = (ref BareReader r) => r.ReadUInt();
                expectedValue = UInt64(value);
                break;
            case "int":
                write = (ref BareWriter w) => w.WriteInt(Int64(value));
                read = (ref BareReader r) => r.ReadInt();
                expectedValue = Int64(value);
                break;
            case "u16":
                write = (ref BareWriter w) => w.WriteU16((ushort)UInt64(value));
                read = (ref BareReader r) => r.ReadU16();
                expectedValue = (ushort)UInt64(value);
                break;
            case "u32":
                write = (ref BareWriter w) => w.WriteU32((uint)UInt64(value));
                read = (ref BareReader r) => r.ReadU32();
                expectedValue = (uint)UInt64(value);
                break;
            case "u64":
                write = (ref BareWriter w) => w.WriteU64(UInt64(value));
                read = (ref BareReader r) => r.ReadU64();
                expectedValue = UInt64(value);
                break;
            case "i64":
                write = (ref BareWriter w) => w.WriteI64(Int64(value));
                read = (ref BareReader r) => r.ReadI64();
                expectedValue = Int64(value);
                break;
            case "bool":
                write = (ref BareWriter w) => w.WriteBool(value.GetBoolean());
                read = (ref BareReader r) => r.ReadBool();
                expectedValue = value.GetBoolean();
                break;
            case "str":
                write = (ref BareWriter w) => w.WriteString(value.GetString());
                read = (ref BareReader r) => r.ReadString();
                expectedValue = value.GetString();
                break;
            case "data":
                write = (ref BareWriter w) => w.WriteData(Bytes(value));
                read = (ref BareReader r) => Convert.ToHexString(r.ReadData());
                expectedValue = Convert.ToHexString(Bytes(value));
                break;
            case "data[4]":
                write = (ref BareWriter w) => w.WriteFixedData(Bytes(value), 4);
                read = (ref BareReader r) => Convert.ToHexString(r.ReadFixedData(4));
                expectedValue = Convert.ToHexString(Bytes(value));
                break;
            case "optional<str>":
                write = (ref BareWriter w) =>
                {
                    w.WriteOptional(value.ValueKind != JsonValueKind.Null);
                    if (value.ValueKind != JsonValueKind.Null)
                    {
                        w.WriteString(value.GetString());
                    }
                };
                read = (ref BareReader r) => r.ReadOptional() ? r.ReadString() : null;
                expectedValue = value.ValueKind == JsonValueKind.Null ? null : value.GetString();
                break;
            default:
                throw new InvalidOperationException($"Vector '{name}' has a primitive kind '{kind}' this test does not know.");
        }

        var buffer = new ArrayBufferWriter<byte>();
        var writer = new BareWriter(buffer);
        write(ref writer);
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(buffer.WrittenSpan));
        Assert.Equal(expected.Length, writer.BytesWritten);

        var reader = new BareReader(expected);
        Assert.Equal(expectedValue, read(ref reader));
        reader.EnsureEnd();
    }

    private static JsonElement Find(string file, string name) => file == ProtocolVectors.MainFile
        ? ProtocolVectors.Main.GetProperty("primitives").EnumerateArray().Single(v => v.GetProperty("name").GetString() == name)
        : ProtocolVectors.Hx7Named(name);

    internal static ulong UInt64(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetUInt64(),
        JsonValueKind.String => ulong.Parse(value.GetString()!, CultureInfo.InvariantCulture),
        _ => ulong.Parse(BigIntText(value), CultureInfo.InvariantCulture),
    };

    internal static long Int64(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetInt64(),
        JsonValueKind.String => long.Parse(value.GetString()!, CultureInfo.InvariantCulture),
        _ => long.Parse(BigIntText(value), CultureInfo.InvariantCulture),
    };

    internal static byte[] Bytes(JsonElement value) => value.ValueKind == JsonValueKind.String
        ? Convert.FromHexString(value.GetString()!)
        : Convert.FromHexString((value.TryGetProperty("hex", out var h) ? h : value.GetProperty("$hex")).GetString()!);

    private static string BigIntText(JsonElement value) =>
        (value.TryGetProperty("bigint", out var b) ? b : value.GetProperty("$bigint")).GetString()!;
}
