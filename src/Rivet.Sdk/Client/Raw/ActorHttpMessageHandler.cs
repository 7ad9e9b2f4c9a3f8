using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Rivet.Client.Raw;

/// <summary>The handler of <see cref="ActorHandle.CreateHttpClient"/>: every request goes to the handle's actor.</summary>
internal sealed class ActorHttpMessageHandler(ActorHandle handle) : HttpMessageHandler
{
    /// <summary>The base address of an actor's <see cref="HttpClient"/>; the host part is ignored.</summary>
    public static readonly Uri ActorBaseUri = new("http://actor/");

    /// <summary>A path (with an optional query) as an absolute URI under <see cref="ActorBaseUri"/>.</summary>
    public static Uri ToActorUri(string pathAndQuery) => new(ActorBaseUri, pathAndQuery.TrimStart('/'));

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        handle.FetchAsync(request, cancellationToken);
}
