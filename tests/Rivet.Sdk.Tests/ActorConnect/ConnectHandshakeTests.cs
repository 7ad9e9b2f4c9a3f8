using System.Collections.Generic;
using System.Text;
using Rivet.Hosting.ActorConnect;
using Rivet.Protocol.Client;

namespace Rivet.Sdk.Tests.ActorConnect;

/// <summary>What <see cref="ConnectHandshake"/> reads from a <c>/connect</c> upgrade request, as RivetKit's clients send it.</summary>
public sealed class ConnectHandshakeTests
{
    [Theory]
    [InlineData("/connect", true)]
    [InlineData("/connect?rvt-x=1&a=b", true)]
    [InlineData("/connect/", true)]
    [InlineData("/connections", false)]
    [InlineData("/websocket/connect", false)]
    [InlineData("/", false)]
    public void Only_the_connect_path_is_a_connection(string path, bool expected) =>
        Assert.Equal(expected, ConnectHandshake.IsConnectPath(path));

    [Fact]
    public void Encoding_and_parameters_come_from_the_subprotocols()
    {
        // As the TS client sends them (gateway header names are lower-case).
        var (encoding, parameters) = ConnectHandshake.Parse(new Dictionary<string, string>
        {
            ["sec-websocket-protocol"] = "rivet, rivet_encoding.bare, rivet_conn_params.%7B%22name%22%3A%22h%C3%A9%22%7D",
            ["x-rivet-encoding"] = "json",
        });
        Assert.Equal(ClientEncodingKind.Bare, encoding);
        Assert.Equal("""{"name":"hé"}""", Encoding.UTF8.GetString(parameters));
    }

    [Fact]
    public void Without_subprotocols_the_rivet_headers_are_read_and_json_is_the_default()
    {
        var (encoding, parameters) = ConnectHandshake.Parse(new Dictionary<string, string>
        {
            ["X-Rivet-Encoding"] = "cbor",
            ["x-rivet-conn-params"] = """{"a":1}""",
        });
        Assert.Equal(ClientEncodingKind.Cbor, encoding);
        Assert.Equal("""{"a":1}""", Encoding.UTF8.GetString(parameters));

        var (defaultEncoding, none) = ConnectHandshake.Parse(new Dictionary<string, string> { ["sec-websocket-protocol"] = "rivet" });
        Assert.Equal(ClientEncodingKind.Json, defaultEncoding);
        Assert.Empty(none);
    }

    [Fact]
    public void An_unknown_encoding_is_an_invalid_request_naming_it()
    {
        var error = Assert.Throws<RivetException>(() => ConnectHandshake.Parse(new Dictionary<string, string> { ["sec-websocket-protocol"] = "rivet,rivet_encoding.msgpack" }));
        Assert.Equal("actor.invalid_request", error.Id);
        Assert.Contains("msgpack", error.Message, System.StringComparison.Ordinal);
    }
}
