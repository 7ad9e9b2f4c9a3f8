using System;
using System.Buffers;
using System.Numerics;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Rivet.Codecs.Bare;
using Rivet.Codecs.Cbor;

namespace Rivet.Sdk.Tests.Codecs;

/// <summary>Round trips over values generated from a fixed seed (reproducible; the seed is in the failure message).</summary>
public sealed class RoundTripPropertyTests
{
    private const int Iterations = 2000;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Bare_primitives_round_trip_and_varints_have_the_shortest_length(int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < Iterations; i++)
        {
            var bits = random.Next(0, 65);
            var unsigned = bits == 0 ? 0UL : (ulong)random.NextInt64() << 1 ^ (ulong)random.Next(2);
            unsigned = bits == 64 ? unsigned | (1UL << 63) : bits == 0 ? 0 : unsigned & ((1UL << bits) - 1);
            var signed = random.NextInt64(long.MinValue, long.MaxValue) >> random.Next(0, 64);
            var text = RandomString(random, random.Next(0, 40));
            var data = new byte[random.Next(0, 300)];
            random.NextBytes(data);
            var fixedData = new byte[4];
            random.NextBytes(fixedData);
            var present = random.Next(2) == 0;

            var buffer = new ArrayBufferWriter<byte>();
            var writer = new BareWriter(buffer);
            writer.WriteUInt(unsigned);
            var uintLength = (int)writer.BytesWritten;
            writer.WriteInt(signed);
            writer.WriteString(text);
            writer.WriteData(data);
            writer.WriteFixedData(fixedData, 4);
            writer.WriteOptional(present);
            writer.WriteU64(unsigned);
            writer.WriteI64(signed);
            writer.WriteI32((int)signed);
            writer.WriteU16((ushort)unsigned);

            var expectedLength = unsigned == 0 ? 1 : (64 - BitOperations.LeadingZeroCount(unsigned) + 6) / 7;
            Assert.True(expectedLength == uintLength, $"seed {seed} iteration {i}: {unsigned} took {uintLength} bytes");

            var reader = new BareReader(buffer.WrittenSpan);
            Assert.Equal(unsigned, reader.ReadUInt());
            Assert.Equal(signed, reader.ReadInt());
            Assert.Equal(text, reader.ReadString());
            Assert.Equal(data, reader.ReadData().ToArray());
            Assert.Equal(fixedData, reader.ReadFixedData(4).ToArray());
            Assert.Equal(present, reader.ReadOptional());
            Assert.Equal(unsigned, reader.ReadU64());
            Assert.Equal(signed, reader.ReadI64());
            Assert.Equal((int)signed, reader.ReadI32());
            Assert.Equal((ushort)unsigned, reader.ReadU16());
            reader.EnsureEnd();
        }
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public void Json_compat_values_survive_cbor_and_canonical_cbor_survives_json(int seed)
    {
        var random = new Random(seed);
        var options = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        for (var i = 0; i < Iterations / 4; i++)
        {
            var buffer = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer, options))
            {
                WriteRandomValue(random, writer, depth: 0);
            }
            var json = buffer.WrittenSpan.ToArray();

            var cbor = CborJson.JsonToCbor(json);
            var jsonBack = CborJson.CborToJson(cbor);
            Assert.True(json.AsSpan().SequenceEqual(jsonBack), $"seed {seed} iteration {i}:\n{System.Text.Encoding.UTF8.GetString(json)}\n{System.Text.Encoding.UTF8.GetString(jsonBack)}");
            Assert.Equal(cbor, CborJson.JsonToCbor(jsonBack));
        }
    }

    [Theory]
    [InlineData(21)]
    [InlineData(22)]
    public void Random_bytes_never_escape_as_anything_but_a_CborJsonException(int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < Iterations * 5; i++)
        {
            var bytes = new byte[random.Next(0, 24)];
            random.NextBytes(bytes);
            try
            {
                var json = CborJson.CborToJson(bytes);
                // Whatever decoded must be valid JSON and transcode back.
                CborJson.JsonToCbor(json);
            }
            catch (CborJsonException)
            {
            }
        }
    }

    private static void WriteRandomValue(Random random, Utf8JsonWriter writer, int depth)
    {
        var choice = random.Next(depth >= 4 ? 8 : 12);
        switch (choice)
        {
            case 0:
                writer.WriteNumberValue(random.NextInt64(-4294967296L, 4294967296L));
                break;
            case 1:
                double value;
                do
                {
                    value = (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-8, 7));
                }
                while (Math.Floor(value) == value);
                writer.WriteNumberValue(value);
                break;
            case 2:
                writer.WriteStringValue(RandomString(random, random.Next(0, 12)));
                break;
            case 3:
                writer.WriteBooleanValue(random.Next(2) == 0);
                break;
            case 4:
                writer.WriteNullValue();
                break;
            case 5:
                var big = new BigInteger(random.NextInt64()) * new BigInteger(random.NextInt64()) >> random.Next(0, 120);
                writer.WriteStartArray();
                writer.WriteStringValue("$BigInt");
                writer.WriteStringValue(big.ToString(System.Globalization.CultureInfo.InvariantCulture));
                writer.WriteEndArray();
                break;
            case 6:
                var bytes = new byte[random.Next(0, 20)];
                random.NextBytes(bytes);
                writer.WriteStartArray();
                writer.WriteStringValue("$Uint8Array");
                writer.WriteBase64StringValue(bytes);
                writer.WriteEndArray();
                break;
            case 7:
                writer.WriteStartArray();
                writer.WriteStringValue("$Undefined");
                writer.WriteNumberValue(0);
                writer.WriteEndArray();
                break;
            case 8:
            case 9:
                writer.WriteStartArray();
                if (random.Next(3) == 0)
                {
                    writer.WriteStringValue(random.Next(2) == 0 ? "$Set" : "$$escaped");
                }
                for (var n = random.Next(0, 4); n > 0; n--)
                {
                    WriteRandomValue(random, writer, depth + 1);
                }
                writer.WriteEndArray();
                break;
            default:
                writer.WriteStartObject();
                for (var n = random.Next(0, 4); n > 0; n--)
                {
                    writer.WritePropertyName(RandomString(random, random.Next(0, 6)));
                    WriteRandomValue(random, writer, depth + 1);
                }
                writer.WriteEndObject();
                break;
        }
    }

    private static string RandomString(Random random, int length)
    {
        var builder = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            switch (random.Next(5))
            {
                case 0:
                    builder.Append((char)random.Next(0x20, 0x7f));
                    break;
                case 1:
                    builder.Append((char)random.Next(0, 0x20));
                    break;
                case 2:
                    builder.Append((char)random.Next(0xa0, 0xd7ff));
                    break;
                case 3:
                    builder.Append(char.ConvertFromUtf32(random.Next(0x10000, 0x10ffff)));
                    break;
                default:
                    builder.Append("\"\\$é<>&'"[random.Next(8)]);
                    break;
            }
        }
        return builder.ToString();
    }
}
