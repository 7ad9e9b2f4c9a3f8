using System;
using Rivet.Codecs.Bare;
using Rivet.Sdk.Tests.Codecs;
using Rivet.Storage.Persistence;

namespace Rivet.Sdk.Tests.Persistence;

public sealed class PersistedActorCodecTests
{
    private const string VectorName = "actor-persist Actor v4 (legacy KV key [1])";

    // input [1], initialized, state {}, one event "e1" at 1795362892009 calling "tick" with args []
    private const string WithScheduleHex = "0400" + "01028101" + "01" + "01a0" + "01" + "026531" + "e9a8f703a2010000" + "047469636b" + "010180";

    [Fact]
    public void The_rivetkit_vector_decodes_and_encodes_byte_exactly()
    {
        var vector = ProtocolVectors.Hx7Named(VectorName);
        var bytes = ProtocolVectors.Hex(vector.GetProperty("hex").GetString()!);

        var actor = PersistedActorCodec.Decode(bytes);

        Assert.Null(actor.Input);
        Assert.True(actor.HasInitialized);
        Assert.Equal("a165636f756e7405", Convert.ToHexString(actor.State).ToLowerInvariant());
        Assert.Empty(actor.ScheduledEvents);
        Assert.Equal(bytes, PersistedActorCodec.Encode(actor));
    }

    [Fact]
    public void A_record_with_input_and_a_scheduled_event_has_the_hand_checked_bytes()
    {
        var actor = new PersistedActor
        {
            Input = [0x81, 0x01],
            HasInitialized = true,
            State = [0xa0],
            ScheduledEvents = { new PersistedScheduleEvent { EventId = "e1", Timestamp = 1795362892009, Action = "tick", Args = [0x80] } },
        };

        var bytes = PersistedActorCodec.Encode(actor);

        Assert.Equal(WithScheduleHex, Convert.ToHexString(bytes).ToLowerInvariant());
        var back = PersistedActorCodec.Decode(bytes);
        Assert.Equal(actor.Input, back.Input);
        Assert.Equal(actor.State, back.State);
        var scheduled = Assert.Single(back.ScheduledEvents);
        Assert.Equal(("e1", 1795362892009L, "tick"), (scheduled.EventId, scheduled.Timestamp, scheduled.Action));
        Assert.Equal([0x80], scheduled.Args);
    }

    [Fact]
    public void Version_3_records_decode_like_version_4()
    {
        var actor = PersistedActorCodec.Decode(Convert.FromHexString("0300" + WithScheduleHex[4..]));
        Assert.Equal("tick", Assert.Single(actor.ScheduledEvents).Action);
    }

    [Fact]
    public void Version_2_records_drop_connections_and_sockets_and_flatten_events()
    {
        var hex = "0200" + "00" + "01" + "01a0"
            + "01" + "0163" + "0174" + "01f6" + "01f6" + "01" + "0178" + "0000000000000000" + "010401020304"
            + "01" + "026531" + "e9a8f703a2010000" + "00" + "047469636b" + "00"
            + "01" + "0401020304" + "0000000000000000" + "0500000000000000";
        var actor = PersistedActorCodec.Decode(Convert.FromHexString(hex));
        Assert.Null(actor.Input);
        var scheduled = Assert.Single(actor.ScheduledEvents);
        Assert.Equal(("e1", 1795362892009L, "tick"), (scheduled.EventId, scheduled.Timestamp, scheduled.Action));
        Assert.Null(scheduled.Args);
    }

    [Fact]
    public void Version_1_records_decode()
    {
        var hex = "0100" + "0101f6" + "00" + "01a0"
            + "01" + "0163" + "0174" + "01f6" + "01f6" + "00" + "0000000000000000"
            + "00";
        var actor = PersistedActorCodec.Decode(Convert.FromHexString(hex));
        Assert.Equal([0xf6], actor.Input);
        Assert.False(actor.HasInitialized);
        Assert.Empty(actor.ScheduledEvents);
    }

    [Theory]
    [InlineData("0500" + "000101a000", "actor-persist version 5 is not supported (supported: 1 to 4)")]
    [InlineData("0000" + "000101a000", "actor-persist version 0 is not supported")]
    [InlineData("04", "version prefix")]
    [InlineData("", "version prefix")]
    [InlineData("0400000108a165636f756e7405", "truncated")]
    [InlineData("0400000108a165636f756e74", "exceeds")]
    [InlineData("0400000108a165636f756e74050000", "trailing")]
    [InlineData("0400000208a165636f756e7405", "0x00 or 0x01")]
    [InlineData("0200000101a00001000000000000000000050474696b00", "unknown PersistedScheduleEventKind tag 5")]
    public void Malformed_records_throw_a_clear_BareFormatException(string hex, string reason)
    {
        var e = Assert.Throws<BareFormatException>(() => PersistedActorCodec.Decode(Convert.FromHexString(hex)));
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Kv_keys_follow_rivetkits_key_map()
    {
        Assert.Equal([1], KvKeys.PersistedActor.ToArray());
        Assert.Equal([2], KvKeys.ConnectionPrefix.ToArray());
        Assert.Equal([3], KvKeys.InspectorToken.ToArray());
        Assert.Equal([4], KvKeys.UserKvPrefix.ToArray());
        Assert.Equal([5, 1, 1], KvKeys.QueueMetadata.ToArray());
        Assert.Equal([6], KvKeys.LastPushedAlarm.ToArray());
        Assert.Equal([6, 1], KvKeys.WorkflowPrefix.ToArray());
        Assert.Equal([7, 1], KvKeys.TracesPrefix.ToArray());
        Assert.Equal([2, (byte)'c', (byte)'1'], KvKeys.Connection("c1"));
        Assert.Equal([4, 9, 8], KvKeys.User([9, 8]));
        Assert.Equal([9, 8], KvKeys.StripUserPrefix([4, 9, 8]).ToArray());
        Assert.Throws<ArgumentException>(() => KvKeys.StripUserPrefix([2, 9]).ToArray());
        Assert.Equal([5, 1, 2, 0, 0, 0, 0, 0, 0, 1, 2], KvKeys.QueueMessage(0x102));
    }
}
