using System;
using Rivet.Runtime.Connections;
using Xunit;

namespace Rivet.Sdk.Tests.Connections;

/// <summary>The compact index record a state save writes for a hibernatable connection, and how a restore reads it.</summary>
public sealed class AckIndexRecordTests
{
    private static HibernationTicket Ticket(ushort client, ushort server) =>
        new() { GatewayId = [1], RequestId = [2], ClientMessageIndex = client, ServerMessageIndex = server };

    [Fact]
    public void A_restore_takes_the_later_index_of_the_record_and_the_compact_record_across_the_wrap()
    {
        var ticket = Ticket(client: 5, server: 9);
        Assert.True(AckIndexRecord.TryApply(AckIndexRecord.Encode(Ticket(client: 7, server: 8)), ticket));
        Assert.Equal((7, 9), (ticket.ClientMessageIndex, ticket.ServerMessageIndex)); // client ahead, server behind

        var wrapped = Ticket(client: ushort.MaxValue, server: 65_530);
        Assert.True(AckIndexRecord.TryApply(AckIndexRecord.Encode(Ticket(client: 2, server: 1)), wrapped));
        Assert.Equal((2, 1), (wrapped.ClientMessageIndex, wrapped.ServerMessageIndex)); // 65535 → 2 is forward
    }

    [Fact]
    public void A_value_that_is_not_a_compact_index_record_changes_nothing()
    {
        var ticket = Ticket(client: 5, server: 9);
        Assert.False(AckIndexRecord.TryApply([1, 0, 2], ticket));
        Assert.Equal((5, 9), (ticket.ClientMessageIndex, ticket.ServerMessageIndex));
    }

    [Fact]
    public void The_sdks_own_kv_prefixes_do_not_overlap()
    {
        byte[][] prefixes = [Rivet.Storage.Persistence.KvKeys.Idempotency.ToArray(), Rivet.Storage.Persistence.KvKeys.AckIndexPrefix.ToArray(), Rivet.Runtime.Queues.QueueStorage.Prefix];
        for (var i = 0; i < prefixes.Length; i++)
        {
            for (var j = 0; j < prefixes.Length; j++)
            {
                Assert.True(i == j || !prefixes[i].AsSpan().StartsWith(prefixes[j]), $"{Convert.ToHexString(prefixes[i])} starts with {Convert.ToHexString(prefixes[j])}");
            }
        }
    }
}
