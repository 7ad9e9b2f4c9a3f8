using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Engine.MultiNode;
using Rivet.Hosting.Runner;

namespace Rivet.Sdk.Tests.MultiNode;

/// <summary>
/// The failover rules on their own (the multi-node suite runs them on the real engine): which requests go to the next
/// node, how they are re-addressed, and how the endpoint lists are read and checked.
/// </summary>
public sealed class EndpointFailoverTests
{
    private static readonly Uri NodeA = new("http://127.0.0.1:7001/");
    private static readonly Uri NodeB = new("http://127.0.0.1:7002/prefix/");

    [Fact]
    public async Task A_request_that_could_not_connect_goes_to_the_next_node_which_then_stays_in_use()
    {
        var nodes = new Nodes { Down = { NodeA.Authority } };
        using var client = new HttpClient(new EndpointFailoverHandler([NodeA, NodeB], nodes));

        using var first = await client.PostAsync(new Uri(NodeA, "gateway/x/action/increment?rvt-key=k"), new StringContent("[1]"));
        using var second = await client.GetAsync(new Uri(NodeA, "actors?namespace=default"));

        Assert.Equal(["POST http://127.0.0.1:7001/gateway/x/action/increment?rvt-key=k", "POST http://127.0.0.1:7002/prefix/gateway/x/action/increment?rvt-key=k",
            "GET http://127.0.0.1:7002/prefix/actors?namespace=default"], nodes.Sent);
    }

    [Fact]
    public async Task An_action_without_an_idempotency_key_that_may_have_been_sent_is_not_sent_again()
    {
        var nodes = new Nodes { Broken = { NodeA.Authority } };
        using var client = new HttpClient(new EndpointFailoverHandler([NodeA, NodeB], nodes));

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync(new Uri(NodeA, "gateway/x/action/increment"), new StringContent("[1]")));
        Assert.Equal(HttpRequestError.ResponseEnded, error.HttpRequestError);
        Assert.Single(nodes.Sent);

        using var keyed = new HttpRequestMessage(HttpMethod.Post, new Uri(NodeA, "gateway/x/action/increment")) { Content = new StringContent("[1]") };
        keyed.Headers.Add("x-rivet-idempotency-key", "op-1");
        using var answered = await client.SendAsync(keyed);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Equal("POST http://127.0.0.1:7002/prefix/gateway/x/action/increment", nodes.Sent[^1]);

        using var lookup = await client.GetAsync(new Uri(NodeA, "actors"));
        Assert.Equal(HttpStatusCode.OK, lookup.StatusCode); // GET: idempotent, and node B is in use now anyway
    }

    [Fact]
    public async Task WebSocket_addresses_keep_their_scheme_and_the_last_node_fails_with_its_own_error()
    {
        var nodes = new Nodes { Down = { NodeA.Authority, NodeB.Authority } };
        using var invoker = new HttpMessageInvoker(new EndpointFailoverHandler([NodeA, NodeB], nodes));
        using var upgrade = new HttpRequestMessage(HttpMethod.Get, new Uri("ws://127.0.0.1:7001/gateway/x/connect"));

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => invoker.SendAsync(upgrade, CancellationToken.None));
        Assert.Equal(HttpRequestError.ConnectionError, error.HttpRequestError);
        Assert.Equal(["GET ws://127.0.0.1:7001/gateway/x/connect", "GET ws://127.0.0.1:7002/prefix/gateway/x/connect"], nodes.Sent);
    }

    [Fact]
    public void RIVET_ENDPOINT_takes_a_comma_separated_list_of_nodes()
    {
        var options = RivetClientOptions.FromEnvironment(name => name == "RIVET_ENDPOINT" ? "http://a:6420 , http://b:6420/,http://c:6420" : null);
        Assert.Equal(new Uri("http://a:6420"), options.Endpoint);
        Assert.Equal([new Uri("http://b:6420/"), new Uri("http://c:6420")], options.FailoverEndpoints);

        Assert.Empty(RivetClientOptions.FromEnvironment(name => name == "RIVET_ENDPOINT" ? "http://a:6420" : null).FailoverEndpoints);
        var bad = Assert.Throws<FormatException>(() => RivetClientOptions.FromEnvironment(name => name == "RIVET_ENDPOINT" ? "http://a:6420,ftp://b" : null));
        Assert.Contains("Endpoint 2 of RIVET_ENDPOINT", bad.Message);
        var secret = Assert.Throws<FormatException>(() => RivetClientOptions.FromEnvironment(name => name == "RIVET_ENDPOINT" ? "http://a:6420,http://ns:s3cret@b" : null));
        Assert.DoesNotContain("s3cret", secret.Message);
    }

    [Fact]
    public void Failover_endpoints_are_checked_like_the_endpoint()
    {
        var runner = new RunnerOptions { Endpoint = NodeA, FailoverEndpoints = [new Uri("http://ns:s3cret@b:1")] };
        var error = Assert.Throws<ArgumentException>(runner.Validate);
        Assert.Contains("FailoverEndpoints[0]", error.Message);
        Assert.DoesNotContain("s3cret", error.Message);

        var client = new RivetClientOptions { Endpoint = NodeA, FailoverEndpoints = [new Uri("http://b:1/?x=1")] };
        Assert.Contains("FailoverEndpoints[0]", Assert.Throws<ArgumentException>(() => RivetClient.Create(client)).Message);

        Assert.Equal([NodeA, NodeB], new RunnerOptions { Endpoint = NodeA, FailoverEndpoints = [NodeB] }.AllEndpoints);
        Assert.Equal([NodeB], new RunnerOptions { Endpoint = NodeA, FailoverEndpoints = [NodeB] }.ToClientOptions().FailoverEndpoints);
    }

    /// <summary>Nodes by authority: down (the connection is refused), broken (the connection drops after the request left), or answering 200.</summary>
    private sealed class Nodes : HttpMessageHandler
    {
        public HashSet<string> Down { get; } = new();

        public HashSet<string> Broken { get; } = new();

        public List<string> Sent { get; } = new();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var uri = request.RequestUri!;
            Sent.Add($"{request.Method} {uri.AbsoluteUri}");
            if (Down.Contains(uri.Authority))
            {
                throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused");
            }
            if (Broken.Contains(uri.Authority))
            {
                throw new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely.");
            }
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request });
        }
    }
}
