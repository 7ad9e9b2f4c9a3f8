using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Client.Engine;

namespace Rivet.Sdk.Tests.EngineClient;

/// <summary>The engine transport's options and failure modes, without an engine.</summary>
public sealed class EngineActorTransportTests
{
    [Fact]
    public async Task An_unreachable_engine_fails_with_a_message_naming_the_actor_the_action_and_the_endpoint()
    {
        var port = FreePort();
        await using var client = RivetClient.Create(new RivetClientOptions { Endpoint = new Uri($"http://127.0.0.1:{port}") });

        var error = await Assert.ThrowsAnyAsync<RivetException>(() => client.GetOrCreate("counter", "room-1").InvokeRawAsync("increment", Encoding.UTF8.GetBytes("[1]")));

        Assert.Equal("engine.unreachable", error.Id);
        Assert.Contains("'increment'", error.Message, StringComparison.Ordinal);
        Assert.Contains("counter[room-1]", error.Message, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);

        // Resolution through the REST API (an input too big for the URL) says the same.
        var big = Encoding.UTF8.GetBytes("\"" + new string('x', EngineActorTransport.MaxQueryInputSize) + "\"");
        var rest = await Assert.ThrowsAnyAsync<RivetException>(() => client.Transport.InvokeAsync(ActorQuery.GetOrCreate("counter", ["a", "b"], big), "increment", Encoding.UTF8.GetBytes("[1]"), default));
        Assert.Equal("engine.unreachable", rest.Id);
        Assert.Contains("'increment'", rest.Message, StringComparison.Ordinal);
        Assert.Contains("counter[a, b]", rest.Message, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{port}", rest.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_engine_that_does_not_answer_times_out_with_a_message_naming_the_actor_the_action_and_the_endpoint()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var accepted = new List<Socket>();
        var accepting = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    accepted.Add(await silent.AcceptSocketAsync());
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }
        });
        await using var client = RivetClient.Create(new RivetClientOptions
        {
            Endpoint = new Uri($"http://127.0.0.1:{port}"),
            RequestTimeout = TimeSpan.FromMilliseconds(300),
        });

        var error = await Assert.ThrowsAsync<TimeoutException>(() => client.GetForId("counter", "abc").InvokeRawAsync("getCount", Encoding.UTF8.GetBytes("[]")));

        Assert.Contains("'getCount'", error.Message, StringComparison.Ordinal);
        Assert.Contains("counter#abc", error.Message, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);

        // The caller's own cancellation stays a cancellation.
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.Transport.InvokeAsync(ActorQuery.ForId("counter", "abc"), "getCount", Encoding.UTF8.GetBytes("[]"), cancel.Token));

        silent.Stop();
        await accepting;
        foreach (var socket in accepted)
        {
            socket.Dispose();
        }
    }

    [Fact]
    public void Options_come_from_rivetkits_environment_variables()
    {
        var variables = new Dictionary<string, string>
        {
            ["RIVET_ENDPOINT"] = "http://10.0.0.5:7000",
            ["RIVET_TOKEN"] = "secret",
            ["RIVET_NAMESPACE"] = "ns1",
            ["RIVET_RUNNER"] = "pool-a",
            ["RIVET_POOL"] = "ignored",
        };
        var options = RivetClientOptions.FromEnvironment(name => variables.GetValueOrDefault(name));
        Assert.Equal(new Uri("http://10.0.0.5:7000"), options.Endpoint);
        Assert.Equal("secret", options.Token);
        Assert.Equal("ns1", options.Namespace);
        Assert.Equal("pool-a", options.PoolName);

        var defaults = RivetClientOptions.FromEnvironment(name => name == "RIVET_POOL" ? "pool-b" : null);
        Assert.Equal(RivetClientOptions.DefaultEndpoint, defaults.Endpoint);
        Assert.Null(defaults.Token);
        Assert.Equal("default", defaults.Namespace);
        Assert.Equal("pool-b", defaults.PoolName);
        Assert.Equal("default", RivetClientOptions.FromEnvironment(_ => " ").PoolName);

        Assert.Throws<FormatException>(() => RivetClientOptions.FromEnvironment(name => name == "RIVET_ENDPOINT" ? "not a url" : null));
    }

    [Fact]
    public async Task The_endpoint_url_can_carry_the_namespace_and_token_as_rivetkit_allows()
    {
        await using var transport = new EngineActorTransport(new RivetClientOptions { Endpoint = new Uri("https://ns2:tok%40en@engine.example:8443/base") });
        Assert.Equal("ns2", transport.Namespace);
        Assert.Equal(new Uri("https://engine.example:8443/base"), transport.Endpoint);
    }

    [Fact]
    public void Invalid_options_are_rejected_by_name()
    {
        Assert.Contains("Endpoint", Assert.Throws<ArgumentException>(() => new EngineActorTransport(new RivetClientOptions { Endpoint = new Uri("ftp://x") })).Message, StringComparison.Ordinal);
        Assert.Contains("Namespace", Assert.Throws<ArgumentException>(() => new EngineActorTransport(new RivetClientOptions { Namespace = "" })).Message, StringComparison.Ordinal);
        Assert.Contains("PoolName", Assert.Throws<ArgumentException>(() => new EngineActorTransport(new RivetClientOptions { PoolName = "" })).Message, StringComparison.Ordinal);
        Assert.Contains("RequestTimeout", Assert.Throws<ArgumentException>(() => new EngineActorTransport(new RivetClientOptions { RequestTimeout = TimeSpan.Zero })).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Keys_are_read_as_the_gateway_reads_rvt_key()
    {
        // What the engine 2.3.19 made of rvt-key values (a part per ',', empty parts kept, an empty value is the empty key).
        Assert.Equal(new ActorKey("a", "b"), EngineActorTransport.GatewayKey(["a,b"]));
        Assert.Equal(new ActorKey("x", "a", "", "b", "c/d"), EngineActorTransport.GatewayKey(["x", "a,,b", "c/d"]));
        Assert.Equal(new ActorKey("a", ""), EngineActorTransport.GatewayKey(["a,"]));
        Assert.Equal(new ActorKey("a", ""), EngineActorTransport.GatewayKey(["a", ""]));
        Assert.Equal(ActorKey.Empty, EngineActorTransport.GatewayKey([""]));
        Assert.Equal(ActorKey.Empty, EngineActorTransport.GatewayKey(ActorKey.Empty));
        ActorKey plain = ["tenant", "b/c", "d\\e", "é"];
        Assert.Equal(plain, EngineActorTransport.GatewayKey(plain));

        // The engine's query route never resolves a key with an empty part: those go through REST.
        Assert.True(EngineActorTransport.CanRouteByQuery(plain));
        Assert.True(EngineActorTransport.CanRouteByQuery(ActorKey.Empty));
        Assert.False(EngineActorTransport.CanRouteByQuery(["a", ""]));
    }

    [Fact]
    public async Task Connections_are_opened_with_nagle_off()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var handler = EngineActorTransport.CreateHandler(TimeSpan.FromSeconds(5));
        Assert.NotNull(handler.ConnectCallback);

        await using var stream = await EngineActorTransport.ConnectAsync(new DnsEndPoint("127.0.0.1", port), CancellationToken.None);
        using var accepted = await listener.AcceptSocketAsync();

        Assert.True(((NetworkStream)stream).Socket.NoDelay);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
