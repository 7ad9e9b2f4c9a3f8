using System;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Codecs.Cbor;
using Rivet.Protocol.Client;
using Rivet.Runtime;
using Rivet.Sdk.Tests.Connections;

namespace Rivet.Sdk.Tests.Hostile;

/// <summary>
/// Action bodies and /connect messages are read strictly in every encoding: one JSON value, valid UTF-8 (property
/// names too), no protocol member twice, and enum arguments within the enum unless it is [Flags]. Each refusal is an
/// <c>actor.invalid_request</c> naming the problem.
/// </summary>
public sealed class StrictParsingTests
{
    private static ActorDefinition Of<T>() where T : IGeneratedActor => T.Definition;

    private static RivetException Refused(ClientEncodingKind kind, byte[] body) =>
        Assert.Throws<RivetException>(() => ClientEncoding.DecodeActionArguments(kind, body));

    [Fact]
    public void Trailing_bytes_after_the_json_object_are_refused()
    {
        var error = Refused(ClientEncodingKind.Json, "{\"args\":[1]} {\"args\":[2]}"u8.ToArray());
        Assert.Equal("actor.invalid_request", error.Id);
        Assert.Contains("after a single JSON value", error.Message, StringComparison.Ordinal);
        Assert.Contains("invalid", Refused(ClientEncodingKind.Json, "{\"args\":[1]}garbage"u8.ToArray()).Message, StringComparison.OrdinalIgnoreCase);
        // Whitespace after the value is still fine.
        Assert.Equal("[1]", Encoding.UTF8.GetString(ClientEncoding.DecodeActionArguments(ClientEncodingKind.Json, "{\"args\":[1]} \n"u8.ToArray())));
    }

    [Fact]
    public void Invalid_utf8_anywhere_in_a_json_body_is_refused_with_its_offset()
    {
        byte[] body = [.. "{\"a"u8, 0xFF, .. "\":1,\"args\":[1]}"u8];
        var error = Refused(ClientEncodingKind.Json, body);
        Assert.Equal("actor.invalid_request", error.Id);
        Assert.Contains("not valid UTF-8 (first bad byte at offset 3)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_second_args_member_is_refused_in_json_cbor_and_the_connect_messages()
    {
        var json = "{\"args\":[1],\"args\":[99]}"u8.ToArray();
        Assert.Contains("more than one \"args\" member", Refused(ClientEncodingKind.Json, json).Message, StringComparison.Ordinal);

        // CBOR {"args":[1],"args":[99]}: the transcoder keeps both keys, the reader refuses the second.
        byte[] cbor = [0xA2, 0x64, .. "args"u8, 0x81, 0x01, 0x64, .. "args"u8, 0x81, 0x18, 0x63];
        Assert.Contains("more than one \"args\" member", Refused(ClientEncodingKind.Cbor, cbor).Message, StringComparison.Ordinal);

        var frame = "{\"body\":{\"tag\":\"ActionRequest\",\"val\":{\"id\":1,\"name\":\"increment\",\"args\":[1],\"args\":[99]}}}"u8.ToArray();
        var connect = Assert.Throws<RivetException>(() => ConnectCodec.DecodeToServer(ClientEncodingKind.Json, frame));
        Assert.Equal("actor.invalid_request", connect.Id);
        Assert.Contains("args", connect.Message, StringComparison.Ordinal);
        Assert.Throws<RivetException>(() => ConnectCodec.DecodeToServer(ClientEncodingKind.Cbor, CborJson.JsonToCbor(
            "{\"body\":{\"tag\":\"ActionRequest\",\"val\":{\"id\":1,\"name\":\"a\",\"name\":\"b\",\"args\":[]}}}"u8)));
    }

    [Fact]
    public void Connect_messages_refuse_invalid_utf8_and_trailing_bytes()
    {
        byte[] badName = [.. "{\"body\":{\"tag\":\"SubscriptionRequest\",\"val\":{\"eventName\":\"x"u8, 0xC3, .. "\",\"subscribe\":true}}}"u8];
        Assert.Contains("not valid UTF-8", Assert.Throws<RivetException>(() => ConnectCodec.DecodeToServer(ClientEncodingKind.Json, badName)).Message, StringComparison.Ordinal);
        var trailing = "{\"body\":{\"tag\":\"SubscriptionRequest\",\"val\":{\"eventName\":\"x\",\"subscribe\":true}}}{}"u8.ToArray();
        Assert.Equal("actor.invalid_request", Assert.Throws<RivetException>(() => ConnectCodec.DecodeToServer(ClientEncodingKind.Json, trailing)).Id);
    }

    [Fact]
    public void What_rivetkit_clients_send_is_still_accepted_in_every_encoding()
    {
        foreach (var kind in new[] { ClientEncodingKind.Json, ClientEncodingKind.Cbor, ClientEncodingKind.Bare })
        {
            var body = ClientEncoding.EncodeActionArguments(kind, "[1,\"two\",{\"three\":3}]"u8);
            Assert.Equal("[1,\"two\",{\"three\":3}]", Encoding.UTF8.GetString(ClientEncoding.DecodeActionArguments(kind, body)));
        }
    }

    [Theory]
    [InlineData("pick", "[3]", "3 is not a defined value of the enum Shade")]
    [InlineData("pick", "[-1]", "-1 is not a defined value of the enum Shade")]
    [InlineData("apply", "[{\"shade\":99}]", "99 is not a defined value of the enum Shade")]
    [InlineData("apply", "[{\"shade\":\"Red\",\"layers\":{\"5\":1}}]", "5 is not a defined value of the enum Shade")]
    [InlineData("apply", "[{\"shade\":\"Red\",\"shade\":\"Blue\"}]", "Duplicate")]
    public async Task Enum_arguments_outside_the_enum_and_duplicate_members_are_refused(string action, string args, string expected)
    {
        await using var host = new ConnectionTestHost();
        var actor = await host.StartAsync(Of<StrictEnums>());
        var error = await Assert.ThrowsAsync<RivetException>(() => actor.InvokeAsync(action, Encoding.UTF8.GetBytes(args), CancellationToken.None));
        Assert.Equal("actor.invalid_request", error.Id);
        Assert.Contains(expected, error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("pick", "[2]", "\"Blue\"")]
    [InlineData("pick", "[\"green\"]", "\"Green\"")]
    [InlineData("apply", "[{\"shade\":\"Red\",\"layers\":{\"Blue\":1}}]", "\"Red:1\"")]
    [InlineData("grant", "[3]", "3")]
    [InlineData("grant", "[\"Read, Write\"]", "3")]
    public async Task Defined_enum_values_and_flag_combinations_are_accepted(string action, string args, string expected)
    {
        await using var host = new ConnectionTestHost();
        var actor = await host.StartAsync(Of<StrictEnums>());
        Assert.Equal(expected, Encoding.UTF8.GetString(await actor.InvokeAsync(action, Encoding.UTF8.GetBytes(args), CancellationToken.None)));
    }

    [Fact]
    public async Task An_action_returning_an_undefined_enum_value_fails_instead_of_sending_it()
    {
        await using var host = new ConnectionTestHost();
        var actor = await host.StartAsync(Of<StrictEnums>());
        var error = await Assert.ThrowsAsync<RivetException>(() => actor.InvokeAsync("invent", "[]"u8.ToArray(), CancellationToken.None));
        Assert.Equal("actor.internal_error", error.Id);
    }

    // Found by fuzzing (tests/Rivet.Fuzz/regressions): a lone surrogate escaped in a JSON string or property name
    // made the error reader and the JSON→CBOR transcoder throw InvalidOperationException instead of refusing.
    [Fact]
    public void An_escaped_lone_surrogate_is_refused_not_thrown()
    {
        var error = "{\"act\\ud800or\":{\"actorId\":\"a\",\"generation\":1,\"key\":\"k\"},\"code\":\"code\",\"group\":\"user\",\"message\":\"message\"}"u8.ToArray();
        Assert.Null(ClientEncoding.TryDecodeError(ClientEncodingKind.Json, error));
        Assert.Throws<CborJsonException>(() => CborJson.JsonToCbor("[\"$ArrayB\\ud800uffer\",\"AA\"]"u8));
    }
}
