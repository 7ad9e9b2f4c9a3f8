using System;
using System.Buffers;
using System.Linq;
using Rivet.Codecs.Bare;

namespace Rivet.Sdk.Tests.Codecs;

public sealed class BareReaderTests
{
    private delegate void ReadAction(ref BareReader reader);

    private static readonly (string Name, ReadAction Read)[] s_reads =
    [
        ("uint", (ref BareReader r) => r.ReadUInt()),
        ("int", (ref BareReader r) => r.ReadInt()),
        ("bool", (ref BareReader r) => r.ReadBool()),
        ("optional", (ref BareReader r) => r.ReadOptional()),
        ("u16", (ref BareReader r) => r.ReadU16()),
        ("u32", (ref BareReader r) => r.ReadU32()),
        ("u64", (ref BareReader r) => r.ReadU64()),
        ("i64", (ref BareReader r) => r.ReadI64()),
        ("str", (ref BareReader r) => r.ReadString()),
        ("data", (ref BareReader r) => r.ReadData()),
        ("data[4]", (ref BareReader r) => r.ReadFixedData(4)),
        ("list", (ref BareReader r) => r.ReadListCount()),
        ("map", (ref BareReader r) => r.ReadMapCount()),
        ("version", (ref BareReader r) => r.ReadVersion()),
    ];

    [Theory]
    [InlineData("uint", "", "truncated")]
    [InlineData("uint", "80", "truncated")]
    [InlineData("uint", "8000", "not canonical")]
    [InlineData("uint", "ff00", "not canonical")]
    [InlineData("uint", "ffffffffffffffffff02", "overflows")]
    [InlineData("uint", "ffffffffffffffffff80", "overflows")]
    [InlineData("uint", "ffffffffffffffffff00", "not canonical")]
    [InlineData("int", "8080", "truncated")]
    [InlineData("bool", "02", "0x00 or 0x01")]
    [InlineData("bool", "ff", "0x00 or 0x01")]
    [InlineData("optional", "02", "0x00 or 0x01")]
    [InlineData("u16", "01", "truncated")]
    [InlineData("u32", "010203", "truncated")]
    [InlineData("u64", "01020304050607", "truncated")]
    [InlineData("i64", "", "truncated")]
    [InlineData("str", "0561", "exceeds")]
    [InlineData("str", "02c328", "UTF-8")]
    [InlineData("str", "03eda080", "UTF-8")]
    [InlineData("str", "01ff", "UTF-8")]
    [InlineData("data", "ffffffffffffffffff01", "exceeds")]
    [InlineData("data[4]", "010203", "truncated")]
    [InlineData("list", "0500", "exceeds")]
    [InlineData("map", "020000", "exceeds")]
    [InlineData("version", "04", "version prefix")]
    public void Malformed_input_throws_a_BareFormatException_with_the_offset(string read, string hex, string reason)
    {
        var bytes = Convert.FromHexString("aa" + hex);
        var action = s_reads.Single(r => r.Name == read).Read;
        var e = Assert.Throws<BareFormatException>(() =>
        {
            var reader = new BareReader(bytes);
            reader.ReadU8();
            action(ref reader);
        });
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
        Assert.Equal(1, e.Offset);
        Assert.Contains("offset 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_largest_uint_and_int_decode()
    {
        var reader = new BareReader(Convert.FromHexString("ffffffffffffffffff01feffffffffffffffff01ffffffffffffffffff01"));
        Assert.Equal(ulong.MaxValue, reader.ReadUInt());
        Assert.Equal(long.MaxValue, reader.ReadInt());
        Assert.Equal(long.MinValue, reader.ReadInt());
        reader.EnsureEnd();
    }

    [Fact]
    public void Trailing_bytes_after_a_top_level_message_are_rejected()
    {
        var e = Assert.Throws<BareFormatException>(() => BareReader.Decode(Convert.FromHexString("0102"), (ref BareReader r) => r.ReadU8()));
        Assert.Equal(1, e.Offset);
        Assert.Contains("trailing", e.Message, StringComparison.Ordinal);
        Assert.Equal((byte)1, BareReader.Decode(Convert.FromHexString("01"), (ref BareReader r) => r.ReadU8()));
    }

    [Fact]
    public void Versions_outside_the_supported_range_are_rejected()
    {
        var e = Assert.Throws<BareFormatException>(() =>
            BareReader.Decode(Convert.FromHexString("0500"), (ref BareReader r) => r.ReadVersion(4, 4, "client-protocol")));
        Assert.Contains("client-protocol version 5 is not supported (supported: 4)", e.Message, StringComparison.Ordinal);
        Assert.Equal((ushort)8, BareReader.Decode(Convert.FromHexString("0800"), (ref BareReader r) => r.ReadVersion(8, 8, "envoy")));
    }

    [Fact]
    public void A_multi_segment_sequence_decodes_like_one_span()
    {
        var first = new Segment(Convert.FromHexString("0400"));
        var last = first.Append(Convert.FromHexString("0268"));
        last = last.Append(Convert.FromHexString("69"));
        var sequence = new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
        Assert.False(sequence.IsSingleSegment);
        var text = BareReader.Decode(sequence, (ref BareReader r) =>
        {
            r.ReadVersion(4, 4, "test");
            return r.ReadString();
        });
        Assert.Equal("hi", text);
    }

    [Fact]
    public void Writer_rejects_fixed_data_of_the_wrong_length_and_invalid_utf8()
    {
        var buffer = new ArrayBufferWriter<byte>();
        Assert.Throws<ArgumentException>(() => new BareWriter(buffer).WriteFixedData([1, 2, 3], 4));
        Assert.Throws<ArgumentException>(() => new BareWriter(buffer).WriteStringUtf8([0xc3, 0x28]));
        Assert.Equal(0, buffer.WrittenCount);
    }

    [Fact]
    public void Unions_enums_and_counts_write_as_uint()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new BareWriter(buffer);
        writer.WriteVersion(BareVersions.ClientProtocol);
        writer.WriteUnionTag(3);
        writer.WriteEnum(200);
        writer.WriteListCount(1);
        writer.WriteMapCount(0);
        writer.WriteI8(-1);
        writer.WriteI16(-2);
        writer.WriteI32(-3);
        writer.WriteF32(1.5f);
        writer.WriteF64(-2.25);
        writer.WriteStringUtf8("é"u8);
        Assert.Equal("040003c8010100fffefffdffffff0000c03f00000000000002c002c3a9", Convert.ToHexString(buffer.WrittenSpan).ToLowerInvariant());

        var reader = new BareReader(buffer.WrittenSpan);
        Assert.Equal(4, reader.ReadVersion());
        Assert.Equal(3u, reader.ReadUnionTag());
        Assert.Equal(200u, reader.ReadEnum());
        Assert.Equal(1, reader.ReadListCount());
        Assert.Equal(0, reader.ReadMapCount());
        Assert.Equal(-1, reader.ReadI8());
        Assert.Equal(-2, reader.ReadI16());
        Assert.Equal(-3, reader.ReadI32());
        Assert.Equal(1.5f, reader.ReadF32());
        Assert.Equal(-2.25, reader.ReadF64());
        Assert.Equal("é", reader.ReadString());
        Assert.True(reader.IsAtEnd);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
