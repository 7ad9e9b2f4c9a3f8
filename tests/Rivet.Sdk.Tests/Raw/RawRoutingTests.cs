using Rivet.Hosting.ActorHttp;

namespace Rivet.Sdk.Tests.Raw;

/// <summary>Which tunnelled paths reach the actor's raw handlers, and the path those handlers see (RivetKit's rules).</summary>
public sealed class RawRoutingTests
{
    [Theory]
    [InlineData("/request", true)]
    [InlineData("/request/", true)]
    [InlineData("/request/notes/3", true)]
    [InlineData("/requests", false)]
    [InlineData("/action/request", false)]
    [InlineData("/connect", false)]
    [InlineData("/health", false)]
    public void Only_request_paths_reach_OnRequestAsync(string route, bool raw) =>
        Assert.Equal(raw, RawRequestEndpoint.IsRequestRoute(route));

    [Theory]
    [InlineData("/websocket", true)]
    [InlineData("/websocket/", true)]
    [InlineData("/websocket/chat?room=1", true)]
    [InlineData("/websocket?x=1", true)]
    [InlineData("/websockets", false)]
    [InlineData("/connect", false)]
    [InlineData("/inspector/connect", false)]
    public void Only_websocket_paths_reach_OnWebSocketAsync(string path, bool raw) =>
        Assert.Equal(raw, RawRequestEndpoint.IsWebSocketPath(path));

    [Theory]
    [InlineData("/request", "/")]
    [InlineData("/request/", "/")]
    [InlineData("/request?x=1", "/?x=1")]
    [InlineData("/request/hello?x=1&y=%20", "/hello?x=1&y=%20")]
    public void The_handler_sees_the_path_without_request_and_with_its_query(string tunnelled, string seen)
    {
        using var request = RawRequestEndpoint.ToActorRequest("GET", RawRequestEndpoint.Strip(tunnelled, "/request"), [], default);
        Assert.Equal("http://actor" + seen, request.RequestUri!.AbsoluteUri);
    }
}
